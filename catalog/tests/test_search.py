"""Search behaves the same on SQLite (rapidfuzz) and PostgreSQL (pg_trgm); CI runs both."""

import pytest
from django.http import QueryDict

from catalog.models import MATURITY_LEVELS, MAX_MATURITY
from catalog.search import SearchError, SearchFilters, matching_title_ids, search_titles
from catalog.selectors import Audience
from catalog.tests.factories import TitleFactory, search_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return search_catalogue()


def run(params, ceiling=MAX_MATURITY):
    filters = SearchFilters.from_params(QueryDict(params))
    return search_titles(audience=Audience(ceiling), filters=filters)


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
    page = run("genre=crime&genre=family")  # any chosen genre (OR within a facet)
    assert set(names(page)) == {"The Godfather", "Dark", "Big", "Toy Story"}
    page = run("genre=crime&genre=family&kind=movie")  # and every facet (AND across facets)
    assert set(names(page)) == {"The Godfather", "Big", "Toy Story"}
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


def test_several_languages_or_certifications_are_alternatives(catalogue):
    assert set(names(run("language=de&language=en&kind=series"))) == {"Dark"}
    page = run("certification=G&certification=PG")
    assert set(names(page)) == {"Toy Story", "Big"}
    certs = {f.value: (f.count, f.selected) for f in page.facets["certification"]}
    assert certs["G"] == (1, True) and certs["PG"] == (1, True) and certs["R"] == (2, False)


def test_the_language_facet_names_languages(catalogue):
    labels = {f.value: f.label for f in run("").facets["language"]}
    assert labels["de"] == "German" and labels["en"] == "English"


def test_query_and_facets_together(catalogue):
    assert names(run("q=hanks&certification=G")) == ["Toy Story"]


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


def test_search_and_counts_stay_within_the_ceiling(catalogue):
    ceiling = MATURITY_LEVELS["PG"]
    assert run("q=godfather", ceiling).total == 0
    page = run("", ceiling)
    assert set(names(page)) == {"Toy Story", "Big"}
    assert {f.value for f in page.facets["certification"]} == {"G", "PG"}


def test_a_title_match_ranks_above_an_equal_match_through_a_person(catalogue):
    TitleFactory(title="Hanks", popularity=0)  # less popular than Tom Hanks's two films
    assert names(run("q=hanks")) == ["Hanks", "Toy Story", "Big"]


def test_accents_and_case_are_folded_on_both_sides(catalogue):
    TitleFactory(title="Léon: The Professional", original_title="Léon")
    TitleFactory(title="Amelie", original_title="Le Fabuleux Destin d'Amélie Poulain")
    assert names(run("q=LEON")) == ["Léon: The Professional"]
    assert names(run("q=amélie")) == ["Amelie"]
    assert names(run("q=fabuleux destin")) == ["Amelie"]  # the original title matches too
