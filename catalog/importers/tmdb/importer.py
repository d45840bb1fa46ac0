"""`import_tmdb`: which titles to import (lists, discover, ids, MovieLens links), fetched in
parallel under the gateway's rate limit and written batch by batch."""

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import DatabaseError

from catalog.importers.tmdb.gateway import TMDBAuthError, TMDBError, TMDBGateway, TMDBNotFound
from catalog.importers.tmdb.mapping import (
    PayloadError,
    TitleData,
    title_from_movie,
    title_from_series,
)
from catalog.importers.tmdb.store import titles_store
from catalog.models import Kind, Title

BATCH = 100
PAGE_SIZE = 20  # TMDB's list pages hold 20 results
# Our genre -> TMDB's genre id, for /discover (movie ids; TV folds some genres together).
DISCOVER_GENRES = {
    "movie": {
        "Action": 28, "Adventure": 12, "Animation": 16, "Comedy": 35, "Crime": 80,
        "Documentary": 99, "Drama": 18, "Family": 10751, "Fantasy": 14, "History": 36,
        "Horror": 27, "Music": 10402, "Mystery": 9648, "Romance": 10749,
        "Science Fiction": 878, "Thriller": 53, "War": 10752, "Western": 37,
    },
    "series": {
        "Action": 10759, "Adventure": 10759, "Animation": 16, "Comedy": 35, "Crime": 80,
        "Documentary": 99, "Drama": 18, "Family": 10751, "Fantasy": 10765, "Mystery": 9648,
        "Science Fiction": 10765, "War": 10768, "Western": 37,
    },
}  # fmt: skip
Target = tuple[str, int]  # (kind, TMDB id)


@dataclass
class ImportReport:
    listed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_found: int = 0
    failed: int = 0
    batches_failed: int = 0
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    title_ids: list[int] = field(default_factory=list)

    def problem(self, text: str) -> None:
        if len(self.problems) < 10:
            self.problems.append(text)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.batches_failed

    def summary(self) -> str:
        return (
            f"TMDB: {self.listed:,} titles asked for: {self.created:,} created, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{self.not_found:,} not found, {self.failed:,} failed"
            f"{f' ({self.batches_failed} batches rolled back)' if self.batches_failed else ''}; "
            f"{self.requests:,} requests ({self.retries:,} retries) in {self.seconds:.1f} s."
        )


def _kinds(kind: str) -> list[str]:
    return [Kind.MOVIE, Kind.SERIES] if kind == "both" else [kind]


def _api_kind(kind: str) -> str:
    return "movie" if kind == Kind.MOVIE else "tv"


def _from_pages(fetch: Callable[[int], dict], kind: str | None, limit: int) -> list[Target]:
    """Up to `limit` titles from a paged list; `kind` None reads each item's media_type."""
    found: list[Target] = []
    page = 1
    while len(found) < limit:
        answer = fetch(page)
        results = answer.get("results") or []
        for item in results:
            media = kind or {"movie": Kind.MOVIE, "tv": Kind.SERIES}.get(item.get("media_type"))
            if media and isinstance(item.get("id"), int):
                found.append((media, item["id"]))
        total_pages = answer.get("total_pages") or 1
        if not results or page >= min(total_pages, 500):
            break
        page += 1
    return found[:limit]


def targets_popular(gateway: TMDBGateway, n: int, kind: str = "both") -> list[Target]:
    return [
        t for k in _kinds(kind)
        for t in _from_pages(lambda p, k=k: gateway.popular(_api_kind(k), p), k, n)
    ]  # fmt: skip


def targets_top_rated(gateway: TMDBGateway, n: int, kind: str = "both") -> list[Target]:
    return [
        t for k in _kinds(kind)
        for t in _from_pages(lambda p, k=k: gateway.top_rated(_api_kind(k), p), k, n)
    ]  # fmt: skip


def targets_trending(gateway: TMDBGateway, window: str, n: int) -> list[Target]:
    return _from_pages(lambda p: gateway.trending(window, p), None, n)


def targets_discover(
    gateway: TMDBGateway, n: int, *, kind="both", year=None, genre=None
) -> list[Target]:
    targets = []
    for k in _kinds(kind):
        params: dict = {"sort_by": "popularity.desc"}
        if genre:
            genre_id = DISCOVER_GENRES[k].get(genre)
            if genre_id is None:
                continue  # TMDB has no such TV genre (History, Horror, Music, ...)
            params["with_genres"] = genre_id
        if year:
            params["primary_release_year" if k == Kind.MOVIE else "first_air_date_year"] = year

        def fetch(page, k=k, params=params):
            return gateway.discover(_api_kind(k), {**params, "page": page})

        targets += _from_pages(fetch, k, n)
    return targets


def targets_movielens() -> list[Target]:
    """Titles imported from MovieLens whose links.csv gave a TMDB id."""
    ids = Title.objects.filter(
        kind=Kind.MOVIE, movielens_id__isnull=False, tmdb_id__isnull=False
    ).values_list("tmdb_id", flat=True)
    return [(Kind.MOVIE, i) for i in sorted(ids)]


def parse_ids(raw: str) -> list[Target]:
    """'603,tv:1396,movie:550' -> targets; a bare id is a movie."""
    targets = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        kind, _, number = part.rpartition(":")
        kinds = {"": Kind.MOVIE, "movie": Kind.MOVIE, "tv": Kind.SERIES, "series": Kind.SERIES}
        if kind not in kinds or not number.isdigit() or int(number) == 0:
            raise ValueError(f"--ids: {part!r} is not an id like 603, movie:603 or tv:1396")
        targets.append((kinds[kind], int(number)))
    return targets


def fetch_title(gateway: TMDBGateway, target: Target) -> TitleData:
    kind, tmdb_id = target
    if kind == Kind.MOVIE:
        return title_from_movie(gateway.movie(tmdb_id))
    return title_from_series(gateway.series(tmdb_id))


def tmdb_import(
    *,
    gateway: TMDBGateway,
    targets: Iterable[Target],
    create: bool = True,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
    after_batch: Callable[[list[Target]], Callable[[], None] | None] | None = None,
    fail_fast: bool = False,
) -> ImportReport:
    """Fetch and store `targets` (duplicates once), batch by batch; a failing batch rolls back.

    `after_batch(batch)` may return a function run inside the batch's transaction. With
    `fail_fast`, a batch in which a title failed to fetch is not stored and the run stops (the
    sync, whose checkpoint must never pass a title it could not read)."""
    started = time.perf_counter()
    report = ImportReport()
    todo = list(dict.fromkeys(targets))
    report.listed = len(todo)
    images = gateway.images()
    batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
    with ThreadPoolExecutor(max_workers=gateway.concurrency) as pool:

        def submit(batch):
            return [pool.submit(_fetch, gateway, target) for target in batch]

        pending = submit(batches[0]) if batches else []
        for index, batch in enumerate(batches):
            outcomes = [future.result() for future in pending]
            # The next batch downloads while this one is written (only this thread writes).
            pending = submit(batches[index + 1]) if index + 1 < len(batches) else []
            fetched: list[TitleData] = []
            for target, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, TitleData):
                    fetched.append(outcome)
                elif isinstance(outcome, TMDBNotFound):
                    report.not_found += 1
                    report.problem(f"{target[0]} {target[1]}: {outcome}")
                elif isinstance(outcome, TMDBAuthError):
                    for future in pending:
                        future.cancel()
                    raise outcome
                else:
                    report.failed += 1
                    report.problem(f"{target[0]} {target[1]}: {outcome}")
            if fail_fast and report.failed:
                for future in pending:
                    future.cancel()
                break
            hook = after_batch(batch) if after_batch else None
            try:
                result = titles_store(fetched, images=images, create=create, in_transaction=hook)
            except DatabaseError as exc:
                report.batches_failed += 1
                report.failed += len(fetched)
                report.problem(f"batch of {len(batch)} rolled back: {exc}")
            else:
                report.created += result.created
                report.updated += result.updated
                report.unchanged += result.unchanged
                report.title_ids += result.title_ids
            if progress:
                progress(len(batch))
    report.requests, report.retries = gateway.stats.requests, gateway.stats.retries
    report.seconds = time.perf_counter() - started
    return report


def _fetch(gateway: TMDBGateway, target: Target) -> TitleData | Exception:
    try:
        return fetch_title(gateway, target)
    except (TMDBError, PayloadError) as exc:  # a refused key (TMDBAuthError) stops the run
        return exc
