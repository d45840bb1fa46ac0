"""The nightly batch behind `manage.py recompute_recs`: fit once, then every profile's rails in
vectorised batches, each batch written in one transaction."""

import os
import socket
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import scipy.sparse as sp
from django.db import IntegrityError, transaction
from django.db.models import Q

from profiles.models import Profile
from recommender.models import RecomputeLock
from recommender.services import engine_fit, rails_for_rows, rails_store, shared_rails_refresh

BATCH = 256
STALE_LOCK = timedelta(hours=6)


class RecomputeLocked(Exception):
    pass


@dataclass
class RecomputeReport:
    profiles: int = 0
    rails: int = 0
    fit_seconds: float = 0.0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.profiles / self.seconds if self.seconds else 0.0
        return (
            f"{self.profiles:,} profiles, {self.rails:,} rails in {self.seconds:.1f} s "
            f"(fit {self.fit_seconds:.1f} s; {rate:,.0f} profiles/s)."
        )


@contextmanager
def recompute_lock(name: str, *, now: datetime):
    """A row per shard; a lock older than STALE_LOCK (a crashed run) is taken over."""
    owner = f"{socket.gethostname()}:{os.getpid()}"
    RecomputeLock.objects.filter(name=name, acquired_at__lt=now - STALE_LOCK).delete()
    try:
        with transaction.atomic():
            RecomputeLock.objects.create(name=name, owner=owner, acquired_at=now)
    except IntegrityError:
        holder = RecomputeLock.objects.filter(name=name).first()
        raise RecomputeLocked(
            f"another recompute_recs is running ({holder.owner if holder else 'unknown'}, "
            f"since {holder.acquired_at:%Y-%m-%d %H:%M} UTC)"
            if holder
            else "another run holds the lock"
        ) from None
    try:
        yield
    finally:
        RecomputeLock.objects.filter(name=name, owner=owner).delete()


def profiles_to_recompute(
    *, profile_id: int | None, active_since: datetime | None, shard: tuple[int, int]
) -> list[int]:
    profiles = Profile.objects.all()
    if profile_id is not None:
        profiles = profiles.filter(pk=profile_id)
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
    shared_rails_refresh(now=now)
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
        report.rails += rails_store(rails)
        report.profiles += len(profiles)
        if progress is not None:
            progress(len(profiles))
    report.seconds = time.perf_counter() - started
    return report
