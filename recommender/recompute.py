"""The nightly batch behind `manage.py recompute_recs`: fit once, then the rails of every
profile that can sign in, in vectorised batches, each batch written in one transaction.

A run holds a lock that dies with its process: a PostgreSQL advisory lock (released when the
connection drops) or, on other databases, an OS file lock beside the artifacts. A killed run
leaves the old rails in service and the next run starts at once. A profile that fails is logged
and skipped, never the batch.
"""

import fcntl
import hashlib
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import scipy.sparse as sp
from django.db import DatabaseError, connection, transaction
from django.db.models import Q

from profiles.models import Profile
from recommender.artifacts import artifacts_dir
from recommender.changes import rails_changed
from recommender.services import engine_fit, rails_for_rows, rails_store, shared_rails_refresh

BATCH = 256
log = logging.getLogger(__name__)


class RecomputeLocked(Exception):
    pass


@dataclass
class RecomputeReport:
    profiles: int = 0
    rails: int = 0
    failed: int = 0
    fit_seconds: float = 0.0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.profiles / self.seconds if self.seconds else 0.0
        failed = f"; {self.failed:,} failed (logged)" if self.failed else ""
        return (
            f"{self.profiles:,} profiles, {self.rails:,} rails in {self.seconds:.1f} s "
            f"(fit {self.fit_seconds:.1f} s; {rate:,.0f} profiles/s){failed}."
        )


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
    *, now: datetime, profile_ids: list[int], progress: Callable[[int], None] | None = None
) -> RecomputeReport:
    report = RecomputeReport()
    started = time.perf_counter()
    bundle, matrix, rows_for = engine_fit(now=now)
    report.fit_seconds = time.perf_counter() - started
    with transaction.atomic():
        shared_rails_refresh(now=now)
        rails_changed(everyone=True)
    row_of = {pk: i for i, pk in enumerate(rows_for.tolist())}
    # One all-zero row at the end stands for every profile without signals.
    padded = sp.vstack(
        [matrix, sp.csr_matrix((1, matrix.shape[1]), dtype=matrix.dtype)], format="csr"
    )
    for start in range(0, len(profile_ids), BATCH):
        batch_ids = profile_ids[start : start + BATCH]
        profiles = list(
            Profile.objects.filter(pk__in=batch_ids).select_related("preferences").order_by("pk")
        )
        user_items = padded[[row_of.get(p.pk, matrix.shape[0]) for p in profiles]]
        rails = rails_for_rows(bundle=bundle, profiles=profiles, user_items=user_items, now=now)
        report.rails += _store(rails, report)
        report.profiles += len(profiles)
        report.failed += len(profiles) - len(rails)
        if progress is not None:
            progress(len(profiles))
    report.seconds = time.perf_counter() - started
    return report


def _store(rails: dict, report: RecomputeReport) -> int:
    """Store a batch in one transaction; when that fails, profile by profile, skipping (and
    logging) the ones that still fail."""
    try:
        with transaction.atomic():
            stored = rails_store(rails)
            rails_changed(profiles=list(rails))
        return stored
    except DatabaseError:
        log.warning("recompute_recs: a batch failed to store; storing its profiles one by one")
    stored = 0
    for pk, profile_rails in rails.items():
        try:
            with transaction.atomic():
                stored += rails_store({pk: profile_rails})
                rails_changed(profiles=[pk])
        except DatabaseError:
            log.exception("recompute_recs: profile %s failed; its old rails stay", pk)
            report.failed += 1
    return stored
