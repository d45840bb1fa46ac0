"""The search page: a profile's search within its ceiling, recorded, paged with htmx, saved."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalog.search import SearchFilters, search_titles
from catalog.tests.factories import TitleFactory, search_catalogue
from profiles.models import Feedback, Interaction, SavedSearch
from profiles.selectors import search_audience
from profiles.services import feedback_set
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return search_catalogue()


def run(params, profile=None):
    profile = profile or ProfileFactory()
    filters = SearchFilters.from_params(QueryDict(params))
    return search_titles(audience=search_audience(profile), filters=filters)


def names(page):
    return [t.title for t in page.titles]


def test_kids_profile_search_and_counts_stay_within_the_ceiling(catalogue):
    kid = KidsProfileFactory()
    page = run("q=godfather", kid)
    assert page.total == 0
    page = run("", kid)
    assert set(names(page)) == {"Toy Story", "Big"}
    certs = {f.value for f in page.facets["certification"]}
    assert certs == {"G", "PG"}


def test_search_page_records_the_search_and_pages_with_htmx(client, catalogue):
    profile = ProfileFactory()
    login_as(client, profile)
    for n in range(30):
        TitleFactory(title=f"Extra {n}", popularity=1)
    response = client.get("/search/?q=godfater")
    assert response.status_code == 200 and b"The Godfather" in response.content
    assert Interaction.objects.filter(profile=profile, kind="search", query="godfater").exists()
    first = client.get("/search/")
    assert b'hx-trigger="revealed"' in first.content
    more = client.get("/search/?page=2", HTTP_HX_REQUEST="true")
    assert more.status_code == 200 and b"<html" not in more.content and b"Extra" in more.content


def test_search_page_bad_input_is_400(client, catalogue):
    login_as(client, ProfileFactory())
    response = client.get("/search/?year_min=soon")
    assert response.status_code == 400 and b"year_min must be a whole number" in response.content
    assert client.get("/search/?page=0").status_code == 400


def test_saved_searches_become_chips_and_can_be_forgotten(client, catalogue):
    profile = ProfileFactory()
    login_as(client, profile)
    response = client.post(
        "/search/saved/", {"query_string": "q=hanks&kind=movie", "name": "Hanks films"}
    )
    assert response.status_code == 302
    page = client.get("/search/").content.decode()
    assert "Hanks films" in page and "q=hanks&amp;kind=movie" in page
    saved = SavedSearch.objects.get(profile=profile)
    other = ProfileFactory()
    login_as(client, other)
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 404
    login_as(client, profile)
    client.post(f"/search/saved/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()
    assert client.post("/search/saved/", {"query_string": ""}).status_code == 400


def test_matches_are_shared_between_viewers_until_the_catalogue_changes(client, catalogue):
    from django.db import transaction

    from catalog.services import catalogue_changed

    login_as(client, ProfileFactory())
    assert b"The Godfather" in client.get("/search/?q=godfather").content
    with CaptureQueriesContext(connection) as second_viewer:
        login_as(client, ProfileFactory())
        client.get("/search/?q=Godfather")
    assert not any("catalog_person" in q["sql"] for q in second_viewer.captured_queries)
    with transaction.atomic():
        sequel = TitleFactory(title="The Godfather Part IV", popularity=1)
        catalogue_changed(title_ids=[sequel.pk])
    assert b"The Godfather Part IV" in client.get("/search/?q=godfather").content


def test_shared_matches_are_cut_to_each_viewers_ceiling_and_rejections(client, catalogue):
    adult = ProfileFactory()
    login_as(client, adult)
    assert b"The Godfather" in client.get("/search/?q=godfather").content  # now in the cache
    login_as(client, KidsProfileFactory())
    page = client.get("/search/?q=godfather").content.decode()
    assert "The Godfather" not in page and "0 results for" in page
    suggested = client.get("/search/suggestions/?q=godfather", HTTP_HX_REQUEST="true")
    assert b"The Godfather" not in suggested.content
    critic = ProfileFactory()
    feedback_set(profile=critic, title=catalogue["godfather"], value=Feedback.Value.THUMBS_DOWN)
    login_as(client, critic)
    assert b"The Godfather" not in client.get("/search/?q=godfather").content
    login_as(client, adult)
    assert b"The Godfather" in client.get("/search/?q=godfather").content


def test_a_new_query_keeps_every_filter_chosen(client, catalogue):
    login_as(client, ProfileFactory())
    params = (
        "q=hanks&kind=movie&genre=family&genre=drama&year_min=1980&year_max=1989"
        "&runtime_min=90&runtime_max=120&language=en&certification=PG&certification=G"
    )
    page = client.get(f"/search/?{params}").content.decode()
    start = page.index('<form class="search-box"')
    form = page[start : page.index("</form>", start)]
    for name, value in [("kind", "movie"), ("genre", "drama"), ("genre", "family"),
                        ("year_min", "1980"), ("year_max", "1989"), ("runtime_min", "90"),
                        ("runtime_max", "120"), ("language", "en"), ("certification", "G"),
                        ("certification", "PG")]:  # fmt: skip
        assert f'<input type="hidden" name="{name}" value="{value}">' in form
    assert 'name="q"' in form and "A new search keeps the filters you chose." in page


def test_the_page_says_how_facets_combine_and_names_languages(client, catalogue):
    login_as(client, ProfileFactory())
    page = client.get("/search/").content.decode()
    assert "within a section, any of the values you pick" in page
    assert "German" in page and ">DE<" not in page
    assert 'Genres <span class="facet-hint">any of</span>' in page


def test_a_year_in_the_query_is_said_to_be_read_as_a_year(client, catalogue):
    login_as(client, ProfileFactory())
    page = client.get("/search/?q=godfather+1972").content.decode()
    assert "1 result for “godfather 1972” from 1972" in page
