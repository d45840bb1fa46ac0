"""The nightly batch behind `manage.py recompute_recs`: fit once and publish the model, then
fan the profiles that can sign in out as tasks, `rails_recompute_batch`, one batch each, every
batch scoring with the version it was given and written in one transaction.

With the default (immediate) task backend the batches run here, one after the other; with
TASKS_BACKEND=celery they run on the workers, on any host, all with that one published model.
`--shard i/n` runs (cron-only setups on several hosts) fit nothing: they score with the
published model, so every host uses the same version.

A run holds a lock that dies with its process: a PostgreSQL advisory lock (released when the
connection drops) or, on other databases, an OS file lock in the local artifacts folder. A
killed run leaves the old rails in service and the next run starts at once. A profile that
fails is logged and skipped, never the batch; a batch that fails is reported and the others go on.
"""

import fcntl
import hashlib
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from profiles.models import Profile
from recommender.artifacts import artifacts_dir, bundle_for_version, current_version
from recommender.changes import rails_changed
from recommender.selectors import scoring_rows
from recommender.services import engine_fit, rails_for_rows, rails_store, shared_rails_refresh

BATCH = 256
log = logging.getLogger(__name__)


class RecomputeLocked(Exception):
    pass


class NoPublishedModel(Exception):
    pass


@dataclass
class RecomputeReport:
    version: str = ""
    profiles: int = 0
    rails: int = 0
    failed: int = 0
    failed_batches: int = 0
    queued: int = 0  # profiles handed to the workers
    fit_seconds: float = 0.0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.profiles / self.seconds if self.seconds else 0.0
        fit = f"fit {self.fit_seconds:.1f} s" if self.fit_seconds else "no fit"
        parts = [
            f"{self.profiles:,} profiles, {self.rails:,} rails in {self.seconds:.1f} s "
            f"({fit}; {rate:,.0f} profiles/s; model {self.version})"
        ]
        if self.queued:
            parts.append(f"{self.queued:,} profiles queued for the task workers")
        if self.failed:
            parts.append(f"{self.failed:,} failed (logged)")
        if self.failed_batches:
            parts.append(f"{self.failed_batches:,} batches failed (logged)")
        return "; ".join(parts) + "."

    def add(self, result, size: int) -> None:
        """Count one enqueued batch: done here (immediate backend), failed, or queued."""
        if result.status == TaskResultStatus.SUCCESSFUL:
            counts = result.return_value
            self.profiles += counts["profiles"]
            self.rails += counts["rails"]
            self.failed += counts["failed"]
        elif result.status == TaskResultStatus.FAILED:
            self.failed_batches += 1
        else:
            self.queued += size


@contextmanager
def recompute_lock(name: str):
    """One run per name (a shard) at a time; raises RecomputeLocked when another run holds it."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(
            hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                raise RecomputeLocked("another recompute_recs is running")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    folder = artifacts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() else "-" for c in name)
    with open(folder / f".{safe}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RecomputeLocked("another recompute_recs is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def profiles_to_recompute(
    *, profile_id: int | None, active_since: datetime | None, shard: tuple[int, int]
) -> list[int]:
    """The profiles that get rails: those whose household can sign in (synthetic community and
    MovieLens members train the model but never see a page), or the one profile asked for."""
    profiles = Profile.objects.all()
    if profile_id is not None:
        profiles = profiles.filter(pk=profile_id)
    else:
        profiles = profiles.filter(household__is_active=True)
    if active_since is not None:
        profiles = profiles.filter(
            Q(ratings__created_at__gte=active_since)
            | Q(feedback__created_at__gte=active_since)
            | Q(watch_events__created_at__gte=active_since)
            | Q(interactions__created_at__gte=active_since)
            | Q(created_at__gte=active_since)
        ).distinct()
    index, count = shard
    ids = list(profiles.order_by("pk").values_list("pk", flat=True))
    return [pk for pk in ids if pk % count == index]


def recompute(
    *,
    now: datetime,
    profile_ids: list[int],
    fit: bool = True,
    progress: Callable[[int], None] | None = None,
) -> RecomputeReport:
    """Fit and publish the model (or, with fit=False, take the published one), refresh the
    shared rails, then enqueue the profiles' batches with that model's version."""
    report = RecomputeReport()
    started = time.perf_counter()
    if fit:
        report.version = engine_fit(now=now).version
        report.fit_seconds = time.perf_counter() - started
    else:
        report.version = current_version() or ""
        if not report.version:
            raise NoPublishedModel("no published model yet")
    with transaction.atomic():
        shared_rails_refresh(now=now)
        rails_changed(everyone=True)
    for start in range(0, len(profile_ids), BATCH):
        batch = profile_ids[start : start + BATCH]
        result = rails_recompute_batch.enqueue(profile_ids=batch, model_version=report.version)
        report.add(result, len(batch))
        if progress is not None:
            progress(len(batch))
    report.seconds = time.perf_counter() - started
    return report


@task
def rails_recompute_batch(*, profile_ids: list[int], model_version: str) -> dict:
    """Recompute and store these profiles' rails with that published model version; returns
    counts of profiles, rails and failed profiles. Safe to run twice (rails are replaced)."""
    bundle = bundle_for_version(model_version)
    if bundle is None:
        raise NoPublishedModel(f"model {model_version} is not in the artifacts storage")
    profiles = list(
        Profile.objects.filter(pk__in=profile_ids).select_related("preferences").order_by("pk")
    )
    if not profiles:
        return {"profiles": 0, "rails": 0, "failed": 0}
    # Rows come in profile id order, as the profiles do; a profile without signals gets a
    # zero row.
    user_items = scoring_rows(bundle.title_ids, [p.pk for p in profiles])
    rails = rails_for_rows(
        bundle=bundle, profiles=profiles, user_items=user_items, now=timezone.now()
    )
    counts = {"profiles": len(profiles), "rails": 0, "failed": len(profiles) - len(rails)}
    counts["rails"], failed = _store(rails)
    counts["failed"] += failed
    return counts


def _store(rails: dict) -> tuple[int, int]:
    """Store a batch in one transaction; when that fails, profile by profile, skipping (and
    logging) the ones that still fail. Returns (rails stored, profiles failed)."""
    try:
        with transaction.atomic():
            stored = rails_store(rails)
            rails_changed(profiles=list(rails))
        return stored, 0
    except DatabaseError:
        log.warning("recompute_recs: a batch failed to store; storing its profiles one by one")
    stored = failed = 0
    for pk, profile_rails in rails.items():
        try:
            with transaction.atomic():
                stored += rails_store({pk: profile_rails})
                rails_changed(profiles=[pk])
        except DatabaseError:
            log.exception("recompute_recs: profile %s failed; its old rails stay", pk)
            failed += 1
    return stored, failed
