"""Typo-tolerant search over titles and people, with facets that combine and count.

One selector, two matchers with the same behaviour: on PostgreSQL, pg_trgm word similarity
(GIN-indexed by a migration); on SQLite, rapidfuzz over the same idea — the best match between
the query and any run of as many words in the name. "godfater" finds The Godfather; "hanks"
finds Tom Hanks's titles (through his credits) but not Thanksgiving.
"""

import hashlib
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Greatest
from rapidfuzz import fuzz, process, utils

from catalog.facets import (
    FacetValue,
    apply_filters,
    counts_in_database,
    counts_in_python,
    facets_from_counts,
    row_facts,
)
from catalog.forms import MAX_RUNTIME, PageForm, SearchForm, first_error
from catalog.models import Credit, Person, Title

MAX_MATCHES = 500
MATCH_SECONDS = 10 * 60  # a shared query's matches are reused this long at most
WORD_SIMILARITY = 0.6  # pg_trgm word_similarity threshold
SIMILARITY = 0.35  # pg_trgm similarity threshold (whole name)
FUZZY_CUTOFF = 80  # rapidfuzz ratio (0-100) on SQLite
WHOLE_NAME_SHARE = 0.2  # the rest of a score is the best match against a run of words
PERSON_WEIGHT = 0.95  # a title found through a person ranks just below a direct title match
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
    language: str = ""
    certification: str = ""

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
            language=data["language"], certification=data["certification"],
        )  # fmt: skip

    def params(self, **changes) -> dict:
        values = {
            "q": self.query, "kind": self.kind, "genre": self.genres, "year_min": self.year_min,
            "year_max": self.year_max, "runtime_min": self.runtime_min,
            "runtime_max": self.runtime_max, "language": self.language,
            "certification": self.certification,
        }  # fmt: skip
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None, [])}

    def querystring(self, **changes) -> str:
        return urlencode(self.params(**changes), doseq=True)

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
def matching_title_ids(query: str, *, catalogue_version: int | None = None) -> dict[int, float]:
    """title id -> score (0..1) for titles whose name, or someone in whose credits, matches.

    Matching depends on the query and the catalogue only, so with `catalogue_version` (a number
    the caller moves whenever titles or credits change) the answer is shared through the cache
    by every viewer who types the same words, for MATCH_SECONDS at most."""
    if catalogue_version is None:
        return _matching(query)
    digest = hashlib.blake2b(query.lower().encode(), digest_size=16).hexdigest()
    key = f"searchmatch:{catalogue_version}:{digest}"
    found = cache.get(key)
    if found is None:
        found = list(_matching(query).items())
        cache.set(key, found, MATCH_SECONDS)
    return dict(found)


def _matching(query: str) -> dict[int, float]:
    if connection.vendor == "postgresql":
        titles, people = _trigram_titles(query), _trigram_people(query)
    else:
        index = _fuzzy_index()
        titles, people = index.titles(query), index.people(query)
    scores = dict(titles)
    if people:
        credits = Credit.objects.filter(person_id__in=list(people)).values_list(
            "title_id", "person_id"
        )
        for title_id, person_id in credits:
            score = people[person_id] * PERSON_WEIGHT
            if score > scores.get(title_id, 0):
                scores[title_id] = score
    best = sorted(scores.items(), key=lambda kv: -kv[1])[:MAX_MATCHES]
    return dict(best)


def _trigram_titles(query: str) -> dict[int, float]:
    rows = (
        Title.objects.annotate(
            word=Greatest(
                TrigramWordSimilarity(query, "title"),
                TrigramWordSimilarity(query, "original_title"),
            ),
            whole=TrigramSimilarity("title", query),
        )
        .annotate(score=F("word") * (1 - WHOLE_NAME_SHARE) + F("whole") * WHOLE_NAME_SHARE)
        .filter(
            Q(title__trigram_word_similar=query)
            | Q(original_title__trigram_word_similar=query)
            | Q(title__trigram_similar=query)
        )
        .filter(Q(word__gte=WORD_SIMILARITY) | Q(whole__gte=SIMILARITY))
        .values_list("pk", "score")
        .order_by("-score")[:MAX_MATCHES]
    )
    return {pk: float(score) for pk, score in rows}


def _trigram_people(query: str) -> dict[int, float]:
    rows = (
        Person.objects.annotate(
            word=TrigramWordSimilarity(query, "name"), whole=TrigramSimilarity("name", query)
        )
        .annotate(score=F("word") * (1 - WHOLE_NAME_SHARE) + F("whole") * WHOLE_NAME_SHARE)
        .filter(name__trigram_word_similar=query, word__gte=WORD_SIMILARITY)
        .values_list("pk", "score")
        .order_by("-score")[:100]
    )
    return {pk: float(score) for pk, score in rows}


class _FuzzyIndex:
    """Names split into runs of 1-4 words, matched in C by rapidfuzz; rebuilt when data changes."""

    def __init__(self, stamp):
        self.stamp = stamp
        names = list(Title.objects.values_list("pk", "title", "original_title"))
        self._title_names = {pk: title for pk, title, _ in names}
        self._titles = self._windows(
            (pk, name) for pk, title, original in names for name in (title, original) if name
        )
        people = list(Person.objects.values_list("pk", "name"))
        self._person_names = dict(people)
        self._people = self._windows(people)

    @staticmethod
    def _windows(rows) -> dict[int, tuple[list[str], list[int]]]:
        by_size: dict[int, tuple[list[str], list[int]]] = {n: ([], []) for n in range(1, 5)}
        for pk, name in rows:
            words = utils.default_process(name).split()
            for size in range(1, min(len(words), 4) + 1):
                texts, owners = by_size[size]
                for start in range(len(words) - size + 1):
                    texts.append(" ".join(words[start : start + size]))
                    owners.append(pk)
        return by_size

    @staticmethod
    def _match(query: str, by_size, names: dict[int, str]) -> dict[int, float]:
        words = utils.default_process(query).split()
        if not words:
            return {}
        phrase = " ".join(words)
        texts, owners = by_size[min(len(words), 4)]
        best: dict[int, float] = {}
        matches = process.extract(
            phrase, texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=MAX_MATCHES * 4
        )
        for _, score, index in matches:
            best[owners[index]] = max(best.get(owners[index], 0.0), score / 100)
        # Like pg_trgm above: the best word-run match, plus a share for the whole name.
        whole = {
            owner: fuzz.ratio(phrase, names[owner], processor=utils.default_process) / 100
            for owner in best
        }
        return {
            o: w * (1 - WHOLE_NAME_SHARE) + whole[o] * WHOLE_NAME_SHARE for o, w in best.items()
        }

    def titles(self, query: str) -> dict[int, float]:
        return self._match(query, self._titles, self._title_names)

    def people(self, query: str) -> dict[int, float]:
        return self._match(query, self._people, self._person_names)


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
    visible,
    filters: SearchFilters,
    page: int = 1,
    per_page: int = 24,
    catalogue_version: int | None = None,
) -> SearchPage:
    """A page of results from `visible` (the profile's titles) and the facet counts;
    `catalogue_version` lets the matching be shared (see `matching_title_ids`)."""
    scores = (
        matching_title_ids(filters.query, catalogue_version=catalogue_version)
        if filters.query
        else None
    )
    if scores is None:  # browsing: the database filters and counts the whole visible catalogue
        matching = apply_filters(visible, filters)
        ids = list(
            matching.order_by("-popularity", "pk").values_list("pk", flat=True)[
                : page * per_page + 1
            ]
        )
        total = matching.count()
        counts = counts_in_database(visible, filters, RUNTIME_BUCKETS)
    else:  # a query: its few hundred matches are read once, then filtered and counted here
        facts = row_facts(visible.filter(pk__in=list(scores)))
        passing = [row for row in facts if row.passes(filters)]
        passing.sort(key=lambda row: (-round(scores[row.pk], 2), -row.popularity, row.pk))
        ids = [row.pk for row in passing]
        total = len(ids)
        counts = counts_in_python(facts, filters, RUNTIME_BUCKETS)
    window = ids[(page - 1) * per_page : page * per_page]
    titles = Title.objects.filter(pk__in=window).prefetch_related("genres")
    by_id = {t.pk: t for t in titles}
    return SearchPage(
        titles=[by_id[pk] for pk in window if pk in by_id],
        total=total,
        page=page,
        has_next=len(ids) > page * per_page,
        facets=facets_from_counts(counts, filters, RUNTIME_BUCKETS),
    )
