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
