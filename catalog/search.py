"""Typo-tolerant search over titles and people, with facets that combine and count.

One selector, two matchers with the same behaviour (catalog/matching.py says how a query meets
a name): on PostgreSQL, pg_trgm word similarity over folded names (GIN-indexed by
migrations); on SQLite, rapidfuzz word by word. "godfater" finds The Godfather; "hanks" finds
Tom Hanks's titles (through his credits) but not Thanksgiving; "leon" finds Léon; "matrix
1999" reads 1999 as a year.
"""

import hashlib
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Func, Max, Q
from django.db.models.functions import Greatest

from catalog.facets import (
    FacetValue,
    RowFacts,
    apply_filters,
    counts_in_database,
    counts_in_python,
    facets_from_counts,
    row_facts,
)
from catalog.forms import MAX_QUERY, MAX_RUNTIME, PageForm, SearchForm, first_error
from catalog.matching import (
    WHOLE_NAME_SHARE,
    YEAR_RANGE,
    Hit,
    NameIndex,
    QueryWords,
    fold,
    query_words,
)
from catalog.models import Credit, Person, Title
from catalog.selectors import Audience, titles_visible

MAX_MATCHES = 500
MATCH_SECONDS = 10 * 60  # a shared query's matches are reused this long at most
WORD_SIMILARITY = 0.6  # pg_trgm word_similarity threshold
SIMILARITY = 0.35  # pg_trgm similarity threshold (whole name)
PERSON_WEIGHT = 0.97  # a title found through a person ranks just below a direct title match
# Matches this far (0..1) below the best match of the query are dropped as noise. Set on the
# demo catalogue's relevance set (catalog/tests/test_search_relevance.py) and checked against
# ml-latest-small: "batman" vs Jason Bateman is 0.89 * PERSON_WEIGHT below an exact 1.0.
RELEVANCE_GAP = 0.08
SUGGESTIONS = 6  # titles offered under the search box while typing
MIN_SUGGEST_LETTERS = 2
RUNTIME_BUCKETS = [
    ("short", "Under 90 min", 0, 89),
    ("standard", "90 to 120 min", 90, 120),
    ("long", "121 to 150 min", 121, 150),
    ("epic", "Over 150 min", 151, MAX_RUNTIME),
]


class SearchError(ValueError):
    """A search parameter that makes no sense; the view answers 400 with this message."""


@dataclass
class SearchFilters:
    query: str = ""
    kind: str = ""
    genres: list[str] = field(default_factory=list)
    year_min: int | None = None
    year_max: int | None = None
    runtime_min: int | None = None
    runtime_max: int | None = None
    languages: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params) -> "SearchFilters":
        """The filters in a query (`request.GET` or a saved query string), checked by
        `SearchForm`; a bad parameter raises SearchError naming it."""
        form = SearchForm(params)
        if not form.is_valid():
            raise SearchError(first_error(form))
        data = form.cleaned_data
        return cls(
            query=data["q"], kind=data["kind"], genres=data["genre"],
            year_min=data["year_min"], year_max=data["year_max"],
            runtime_min=data["runtime_min"], runtime_max=data["runtime_max"],
            languages=data["language"], certifications=data["certification"],
        )  # fmt: skip

    def params(self, **changes) -> dict:
        values = {
            "q": self.query, "kind": self.kind, "genre": self.genres, "year_min": self.year_min,
            "year_max": self.year_max, "runtime_min": self.runtime_min,
            "runtime_max": self.runtime_max, "language": self.languages,
            "certification": self.certifications,
        }  # fmt: skip
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None, [])}

    def querystring(self, **changes) -> str:
        return urlencode(self.params(**changes), doseq=True)

    def kept_filters(self) -> list[tuple[str, str]]:
        """Every filter but the query, as (name, value) pairs: the search box sends them again
        as hidden inputs, so a new query keeps the facets chosen."""
        return [
            (name, str(item))
            for name, value in self.params(q="").items()
            for item in (value if isinstance(value, list) else [value])
        ]

    @property
    def query_years(self) -> list[int]:
        """Years in the query, read as filters ("matrix 1999")."""
        return query_words(self.query).years

    @property
    def is_empty(self) -> bool:
        return not self.params()


def page_number(params) -> int:
    """The `page` parameter: 1 to MAX_PAGE, 1 when absent; SearchError otherwise."""
    form = PageForm(params)
    if not form.is_valid():
        raise SearchError(first_error(form))
    return form.cleaned_data["page"] or 1


# ------------------------------------------------------------------------------ matching
def query_matches(
    query: str, *, catalogue_version: int | None = None
) -> tuple[dict[int, float], list[RowFacts]]:
    """The titles `query` matches, as title id -> score (0..1), and their facts.

    Both depend on the query and the catalogue only, not on who asks. So with
    `catalogue_version` (a number the caller moves whenever titles or credits change), the
    answer is shared through the cache by every viewer who types the same words (after
    folding), for MATCH_SECONDS at most. Each audience keeps the facts it sees
    (`Audience.sees`); the titles a page shows are read again under the ceiling."""
    if catalogue_version is None:
        return _matches(query)
    digest = hashlib.blake2b(fold(query).encode(), digest_size=16).hexdigest()
    key = f"searchfacts:{catalogue_version}:{digest}"
    found = cache.get(key)
    if found is None:
        scores, facts = _matches(query)
        cache.set(key, (list(scores.items()), [f.as_row() for f in facts]), MATCH_SECONDS)
        return scores, facts
    scores, rows = found
    return dict(scores), [RowFacts(*row) for row in rows]


def _matches(query: str) -> tuple[dict[int, float], list[RowFacts]]:
    scores = matching_title_ids(query)
    return scores, row_facts(Title.objects.filter(pk__in=list(scores)))


def matching_title_ids(query: str) -> dict[int, float]:
    """title id -> score (0..1) for titles whose name, or someone in whose credits, matches."""
    on_postgresql = connection.vendor == "postgresql"
    # Every caller's query is cut here too (the onboarding box is not a SearchForm).
    words = query_words(query[:MAX_QUERY], numerals=not on_postgresql)
    if not words.words:
        return {}
    if on_postgresql:
        titles, people = _trigram_titles(words), _trigram_people(words)
    else:
        index = _fuzzy_index()
        titles, people = index.titles.match(words), index.people.match(words)
    hits = dict(titles)
    if people:
        credits = Credit.objects.filter(person_id__in=list(people)).values_list(
            "title_id", "person_id"
        )
        for title_id, person_id in credits:
            hit = people[person_id]
            hit = Hit(hit.match * PERSON_WEIGHT, hit.score * PERSON_WEIGHT)
            if title_id not in hits or hit.score > hits[title_id].score:
                hits[title_id] = hit
    if words.years:
        hits = _of_years(hits, words.years)
    elif not hits and all(w.isdigit() and int(w) in YEAR_RANGE for w in words.words):
        # Only years, and no title named so ("1999"): the titles of those years.
        years = Title.objects.filter(year__in=[int(w) for w in words.words])
        hits = {pk: Hit(1.0, 1.0) for pk in years.values_list("pk", flat=True)[:MAX_MATCHES]}
    if not hits:
        return {}
    # The relevance threshold: far weaker matches than the best are noise ("batman" finds
    # Batman; Jason Bateman's films are a typo away, so they stay out).
    floor = max(hit.match for hit in hits.values()) - RELEVANCE_GAP
    kept = [(pk, hit.score) for pk, hit in hits.items() if hit.match >= floor]
    kept.sort(key=lambda kv: -kv[1])
    return dict(kept[:MAX_MATCHES])


def _of_years(hits: dict[int, Hit], years: list[int]) -> dict[int, Hit]:
    """The hits from one of `years`, or that name the year ("blade runner 2049")."""
    named = {str(year) for year in years}
    rows = Title.objects.filter(pk__in=list(hits)).values_list("pk", "year", "title")
    return {
        pk: hits[pk]
        for pk, year, title in rows
        if year in years or named & set(fold(title).split())
    }


class Fold(Func):
    """`marquee_fold(text)`: unaccent + lower, an IMMUTABLE SQL function (catalog 0005) so
    that the trigram indexes can be built on it."""

    function = "marquee_fold"
    output_field = CharField()


def _trigram_titles(words: QueryWords) -> dict[int, Hit]:
    phrase = words.phrase
    rows = (
        Title.objects.annotate(folded=Fold("title"), folded_original=Fold("original_title"))
        .annotate(
            word=Greatest(
                TrigramWordSimilarity(phrase, "folded"),
                TrigramWordSimilarity(phrase, "folded_original"),
            ),
            whole=TrigramSimilarity("folded", phrase),
        )
        .filter(
            Q(folded__trigram_word_similar=phrase)
            | Q(folded_original__trigram_word_similar=phrase)
            | Q(folded__trigram_similar=phrase)
        )
        .filter(Q(word__gte=WORD_SIMILARITY) | Q(whole__gte=SIMILARITY))
        .values_list("pk", "word", "whole")
        .order_by("-word")[:MAX_MATCHES]
    )
    return {pk: _trigram_hit(word, whole) for pk, word, whole in rows}


def _trigram_people(words: QueryWords) -> dict[int, Hit]:
    phrase = words.phrase
    rows = (
        Person.objects.annotate(folded=Fold("name"))
        .annotate(
            word=TrigramWordSimilarity(phrase, "folded"),
            whole=TrigramSimilarity("folded", phrase),
        )
        .filter(folded__trigram_word_similar=phrase, word__gte=WORD_SIMILARITY)
        .values_list("pk", "word", "whole")
        .order_by("-word")[:100]
    )
    return {pk: _trigram_hit(word, whole) for pk, word, whole in rows}


def _trigram_hit(word: float, whole: float) -> Hit:
    match = max(float(word), float(whole))
    return Hit(match, match * (1 - WHOLE_NAME_SHARE) + float(whole) * WHOLE_NAME_SHARE)


class _FuzzyIndex:
    """Every title's and person's name in a `NameIndex`; rebuilt when the data changes."""

    def __init__(self, stamp):
        self.stamp = stamp
        rows = list(Title.objects.values_list("pk", "title", "original_title"))
        self.titles = NameIndex(
            (pk, name) for pk, title, original in rows for name in (title, original) if name
        )
        self.people = NameIndex(Person.objects.values_list("pk", "name"))


_index_lock = threading.Lock()
_index: _FuzzyIndex | None = None


def _fuzzy_index() -> _FuzzyIndex:
    global _index
    titles = Title.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    stamp = (titles["n"], titles["changed"], Person.objects.count())
    with _index_lock:
        if _index is None or _index.stamp != stamp:
            _index = _FuzzyIndex(stamp)
        return _index


# ------------------------------------------------------------------------------- results
@dataclass
class SearchPage:
    titles: list[Title]
    total: int
    page: int
    has_next: bool
    facets: dict[str, list[FacetValue]]


def search_titles(
    *,
    audience: Audience,
    filters: SearchFilters,
    page: int = 1,
    per_page: int = 24,
    catalogue_version: int | None = None,
) -> SearchPage:
    """A page of the titles `audience` may see, and the facet counts; `catalogue_version` lets
    a query's matches be shared (see `query_matches`)."""
    if not filters.query:  # browsing: the database filters and counts the whole catalogue
        visible = audience.titles()
        matching = apply_filters(visible, filters)
        ids = list(
            matching.order_by("-popularity", "pk").values_list("pk", flat=True)[
                : page * per_page + 1
            ]
        )
        total = matching.count()
        counts = counts_in_database(visible, filters, RUNTIME_BUCKETS)
    else:  # a query: its few hundred matches' facts are filtered and counted here
        scores, facts = _seen(audience, filters, catalogue_version)
        ids = _ranked([row for row in facts if row.passes(filters)], scores)
        total = len(ids)
        counts = counts_in_python(facts, filters, RUNTIME_BUCKETS)
    window = ids[(page - 1) * per_page : page * per_page]
    by_id = _shown(audience, window).prefetch_related("genres").in_bulk()
    return SearchPage(
        titles=[by_id[pk] for pk in window if pk in by_id],
        total=total,
        page=page,
        has_next=len(ids) > page * per_page,
        facets=facets_from_counts(counts, filters, RUNTIME_BUCKETS),
    )


def _seen(audience: Audience, filters: SearchFilters, catalogue_version: int | None):
    """The query's scores, and the facts of the matches `audience` sees."""
    scores, facts = query_matches(filters.query, catalogue_version=catalogue_version)
    return scores, [row for row in facts if audience.sees(row.pk, row.maturity_level)]


def _shown(audience: Audience, ids: list[int]):
    """The titles a page shows, read under the ceiling again: the cached facts may predate a
    change that skipped `catalogue_changed` (catalog/services.py)."""
    return titles_visible(ceiling=audience.ceiling).filter(pk__in=ids)


def _ranked(rows: list[RowFacts], scores: dict[int, float]) -> list[int]:
    """Best match first; equal matches (to two decimals) by popularity."""
    rows = sorted(rows, key=lambda row: (-round(scores[row.pk], 2), -row.popularity, row.pk))
    return [row.pk for row in rows]


def titles_matching(titles, query: str, *, limit: int) -> list[Title]:
    """The titles of the queryset `titles` that match `query`, in the search page's order
    (the onboarding grid's search)."""
    scores = matching_title_ids(query)
    found = titles.filter(pk__in=list(scores))
    return sorted(found, key=lambda t: (-round(scores[t.pk], 2), -t.popularity, t.pk))[:limit]


def search_suggestions(
    *,
    audience: Audience,
    filters: SearchFilters,
    limit: int = SUGGESTIONS,
    catalogue_version: int | None = None,
) -> list[Title]:
    """What the search box offers while typing: the first results of the query that
    `audience` may see, under the chosen filters, without counts."""
    if len(fold(filters.query).replace(" ", "")) < MIN_SUGGEST_LETTERS:
        return []
    scores, facts = _seen(audience, filters, catalogue_version)
    ids = _ranked([row for row in facts if row.passes(filters)], scores)[:limit]
    by_id = _shown(audience, ids).only("pk", "slug", "title", "year", "kind").in_bulk()
    return [by_id[pk] for pk in ids if pk in by_id]
