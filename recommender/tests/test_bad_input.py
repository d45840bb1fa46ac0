"""Reproductions from the hardening issue (#16): bad input is a 4xx with a message, never a 500."""

import pytest

from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.models import SavedSearch
from profiles.tests.factories import AccountFactory, KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def adult(client):
    profile = ProfileFactory()
    login_as(client, profile)
    return profile


def test_a_certification_facet_that_matches_nothing_is_an_empty_result(client, adult):
    TitleFactory(title="Toy Story", certification="G")
    response = client.get("/search/?q=toy+story&certification=NC-17")
    assert response.status_code == 200
    assert response.context["results"].total == 0


def test_an_r_certification_on_a_kids_profile_finds_nothing(client):
    TitleFactory(title="Grown Up Thriller", certification="R")
    login_as(client, KidsProfileFactory())
    response = client.get("/search/?certification=R")
    assert response.status_code == 200
    assert response.context["results"].total == 0
    assert b"Grown Up Thriller" not in response.content


@pytest.mark.parametrize("page", ["99999999999999999999", "1001", "0", "-1", "two"])
def test_a_page_number_out_of_range_is_400_with_a_message(client, adult, page):
    response = client.get(f"/search/?page={page}")
    assert response.status_code == 400
    assert b"page must be" in response.content


def test_the_over_150_min_runtime_facet_link_works(client, adult):
    TitleFactory(title="Long Epic", runtime=200)
    TitleFactory(title="Short One", runtime=80)
    page = client.get("/search/")
    epic = next(f for f in page.context["results"].facets["runtime"] if f.value == "epic")
    assert epic.count == 1
    response = client.get("/search/?runtime_min=151&runtime_max=10000")
    assert response.status_code == 200
    assert [t.title for t in response.context["results"].titles] == ["Long Epic"]


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=toy%00story",
        "/search/?genre=dra%00ma",
        "/onboarding/titles/?q=a%00b",
        "/title/{slug}/?rail=for%00you",
        "/accounts/login/?next=/%00",
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_400(client, adult, url):
    title = TitleFactory()
    response = client.get(url.format(slug=title.slug))
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_nul_byte_in_a_saved_search_name_is_400_and_saves_nothing(client, adult):
    response = client.post("/search/saved/", {"query_string": "q=heat", "name": "my\x00search"})
    assert response.status_code == 400
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("next_url", ["foo", "-1", "//evil.example/", "https://evil.example/"])
def test_login_with_an_unsafe_next_signs_in_and_goes_to_the_picker(client, next_url):
    account = AccountFactory(email="owner@example.com")
    response = client.post(
        f"/accounts/login/?next={next_url}",
        {"username": "owner@example.com", "password": "correct horse battery"},
    )
    assert response.status_code == 302 and response["Location"] == "/profiles/"
    assert int(client.session["_auth_user_id"]) == account.pk


def test_login_follows_a_local_path(client):
    AccountFactory(email="owner@example.com")
    response = client.post(
        "/accounts/login/",
        {"username": "owner@example.com", "password": "correct horse battery", "next": "/my-list/"},
    )
    assert response["Location"] == "/my-list/"


@pytest.mark.parametrize(
    "path,data",
    [
        ("feedback", {"value": "up"}),
        ("rate", {"stars": "4"}),
        ("my-list", {"action": "add"}),
        ("watch", {"event": "progress", "position": "10"}),
    ],
)
def test_a_signal_with_next_minus_one_redirects_back_to_the_title(client, adult, path, data):
    title = TitleFactory()
    response = client.post(f"/title/{title.slug}/{path}/", {**data, "next": "-1"})
    assert response.status_code == 302
    assert response["Location"] == title.get_absolute_url()


def test_forgetting_a_saved_search_with_a_bad_next_goes_to_search(client, adult):
    saved = SavedSearch.objects.create(profile=adult, name="x", query_string="q=x")
    response = client.post(f"/search/saved/{saved.pk}/delete/", {"next": "foo"})
    assert response["Location"] == "/search/"


def test_an_unknown_genre_is_an_empty_result(client, adult):
    GenreFactory(name="Drama")
    response = client.get("/search/?genre=no-such-genre")
    assert response.status_code == 200 and response.context["results"].total == 0
