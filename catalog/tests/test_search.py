"""Search behaves the same on SQLite (rapidfuzz) and PostgreSQL (pg_trgm); CI runs both."""

import pytest
from django.http import QueryDict

from catalog.search import SearchError, SearchFilters, matching_title_ids, search_titles
from catalog.selectors import titles_for_profile
from catalog.tests.factories import CreditFactory, GenreFactory, PersonFactory, TitleFactory
from profiles.models import Interaction, SavedSearch
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    drama, crime, family = (GenreFactory(name=n) for n in ("Drama", "Crime", "Family"))
    godfather = TitleFactory(title="The Godfather", year=1972, runtime=175, certification="R",
                             genres=[crime, drama], popularity=90)  # fmt: skip
    TitleFactory(title="Thanksgiving", year=2023, runtime=106, certification="R", genres=[drama])
    big = TitleFactory(
        title="Big", year=1988, runtime=104, certification="PG", genres=[family], popularity=50
    )
    toy = TitleFactory(title="Toy Story", year=1995, runtime=81, kind="movie", certification="G",
                       genres=[family], popularity=80, original_language="en")  # fmt: skip
    TitleFactory(title="Dark", year=2017, runtime=60, kind="series", certification="TV-MA",
                 genres=[drama, crime], original_language="de", popularity=70)  # fmt: skip
    hanks = PersonFactory(name="Tom Hanks")
    for title in (big, toy):
        CreditFactory(title=title, person=hanks)
    return {"godfather": godfather, "big": big, "toy": toy}


def run(params, profile=None):
    profile = profile or ProfileFactory()
    filters = SearchFilters.from_params(QueryDict(params))
    return search_titles(visible=titles_for_profile(profile), filters=filters)


def names(page):
    return [t.title for t in page.titles]


def test_a_typo_still_finds_the_title(catalogue):
    assert names(run("q=godfater"))[0] == "The Godfather"
    assert names(run("q=GODFATHER"))[0] == "The Godfather"


def test_a_persons_name_finds_their_titles_but_not_lookalike_words(catalogue):
    found = names(run("q=hanks"))
    assert set(found) == {"Toy Story", "Big"}
    assert "Thanksgiving" not in found
    assert set(names(run("q=tom hanx"))) == {"Toy Story", "Big"}


def test_matching_scores_titles(catalogue):
    scores = matching_title_ids("godfater")
    assert catalogue["godfather"].pk in scores and 0 < scores[catalogue["godfather"].pk] <= 1


def test_facets_combine_and_count(catalogue):
    page = run("genre=drama")
    assert set(names(page)) == {"The Godfather", "Thanksgiving", "Dark"}
    kinds = {f.value: f.count for f in page.facets["kind"]}
    assert kinds == {"movie": 2, "series": 1}
    page = run("genre=drama&genre=crime")
    assert set(names(page)) == {"The Godfather", "Dark"}
    page = run("genre=drama&kind=series&language=de")
    assert names(page) == ["Dark"]
    genres = {f.value: f.count for f in page.facets["genre"]}
    assert genres["crime"] == 1 and genres["drama"] == 1
    languages = {f.value: f.count for f in page.facets["language"]}
    assert languages == {"de": 1}  # the language facet counts titles matching the other filters


def test_year_and_runtime_ranges_and_their_facets(catalogue):
    page = run("year_min=1980&year_max=1999")
    assert set(names(page)) == {"Big", "Toy Story"}
    decades = {f.value: f.count for f in page.facets["year"]}
    assert decades["1970"] == 1 and decades["1980"] == 1 and decades["1990"] == 1
    page = run("runtime_min=0&runtime_max=89")
    assert set(names(page)) == {"Toy Story", "Dark"}
    runtimes = {f.value: f.count for f in page.facets["runtime"]}
    assert runtimes == {"short": 2, "standard": 2, "long": 0, "epic": 1}


def test_query_and_facets_together(catalogue):
    assert names(run("q=hanks&certification=G")) == ["Toy Story"]


def test_kids_profile_search_and_counts_stay_within_the_ceiling(catalogue):
    kid = KidsProfileFactory()
    page = run("q=godfather", kid)
    assert page.total == 0
    page = run("", kid)
    assert set(names(page)) == {"Toy Story", "Big"}
    certs = {f.value for f in page.facets["certification"]}
    assert certs == {"G", "PG"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("year_min=abc", "year_min must be a whole number"),
        ("kind=book", "kind must be movie or series"),
        ("year_min=2000&year_max=1990", "after year_max"),
        ("certification=X", "Unknown certification"),
        ("language=english", "two-letter"),
    ],
)
def test_bad_parameters_are_refused(params, message):
    with pytest.raises(SearchError, match=message):
        SearchFilters.from_params(QueryDict(params))


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
