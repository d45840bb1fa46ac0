"""The title page's carousels: one rendering per title and ceiling, shared by every profile,
moved on only by the model's version and `rails_changed` (#11)."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Title
from catalog.services import titles_update
from profiles.services import feedback_set
from profiles.tests.factories import KidsProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
TILE = re.compile(r'id="tile-more-like-this-(\d+)"')


@pytest.fixture
def scifi_page(client, community):
    call_command("recompute_recs", verbosity=0)
    return community["titles"]["scifi"][0]


def carousels(client, title) -> str:
    """The title page's carousels, as its placeholder loads them."""
    path = reverse("recommender:title_similar", args=[title.slug])
    response = client.get(path, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def carousel_ids(client, profile, title) -> list[int]:
    login_as(client, profile)
    return [int(pk) for pk in TILE.findall(carousels(client, title))]


def test_a_second_profile_reads_the_first_ones_rendering(client, community, scifi_page):
    first, second = community["viewers"][1], community["viewers"][4]
    shown = carousel_ids(client, first, scifi_page)
    assert shown
    login_as(client, second)
    with CaptureQueriesContext(connection) as cold_free:
        carousels(client, scifi_page)
    assert carousel_ids(client, second, scifi_page) == shown
    # The carousels' own queries (similar titles, shared people, tiles) are not run again.
    assert not any("catalog_credit" in q["sql"] for q in cold_free.captured_queries)


def test_a_title_a_profile_rejected_leaves_its_carousels_only(client, community, scifi_page):
    viewer, other = community["viewers"][1], community["viewers"][4]
    shown = carousel_ids(client, other, scifi_page)
    feedback_set(profile=viewer, title=Title.objects.get(pk=shown[0]), value="down")
    assert shown[0] not in carousel_ids(client, viewer, scifi_page)
    assert carousel_ids(client, other, scifi_page)[0] == shown[0]


def test_a_catalogue_change_moves_the_shared_rendering_on(client, community, scifi_page):
    viewer, family = community["viewers"][0], community["titles"]["family"][5]
    kid = KidsProfileFactory(household=viewer.household)
    shown = carousel_ids(client, kid, family)
    assert shown == carousel_ids(client, community["kid"], family)
    titles_update(title_ids=[shown[0]], certification="R")
    assert shown[0] in carousel_ids(client, viewer, family)  # adults still see an R title
    assert shown[0] not in carousel_ids(client, kid, family)


def test_a_raw_certification_update_never_shows_from_the_cache_to_kids(client, community):
    call_command("recompute_recs", verbosity=0)
    family = community["titles"]["family"]
    kid = community["kid"]
    shown = carousel_ids(client, kid, family[5])
    assert shown
    Title.objects.filter(pk=shown[0]).update(certification="R")  # behind the pipeline's back
    assert shown[0] not in carousel_ids(client, kid, family[5])


def test_title_pages_share_their_carousels_tiles_and_name_their_own_page(
    client, community, scifi_page, tiles_drawn
):
    """A tile is drawn for no page and no rail in particular, so a second title page showing a
    title the first one showed reads the tile the first one drew; its forms come back to their
    page and name their carousel."""
    viewer = community["viewers"][1]
    first, second = community["titles"]["scifi"][:2]
    shown = set(carousel_ids(client, viewer, first))
    tiles_drawn.clear()  # what the second page draws
    html = carousels(client, second)
    again = {int(pk) for pk in TILE.findall(html)}
    assert again & shown, "the two pages' More like this should overlap"
    assert not {pk for _, pk in tiles_drawn} & shown, "a tile the first page drew is drawn again"
    assert f'name="next" value="{second.get_absolute_url()}"' in html
    pk = min(again & shown)
    assert f'href="{Title.objects.get(pk=pk).get_absolute_url()}?rail=more-like-this"' in html
    assert '<input type="hidden" name="rail" value="more-like-this">' in html
    assert "__marquee_page__" not in html and "__marquee_rail__" not in html
