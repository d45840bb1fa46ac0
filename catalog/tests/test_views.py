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


def test_kids_profile_cannot_open_r_rated_title_by_url(client):
    title = TitleFactory(title="Grown Up Thriller", certification="R")
    login_as(client, KidsProfileFactory())
    response = client.get(title.get_absolute_url())
    assert response.status_code == 403
    assert b"Not available on this profile" in response.content


def test_title_page_shows_facts(client):
    title = TitleFactory(
        title="Heat", year=1995, runtime=170, certification="R", overview="Cops and robbers."
    )
    login_as(client, ProfileFactory())
    response = client.get(title.get_absolute_url())
    assert response.status_code == 200
    for text in (b"Heat", b"1995", b"170 min", b"Cops and robbers."):
        assert text in response.content


def test_unknown_title_is_404(client):
    login_as(client, ProfileFactory())
    assert client.get("/title/nothing-here/").status_code == 404


def test_title_page_rejects_wrong_method(client):
    title = TitleFactory()
    login_as(client, ProfileFactory())
    assert client.post(title.get_absolute_url()).status_code == 405
