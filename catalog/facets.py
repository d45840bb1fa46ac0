"""Facet counts for search: each facet counts the titles that pass every *other* filter.

Within a facet the chosen values are alternatives (Drama or Comedy; English or French);
the facets narrow each other (a Drama or Comedy, and in English). So the count beside a value
is what the results hold of it once the other facets apply, whatever is chosen in its own.

Two ways to count, one way to present. Browsing (no query) counts in the database, because the
base is the whole visible catalogue. A query's base is at most a few hundred matched titles, so
their facts are read once and counted in Python (`RowFacts`), which costs two queries instead
of seven. Both fill the same count dicts, and `facets_from_counts` turns those into the lists
the page shows; catalog/tests/test_facets.py checks the two counts agree.
"""

from collections import Counter
from dataclasses import dataclass, fields

import pycountry
from django.db.models import Count, F, Q

from catalog.models import Certification, Genre, Kind, Title

FACETS = ("kind", "genre", "language", "certification", "year", "runtime")
LANGUAGES_SHOWN = 12


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def apply_filters(titles, filters, *, skip: str = ""):
    """Every filter except `skip`, on a queryset (facet counts leave their own facet out)."""
    if filters.kind and skip != "kind":
        titles = titles.filter(kind=filters.kind)
    if filters.genres and skip != "genre":  # any chosen genre will do; no join, no duplicates
        tagged = Title.genres.through.objects.filter(genre__slug__in=filters.genres)
        titles = titles.filter(pk__in=tagged.values("title_id"))
    if filters.languages and skip != "language":
        titles = titles.filter(original_language__in=filters.languages)
    if filters.certifications and skip != "certification":
        titles = titles.filter(certification__in=filters.certifications)
    if skip != "year":
        if filters.year_min:
            titles = titles.filter(year__gte=filters.year_min)
        if filters.year_max:
            titles = titles.filter(year__lte=filters.year_max)
    if skip != "runtime":
        if filters.runtime_min is not None:
            titles = titles.filter(runtime__gte=filters.runtime_min)
        if filters.runtime_max is not None:
            titles = titles.filter(runtime__lte=filters.runtime_max)
    return titles


@dataclass
class RowFacts:
    """What the filters and facets look at, for one title, read in one query."""

    pk: int
    kind: str
    language: str
    certification: str
    year: int | None
    runtime: int | None
    popularity: float
    maturity_level: int
    genres: frozenset[str]

    def passes(self, filters, *, skip: str = "") -> bool:
        """`apply_filters` for one title, in Python."""
        checks = {
            "kind": not filters.kind or self.kind == filters.kind,
            "genre": not filters.genres or not self.genres.isdisjoint(filters.genres),
            "language": not filters.languages or self.language in filters.languages,
            "certification": (
                not filters.certifications or self.certification in filters.certifications
            ),
            "year": _within(self.year, filters.year_min or None, filters.year_max or None),
            "runtime": _within(self.runtime, filters.runtime_min, filters.runtime_max),
        }
        return all(ok for facet, ok in checks.items() if facet != skip)

    def as_row(self) -> tuple:
        """The fields in order, for the cache (`RowFacts(*row)` reads it back)."""
        return tuple(getattr(self, f.name) for f in fields(self))


def _within(value: int | None, low: int | None, high: int | None) -> bool:
    """A range filter: no bound passes everything; a bound never passes an unknown value."""
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def row_facts(base) -> list[RowFacts]:
    """The facts of every title in `base` (a bounded queryset): two queries."""
    rows = list(
        base.values_list(
            "pk",
            "kind",
            "original_language",
            "certification",
            "year",
            "runtime",
            "popularity",
            "maturity_level",
        )
    )
    genres: dict[int, set[str]] = {}
    pairs = Title.genres.through.objects.filter(title_id__in=[r[0] for r in rows])
    for title_id, slug in pairs.values_list("title_id", "genre__slug"):
        genres.setdefault(title_id, set()).add(slug)
    return [RowFacts(*row, frozenset(genres.get(row[0], ()))) for row in rows]


def counts_in_python(facts: list[RowFacts], filters, buckets) -> dict[str, dict]:
    counts: dict[str, Counter] = {facet: Counter() for facet in FACETS}
    for row in facts:
        if row.passes(filters, skip="kind"):
            counts["kind"][row.kind] += 1
        if row.passes(filters, skip="genre"):
            counts["genre"].update(row.genres)
        if row.language and row.passes(filters, skip="language"):
            counts["language"][row.language] += 1
        if row.passes(filters, skip="certification"):
            counts["certification"][row.certification] += 1
        if row.year is not None and row.passes(filters, skip="year"):
            counts["year"][row.year // 10 * 10] += 1
        if row.runtime is not None and row.passes(filters, skip="runtime"):
            for key, _, low, high in buckets:
                if low <= row.runtime <= high:
                    counts["runtime"][key] += 1
    return {facet: dict(counter) for facet, counter in counts.items()}


def counts_in_database(base, filters, buckets) -> dict[str, dict]:
    def grouped(skip: str, column) -> dict:
        rows = apply_filters(base, filters, skip=skip).values_list(column).annotate(n=Count("pk"))
        return dict(rows.order_by())

    genres = (
        apply_filters(base, filters, skip="genre")
        .values_list("genres__slug")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    runtime = apply_filters(base, filters, skip="runtime").aggregate(
        **{
            key: Count("pk", filter=Q(runtime__gte=low, runtime__lte=high))
            for key, _, low, high in buckets
        }
    )
    return {
        "kind": grouped("kind", "kind"),
        "genre": {slug: n for slug, n in genres if slug},
        "language": grouped("language", "original_language"),
        "certification": grouped("certification", "certification"),
        # Counted by the database: streaming every year through a server-side cursor took
        # seconds on PostgreSQL (a cursor's plan favours first rows).
        "year": grouped("year", F("year") / 10 * 10),
        "runtime": runtime,
    }


def language_name(code: str) -> str:
    """ "Japanese" for "ja" (ISO 639-1, from pycountry); the code itself when unknown."""
    language = pycountry.languages.get(alpha_2=code)
    return language.name if language else code.upper()


def facets_from_counts(counts: dict[str, dict], filters, buckets) -> dict[str, list[FacetValue]]:
    """The facet lists the page shows, from either count."""
    kinds, certs = counts["kind"], counts["certification"]
    languages = sorted(
        ((code, n) for code, n in counts["language"].items() if code and n),
        key=lambda kv: (-kv[1], kv[0]),
    )[:LANGUAGES_SHOWN]
    # A chosen language stays listed (to be unticked) even when nothing else leaves it a count.
    shown = {code for code, _ in languages}
    languages += [(code, 0) for code in filters.languages if code not in shown]
    genre_counts = counts["genre"]
    decades = {d: n for d, n in counts["year"].items() if d is not None and n}
    return {
        "kind": [
            FacetValue(value, label, kinds.get(value, 0), filters.kind == value)
            for value, label in Kind.choices
        ],
        "genre": [
            FacetValue(g.slug, g.name, genre_counts.get(g.slug, 0), g.slug in filters.genres)
            for g in Genre.objects.order_by("name")
            if genre_counts.get(g.slug) or g.slug in filters.genres
        ],
        "language": [
            FacetValue(code, language_name(code), n, code in filters.languages)
            for code, n in languages
        ],
        "certification": [
            FacetValue(value, label, certs.get(value, 0), value in filters.certifications)
            for value, label in Certification.choices
            if certs.get(value) or value in filters.certifications
        ],
        "year": [
            FacetValue(str(d), f"{d}s", n, filters.year_min == d and filters.year_max == d + 9)
            for d, n in sorted(decades.items(), reverse=True)
        ],
        "runtime": [
            FacetValue(
                key,
                label,
                counts["runtime"].get(key, 0),
                filters.runtime_min == low and filters.runtime_max == high,
            )
            for key, label, low, high in buckets
        ],
    }
