"""Which variant a household sees: a hash of (experiment salt, household id) into buckets,
written down the first time, so that a changed traffic split never moves a household already
in the experiment (only new households follow the new split).

The scorer (`recommender.services.rails_for_rows`) asks for a whole batch at once; pages and
the event log read a household's assignment. A shipped experiment's winner ranks for every
household once no experiment runs on those rails.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Q

from config.prepared import Prepared
from curator.models import Assignment, Experiment, Variant

BUCKETS = 10_000


def bucket_of(salt: str, household_id: int) -> int:
    digest = hashlib.sha256(f"{salt}:{household_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def variant_for_bucket(variants: list[Variant], bucket: int) -> Variant:
    """The variant whose share of the buckets holds `bucket` (variants in id order)."""
    weights = [v.weight for v in variants]
    if not sum(weights):
        weights = [1] * len(variants)
    total, edge = sum(weights), 0
    for variant, weight in zip(variants, weights, strict=True):
        edge += weight
        if bucket * total < edge * BUCKETS:
            return variant
    return variants[-1]


def running_experiment() -> Experiment | None:
    return (
        Experiment.objects.filter(status=Experiment.Status.RUNNING).order_by("started_at").first()
    )


def assignment_get(experiment: Experiment, household_id: int) -> Variant:
    """The household's variant, assigned (and written down) on first call."""
    existing = (
        Assignment.objects.filter(experiment=experiment, household_id=household_id)
        .select_related("variant__experiment")
        .first()
    )
    if existing is not None:
        return existing.variant
    variants = sorted(experiment.variants.all(), key=lambda v: v.pk)
    bucket = bucket_of(experiment.salt, household_id)
    variant = variant_for_bucket(variants, bucket)
    try:
        with transaction.atomic():
            Assignment.objects.create(
                experiment=experiment, household_id=household_id, variant=variant, bucket=bucket
            )
    except IntegrityError:  # a concurrent first visit wrote it first
        return Assignment.objects.get(experiment=experiment, household_id=household_id).variant
    return variant


# The experiment that ranks rails now ("running" sorts before "shipped"): read by every home
# page's build and every re-score, and compiled once (config/prepared.py).
_ranking_experiment = Prepared(
    lambda: (
        Experiment.objects.filter(
            Q(status=Experiment.Status.RUNNING)
            | Q(status=Experiment.Status.SHIPPED, winner__isnull=False)
        )
        .select_related("winner__experiment")
        .order_by("status", "-stopped_at", "started_at")[:1]
    )
)


def variants_for_households(household_ids) -> dict[int, dict]:
    """household id -> the ranking config of its variant (the running experiment's, else the
    last shipped winner's); households with neither are absent. One query, and one per
    household on a running experiment."""
    ranking = _ranking_experiment.one()
    if ranking is None:
        return {}
    if ranking.status == Experiment.Status.RUNNING:
        return {hid: assignment_get(ranking, hid).config() for hid in set(household_ids)}
    return {hid: ranking.winner.config() for hid in set(household_ids)}


def variant_label_for(household_id: int) -> str:
    config = variants_for_households([household_id]).get(household_id)
    return config["label"] if config else ""
