"""/posters/<slug>.svg: a title's poster only for a signed-in profile that may see it (#16)."""

import pytest

from catalog.posters import render_neutral_poster_svg
from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
NEUTRAL = render_neutral_poster_svg().encode()


def test_a_profile_that_may_see_the_title_gets_its_poster(client):
    title = TitleFactory(title="Arrival", year=2016, genres=[GenreFactory(name="Science Fiction")])
    login_as(client, ProfileFactory())
    response = client.get(f"/posters/{title.slug}.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"ARRIVAL" in response.content
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_signed_out_visitor_gets_the_neutral_poster(client):
    title = TitleFactory(title="Arrival")
    response = client.get(f"/posters/{title.slug}.svg")
    assert response.status_code == 200
    assert response.content == NEUTRAL and b"ARRIVAL" not in response.content
    assert "no-store" in response["Cache-Control"]


def test_a_kids_profile_gets_the_neutral_poster_for_a_title_above_its_ceiling(client):
    title = TitleFactory(title="Grown Up Thriller", certification="R")
    login_as(client, KidsProfileFactory())
    response = client.get(f"/posters/{title.slug}.svg")
    assert response.content == NEUTRAL and b"THRILLER" not in response.content


def test_a_missing_title_gets_the_same_neutral_poster(client):
    login_as(client, ProfileFactory())
    response = client.get("/posters/no-such-title.svg")
    assert response.status_code == 200 and response.content == NEUTRAL


def test_a_signed_in_household_without_a_chosen_profile_gets_the_neutral_poster(client):
    title = TitleFactory(title="Arrival")
    client.force_login(ProfileFactory().household)
    assert client.get(f"/posters/{title.slug}.svg").content == NEUTRAL
