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
    profile.preferences.genre_weights = {"horror": -1.0, "comedy": 1.0}
    profile.preferences.save()
    ranked = order(profile)
    assert ranked.index(2) < ranked.index(1) and ranked[-1] == 1


def test_runtime_and_language_preferences_demote_what_is_outside_them():
    profile = ProfileFactory()
    profile.preferences.runtime = "short"
    profile.preferences.languages = ["en"]
    profile.preferences.save()
    assert order(profile)[:2] == [0, 1]
    assert order(profile)[-1] == 2  # long and French
