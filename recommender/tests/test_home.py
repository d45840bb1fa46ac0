import pytest

from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


def test_home_redirects_to_login_when_signed_out(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(response["Location"]).status_code == 200


def test_home_asks_who_is_watching_first(client):
    profile = ProfileFactory()
    client.force_login(profile.household)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/profiles/"


def test_home_lists_titles_with_bounded_queries(client, django_assert_max_num_queries):
    genre = GenreFactory(name="Drama")
    for n in range(30):
        TitleFactory(title=f"Film {n}", popularity=n, genres=[genre])
    profile = ProfileFactory()
    login_as(client, profile)
    client.get("/")  # the first visit computes the profile's rails; later ones read them
    with django_assert_max_num_queries(15):
        response = client.get("/")
    assert response.status_code == 200
    assert b"Film 29" in response.content


def test_kids_profile_sees_only_titles_within_its_ceiling(client):
    TitleFactory(title="Grown Up Thriller", certification="R", popularity=100)
    TitleFactory(title="Cartoon Fun", certification="G", popularity=1)
    login_as(client, KidsProfileFactory())
    content = client.get("/").content.decode()
    assert "Cartoon Fun" in content and "Grown Up Thriller" not in content
