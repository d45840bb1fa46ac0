"""A rail whose first candidates the profile's ceiling hides still fills a page, the same page
alone (`/rails/<key>/`) as on home: a kids profile's shared Trending Now once showed 18 tiles on
home and 6 on its own page."""

import pytest

from catalog.tests.factories import TitleFactory
from profiles.tests.factories import KidsProfileFactory
from recommender.rails import RAIL_SIZE, TRENDING, RailSpec, rails_assemble

pytestmark = pytest.mark.django_db


@pytest.fixture
def trending_led_by_r_titles():
    r_rated = [TitleFactory(title=f"Heist {n}", certification="R") for n in range(40)]
    family = [TitleFactory(title=f"Meadow {n}", certification="G") for n in range(25)]
    other = [TitleFactory(title=f"Other {n}", certification="G") for n in range(5)]
    specs = [
        RailSpec(TRENDING, "Trending Now", [t.pk for t in r_rated + family]),
        RailSpec("new", "New releases", [t.pk for t in family[10:] + other]),
    ]
    return specs, family


def test_a_kids_rail_reads_past_the_titles_its_ceiling_hides(trending_led_by_r_titles):
    specs, family = trending_led_by_r_titles
    kid = KidsProfileFactory()
    _, alone = rails_assemble(kid, specs, excluded=set(), only={TRENDING})
    _, on_home = rails_assemble(kid, specs, excluded=set())
    alone_ids = [tile.title.pk for tile in alone[0].tiles]
    home_ids = [tile.title.pk for tile in next(r for r in on_home if r.key == TRENDING).tiles]
    assert alone_ids == home_ids == [t.pk for t in family[:RAIL_SIZE]]


def test_excluded_titles_are_skipped_when_reading_on(trending_led_by_r_titles):
    specs, family = trending_led_by_r_titles
    kid = KidsProfileFactory()
    _, rails = rails_assemble(kid, specs, excluded={family[0].pk}, only={TRENDING})
    assert [tile.title.pk for tile in rails[0].tiles] == [t.pk for t in family[1 : RAIL_SIZE + 1]]


def test_a_genre_kept_away_leaves_shared_and_live_rails_but_not_the_viewers_own():
    """ "-1 keeps a genre away": Trending Now and New releases read on past its titles; My List
    and Continue Watching hold what the viewer chose, and show it."""
    from catalog.tests.factories import GenreFactory
    from profiles.tests.factories import ProfileFactory

    horror, comedy = GenreFactory(name="Horror"), GenreFactory(name="Comedy")
    scary = [TitleFactory(title=f"Scary {n}", genres=[horror, comedy]) for n in range(15)]
    funny = [TitleFactory(title=f"Funny {n}", genres=[comedy]) for n in range(30)]
    specs = [
        RailSpec(TRENDING, "Trending Now", [t.pk for t in scary + funny]),
        RailSpec("new", "New releases", [t.pk for t in funny[:5] + scary[:5]]),
        RailSpec("my-list", "My List", [scary[0].pk, funny[0].pk]),
    ]
    viewer = ProfileFactory()
    _, before = rails_assemble(viewer, specs, excluded=set())
    assert before[0].tiles[0].title.pk == scary[0].pk  # nothing kept away yet
    viewer.preferences.genre_weights = {"horror": -1.0, "comedy": 0.5}
    viewer.preferences.save()
    _, rails = rails_assemble(viewer, specs, excluded=set())
    shown = {rail.key: [tile.title.pk for tile in rail.tiles] for rail in rails}
    assert shown[TRENDING] == [t.pk for t in funny[:RAIL_SIZE]]  # read on past 15 of them
    assert shown["new"] == [t.pk for t in funny[:5]]
    assert shown["my-list"] == [scary[0].pk, funny[0].pk]
    _, alone = rails_assemble(viewer, specs, excluded=set(), only={TRENDING})
    assert [tile.title.pk for tile in alone[0].tiles] == shown[TRENDING]
