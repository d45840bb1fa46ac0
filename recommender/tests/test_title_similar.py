"""A title page's carousels at their own URL: the fragment the page's placeholder loads as it
scrolls into view, and a page of their own without JavaScript (#11)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Title
from catalog.tests.factories import TitleFactory
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def similar_url(title: Title) -> str:
    return reverse("recommender:title_similar", args=[title.slug])


@pytest.fixture
def fan(client, community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]  # sci-fi
    login_as(client, fan)
    return fan


def test_the_fragment_is_the_carousels_and_the_page_wraps_them(client, community, fan):
    title = community["titles"]["scifi"][0]
    fragment = client.get(similar_url(title), **HTMX)
    assert fragment.status_code == 200 and fragment["Vary"].count("HX-Request") == 1
    html = fragment.content.decode()
    assert html.startswith('<div class="title-carousels">') and "<html" not in html
    assert 'id="rail-more-like-this"' in html and "Same vibe" in html
    page = client.get(similar_url(title)).content.decode()
    assert "<html" in page and f'More like <a href="{title.get_absolute_url()}">' in page
    tiles = re.compile(r'id="tile-([-a-z]+-\d+)"')
    assert tiles.findall(page) == tiles.findall(html)  # the same carousels, one template


def test_tiles_post_back_to_the_title_page_they_sit_on(client, community, fan):
    title = community["titles"]["scifi"][0]
    html = client.get(similar_url(title), **HTMX).content.decode()
    assert f'name="next" value="{title.get_absolute_url()}"' in html
    assert "__marquee_" not in html


def test_a_kids_profile_gets_the_same_404_for_a_hidden_title_as_for_a_missing_one(client):
    hidden = TitleFactory(title="Grown Up Thriller", certification="R")
    login_as(client, KidsProfileFactory())
    for headers in ({}, HTMX):
        response = client.get(similar_url(hidden), **headers)
        missing = client.get("/title/no-such-title/similar/", **headers)
        assert response.status_code == missing.status_code == 404
        assert b"Grown Up Thriller" not in response.content


def test_a_kids_profile_sees_only_titles_within_its_ceiling(client, community):
    call_command("recompute_recs", verbosity=0)
    kid = community["kid"]
    login_as(client, kid)
    family = community["titles"]["family"][0]
    html = client.get(similar_url(family), **HTMX).content.decode()
    ids = {int(pk) for pk in re.findall(r'id="tile-[-a-z]+-(\d+)"', html)}
    assert ids, "a family title should have family titles like it"
    levels = Title.objects.filter(pk__in=ids).values_list("maturity_level", flat=True)
    assert max(levels) <= kid.effective_ceiling


def test_without_carousels_the_page_says_so_and_the_fragment_is_empty(client):
    title = TitleFactory(title="Lonely Film")  # no model, no genres, no credits
    login_as(client, ProfileFactory())
    assert "Nothing like this to show yet." in client.get(similar_url(title)).content.decode()
    fragment = client.get(similar_url(title), **HTMX).content.decode()
    assert fragment == '<div class="title-carousels"></div>'


def test_wrong_method_is_405_and_anonymous_is_sent_to_sign_in(client):
    title = TitleFactory()
    assert client.get(similar_url(title))["Location"].startswith("/accounts/login/")
    login_as(client, ProfileFactory())
    assert client.post(similar_url(title)).status_code == 405


def test_a_genre_kept_away_leaves_the_carousels_as_it_leaves_the_rails(client):
    """ "-1 keeps a genre away" holds on a title page too: its carousels are shared by every
    profile, and each profile's kept-away genres are left out when they are read."""
    from profiles.tests.api_cast import cast_make

    cast = cast_make()  # fans of both blocks tie the crime titles to the family ones
    call_command("recompute_recs", verbosity=0)
    crime = {t.pk for t in cast.crime}
    tile_ids = re.compile(r'id="tile-[-a-z]+-(\d+)"')

    def shown(profile) -> list[int]:
        login_as(client, profile)
        html = client.get(similar_url(cast.family[0]), **HTMX).content.decode()
        return [int(pk) for pk in tile_ids.findall(html)]

    before = shown(cast.adult)
    assert crime & set(before) and set(before) - crime
    cast.adult.preferences.genre_weights = {"crime": -1.0}
    cast.adult.preferences.save()
    after = shown(cast.adult)
    assert not crime & set(after)
    assert set(before) - crime <= set(after)  # the family titles stay (spares may fill in)
    other = ProfileFactory(household=cast.household)
    assert shown(other) == before  # the shared rendering is untouched
