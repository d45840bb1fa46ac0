"""Facet counts: the database count (browsing) and the Python count (a query's matches) agree,
so a facet shows the same number whichever way the page was reached."""

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.facets import apply_filters, counts_in_database, counts_in_python, row_facts
from catalog.models import Title
from catalog.search import RUNTIME_BUCKETS, SearchFilters
from catalog.tests.factories import GenreFactory, TitleFactory, search_catalogue

pytestmark = pytest.mark.django_db

FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["movie", "series"]),
        "genre": st.lists(st.sampled_from(["drama", "crime", "family", "horror"]), max_size=2),
        "language": st.lists(st.sampled_from(["en", "de", "fr"]), max_size=2),
        "certification": st.lists(st.sampled_from(["G", "PG", "R", "TV-MA"]), max_size=2),
        "year_min": st.sampled_from(["1970", "1990", "2000"]),
        "year_max": st.sampled_from(["1989", "1999", "2030"]),
        "runtime_min": st.sampled_from(["0", "90", "151"]),
        "runtime_max": st.sampled_from(["89", "120", "10000"]),
    },
)


def comparable(counts: dict[str, dict]) -> dict[str, dict]:
    """Unknown values (no year, no language) and zero counts are not shown either way."""
    return {
        facet: {k: n for k, n in c.items() if k not in (None, "") and n}
        for facet, c in counts.items()
    }


@pytest.fixture
def catalogue():
    search_catalogue()
    horror = GenreFactory(name="Horror")
    TitleFactory(title="No Year", year=None, runtime=None, certification="R", genres=[horror])
    TitleFactory(title="Silent", year=1927, runtime=95, certification="PG", original_language="")
    # On the bounds the filters offer, where >= and > part ways.
    TitleFactory(title="Edge One", year=1990, runtime=90, kind="series", genres=[horror])
    TitleFactory(title="Edge Two", year=1999, runtime=120, original_language="fr")
    TitleFactory(title="Edge Three", year=2000, runtime=151, certification="G")


def test_the_two_counts_agree_on_every_combination_of_filters(catalogue):
    base = Title.objects.all()
    facts = row_facts(base)

    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(FILTERS)
    def agree(params):
        query = QueryDict(mutable=True)
        for name, value in params.items():
            query.setlist(name, value if isinstance(value, list) else [value])
        try:
            filters = SearchFilters.from_params(query)
        except ValueError:
            return  # year_min after year_max: refused before counting
        in_python = counts_in_python(facts, filters, RUNTIME_BUCKETS)
        in_database = counts_in_database(base, filters, RUNTIME_BUCKETS)
        assert comparable(in_python) == comparable(in_database), params
        passing = {row.pk for row in facts if row.passes(filters)}
        assert passing == set(apply_filters(base, filters).values_list("pk", flat=True))

    agree()
