"""The search parameters are checked by a Django form: bounded integers, known choices, no NUL."""

import pytest
from django.http import QueryDict

from catalog.forms import MAX_PAGE, SearchForm, first_error


def errors_of(query: str) -> str:
    form = SearchForm(QueryDict(query))
    assert not form.is_valid()
    return first_error(form)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=a%00b", "q must not contain NUL bytes."),
        ("genre=dra%00ma", "genre must be a slug"),
        ("genre=drama&genre=sci%20fi", "genre must be a slug"),
        ("year_min=99999999999999999999", "year_min must be between 1870 and 2100."),
        ("year_max=1e309", "year_max must be a whole number."),
        ("runtime_max=10001", "runtime_max must be between 0 and 10000."),
        (f"page={MAX_PAGE + 1}", f"page must be between 1 and {MAX_PAGE}."),
        ("page=NaN", "page must be a whole number."),
        ("kind=book", "kind must be movie or series."),
        ("certification=NC-18", "Unknown certification 'NC-18'."),
        ("language=e%00", "language must be a two-letter ISO 639-1 code."),
        ("year_min=2001&year_max=1999", "year_min is after year_max."),
    ],
)
def test_a_bad_parameter_is_refused_with_a_message_naming_it(query, message):
    assert errors_of(query).startswith(message)


def test_good_parameters_are_normalised():
    form = SearchForm(
        QueryDict("q=++the+%20godfather+&genre=drama&genre=crime&genre=drama&language=EN&page=2")
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["q"] == "the godfather"
    assert data["genre"] == ["crime", "drama"]
    assert data["language"] == ["en"]
    assert data["page"] == 2 and data["year_min"] is None


def test_a_long_query_is_cut_and_many_genres_are_capped():
    form = SearchForm(QueryDict("q=" + "x" * 500 + "".join(f"&genre=g{n}" for n in range(30))))
    assert form.is_valid()
    assert len(form.cleaned_data["q"]) == 100 and len(form.cleaned_data["genre"]) == 10
