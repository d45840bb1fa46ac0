"""`sync_tmdb`: the nightly update of titles TMDB says changed, from a checkpoint.

TMDB's change lists cover at most 14 days per query, so the time since the checkpoint is read
window by window. In a window, the changed titles we have are updated in id order, batch by
batch; each batch commits with the checkpoint's new position, so a crashed run resumes after
the last batch that committed. Writes go through the importer's store, which ends each batch
with `catalogue_changed`, so certification and metadata changes reach the rails.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from catalog.importers.tmdb.gateway import TMDBError, TMDBGateway
from catalog.importers.tmdb.importer import BATCH, tmdb_import
from catalog.models import Kind, Title, TMDBSyncCheckpoint

WINDOW_DAYS = 14
MAX_PAGES = 500  # TMDB serves at most 500 pages of any list


class SyncError(TMDBError):
    pass


@dataclass
class SyncReport:
    windows: int = 0
    changed: int = 0  # titles in the change lists that we have
    updated: int = 0
    unchanged: int = 0
    not_found: int = 0
    resumed_after: dict[str, int] = field(default_factory=dict)
    synced_until: dict[str, date] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        until = ", ".join(f"{k} until {d}" for k, d in self.synced_until.items())
        resumed = "".join(
            f"; resumed {k} after id {i}" for k, i in self.resumed_after.items()
        )  # fmt: skip
        return (
            f"TMDB sync: {self.windows} windows, {self.changed:,} changed titles of ours: "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{self.not_found:,} gone from TMDB{resumed}; {until}; "
            f"{self.requests:,} requests ({self.retries:,} retries) in {self.seconds:.1f} s."
        )


def _api_kind(kind: str) -> str:
    return "movie" if kind == Kind.MOVIE else "tv"


def changed_ids(gateway: TMDBGateway, kind: str, start: date, end: date) -> set[int]:
    ids: set[int] = set()
    page = 1
    while True:
        answer = gateway.changes(_api_kind(kind), start.isoformat(), end.isoformat(), page)
        results = answer.get("results") or []
        ids.update(item["id"] for item in results if isinstance(item.get("id"), int))
        if not results or page >= min(answer.get("total_pages") or 1, MAX_PAGES):
            return ids
        page += 1


def tmdb_sync(
    *,
    gateway: TMDBGateway,
    today: date | None = None,
    since: date | None = None,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    started = time.perf_counter()
    today = today or date.today()
    report = SyncReport()
    for kind in (Kind.MOVIE, Kind.SERIES):
        checkpoint, _ = TMDBSyncCheckpoint.objects.get_or_create(
            kind=kind, defaults={"synced_until": since or today - timedelta(days=1)}
        )
        if since is not None and checkpoint.window_end is None:
            checkpoint.synced_until = since
            checkpoint.save()
        while checkpoint.synced_until < today:
            _window(gateway, kind, checkpoint, today, batch_size, report, progress)
        report.synced_until[kind] = checkpoint.synced_until
    report.requests, report.retries = gateway.stats.requests, gateway.stats.retries
    report.seconds = time.perf_counter() - started
    return report


def _window(gateway, kind, checkpoint, today, batch_size, report, progress) -> None:
    start = checkpoint.synced_until
    end = min(start + timedelta(days=WINDOW_DAYS), today)
    if checkpoint.window_end not in (None, end):
        checkpoint.last_tmdb_id = None  # a different window than the one left half done
    done_up_to = checkpoint.last_tmdb_id if checkpoint.window_end == end else None
    if done_up_to:
        report.resumed_after[kind] = done_up_to
    changed = changed_ids(gateway, kind, start, end)
    ours = sorted(
        Title.objects.filter(kind=kind, tmdb_id__in=changed).values_list("tmdb_id", flat=True)
    )
    report.windows += 1
    report.changed += len(ours)
    todo = [i for i in ours if done_up_to is None or i > done_up_to]
    checkpoint.window_end = end
    checkpoint.save()
    for first in range(0, len(todo), batch_size):
        batch = todo[first : first + batch_size]

        def advance(batch=batch):
            checkpoint.last_tmdb_id = batch[-1]
            checkpoint.save()

        result = tmdb_import(
            gateway=gateway,
            targets=[(kind, i) for i in batch],
            create=False,
            batch_size=batch_size,
            after_batch=lambda _: advance,
            fail_fast=True,
        )
        report.updated += result.updated
        report.unchanged += result.unchanged
        report.not_found += result.not_found
        if result.failed or result.batches_failed:
            raise SyncError(
                f"TMDB sync stopped in the {kind} window {start} to {end}: "
                + "; ".join(result.problems[:3])
                + ". The checkpoint keeps the batches done; the next run resumes there."
            )
        if progress:
            progress(len(batch))
    checkpoint.synced_until, checkpoint.window_end, checkpoint.last_tmdb_id = end, None, None
    checkpoint.save()
