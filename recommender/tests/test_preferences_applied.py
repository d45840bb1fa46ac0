import numpy as np
import pytest

from profiles.tests.factories import ProfileFactory
from recommender.catalogue_facts import Catalogue, preferences_applied

pytestmark = pytest.mark.django_db


def catalogue():
    return Catalogue(
        maturity=np.zeros(4, dtype=np.int16),
        genres=[("drama",), ("horror",), ("comedy",), ("drama",)],
        genre_names={},
        popular_by_genre={},
        names=np.array(["a", "b", "c", "d"]),
        runtime=np.array([95, 100, 180, 200]),
        language=np.array(["en", "en", "fr", "en"]),
    )


def order(profile):
    return [c[0] for c in preferences_applied([(0,), (1,), (2,), (3,)], profile, catalogue())]


def test_without_stated_preferences_the_engine_order_stands():
    assert order(ProfileFactory()) == [0, 1, 2, 3]


def test_a_disliked_genre_sinks_and_a_loved_one_rises():
    profile = ProfileFactory()
    profile.preferences.genre_weights = {"horror": -0.5, "comedy": 1.0}
    profile.preferences.save()
    ranked = order(profile)
    assert ranked.index(2) < ranked.index(1) and ranked[-1] == 1


def test_a_genre_at_minus_one_is_kept_out_altogether():
    """With Action at -1, 13 of 20 For You tiles used to be Action: -1 only nudged by 50%."""
    profile = ProfileFactory()
    profile.preferences.genre_weights = {"drama": -1.0}
    profile.preferences.save()
    assert order(profile) == [1, 2]


def test_runtime_and_language_preferences_demote_what_is_outside_them():
    profile = ProfileFactory()
    profile.preferences.runtime = "short"
    profile.preferences.languages = ["en"]
    profile.preferences.save()
    assert order(profile)[:2] == [0, 1]
    assert order(profile)[-1] == 2  # long and French


def test_a_genre_at_minus_one_leaves_every_personal_rail(community):
    from django.core.management import call_command

    from recommender.pages import page_rails
    from recommender.services import recommendations_refresh

    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]  # a science-fiction fan
    fan.preferences.genre_weights = {"science-fiction": -1.0}
    fan.preferences.save()
    recommendations_refresh(profile=fan)
    _, rails = page_rails(fan)
    personal = [r for r in rails if r.key == "for-you" or r.key.startswith(("genre-", "because-"))]
    shown = [tile.title for rail in personal for tile in rail.tiles]
    bad = {
        (r.key, t.title.title)
        for r in personal
        for t in r.tiles
        if t.title.title.startswith("scifi")
    }
    assert shown and not bad


def test_a_genre_at_minus_one_stays_out_of_the_rails_before_any_model_exists(community):
    """Before the first nightly run For You is popular titles: none of a blocked genre either."""
    from recommender.artifacts import bundle_current
    from recommender.pages import page_rails
    from recommender.services import recommendations_refresh

    assert bundle_current() is None
    fan = community["viewers"][1]  # a science-fiction fan: the sci-fi block is popular too
    fan.preferences.genre_weights = {"science-fiction": -1.0, "family": 0.5}
    fan.preferences.save()
    rows = recommendations_refresh(profile=fan)
    assert [row["rail_key"] for row in rows] == ["for-you"]
    _, rails = page_rails(fan)
    names = [tile.title.title for rail in rails if rail.key == "for-you" for tile in rail.tiles]
    assert names and not [name for name in names if name.startswith("scifi")]
    assert names[0].startswith("family")  # its favourite genre first
