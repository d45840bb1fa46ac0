"""Experiments: their lifecycle (draft, running, stopped, shipped) and the event log.

Every lifecycle change is audited and says `rails_changed(everyone=True)`: pages are then
rendered again, and a profile whose stored rails were ranked for another variant than its
household's has them ranked again (`recommender.pages`). A variant's settings are locked once
the experiment has started; only the traffic split may move, and it moves only households
that were never assigned (`curator.assignment`).
"""

import re
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from curator.assignment import assignment_get, running_experiment
from curator.models import Experiment, ExperimentEvent, Variant
from curator.services import audit_record, snapshot
from recommender.changes import rails_changed

RAIL_CHOICES = {"for-you": "For You", "genre": "Top picks in each genre"}
EXPERIMENT_SECONDS = 10 * 60
TILE_ID = re.compile(r'id="tile-([a-z0-9-]+?)-\d+"')


class ExperimentRefused(ValueError):
    """A change the experiment's state does not allow (the message says why)."""


def _snapshot(experiment: Experiment) -> dict:
    variants = [snapshot(v) for v in experiment.variants.order_by("pk")]
    return snapshot(experiment, extra={"variants": variants})


def _variants_set(experiment: Experiment, variants: list[dict]) -> None:
    experiment.variants.all().delete()
    for fields in variants:
        Variant.objects.create(experiment=experiment, **fields)


def experiment_save(
    *, actor, experiment: Experiment | None = None, name: str, rail_keys: list[str],
    variants: list[dict], salt: str | None = None,
) -> Experiment:  # fmt: skip
    """Create a draft, or change one; a started experiment's settings are locked. A new
    experiment's salt is random unless `salt` is given (a simulation's, from its seed)."""
    with transaction.atomic():
        if experiment is not None:
            experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
            if experiment.is_locked:
                raise ExperimentRefused(f"{experiment.name} has started: its settings are locked.")
        created = experiment is None
        before = None if created else _snapshot(experiment)
        experiment = experiment or Experiment(salt=salt or secrets.token_hex(8))
        experiment.name, experiment.rail_keys = name, list(rail_keys)
        experiment.offline_report = {}  # a replay describes the settings it ran on
        experiment.save()
        _variants_set(experiment, variants)
        audit_record(
            actor=actor, action="created" if created else "updated", obj=experiment,
            summary=f"Experiment {name} ({len(variants)} variants)", before=before,
            after=_snapshot(experiment),
        )  # fmt: skip
    return experiment


def experiment_split_set(*, actor, experiment: Experiment, weights: dict[int, int]) -> None:
    """Change the traffic split (variant id -> weight); households already assigned stay."""
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if experiment.status in (Experiment.Status.STOPPED, Experiment.Status.SHIPPED):
            raise ExperimentRefused(f"{experiment.name} has ended.")
        before = _snapshot(experiment)
        for variant in experiment.variants.all():
            if variant.pk in weights:
                variant.weight = weights[variant.pk]
                variant.save(update_fields=["weight"])
        audit_record(
            actor=actor, action="split changed", obj=experiment,
            summary=f"Traffic split of {experiment.name}", before=before,
            after=_snapshot(experiment),
        )  # fmt: skip


def _transition(actor, experiment: Experiment, action: str, allowed: set[str], change) -> None:
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if experiment.status not in allowed:
            raise ExperimentRefused(f"{experiment.name} is {experiment.status}: cannot {action}.")
        before = _snapshot(experiment)
        change(experiment)
        experiment.save()
        audit_record(
            actor=actor, action=action, obj=experiment,
            summary=f"{action.capitalize()} {experiment.name}", before=before,
            after=_snapshot(experiment),
        )  # fmt: skip
        rails_changed(everyone=True)


def experiment_start(*, actor, experiment: Experiment) -> None:
    variants = list(experiment.variants.all())
    if len(variants) < 2 or sum(v.is_control for v in variants) != 1:
        raise ExperimentRefused("An experiment needs two variants or more, one of them control.")
    if not any(v.weight for v in variants):
        raise ExperimentRefused("Give at least one variant a share of the traffic.")
    other = running_experiment()
    if other is not None and other.pk != experiment.pk:
        raise ExperimentRefused(f"{other.name} is running; stop it first.")

    def start(e):
        e.status, e.started_at = Experiment.Status.RUNNING, timezone.now()

    _transition(actor, experiment, "start", {Experiment.Status.DRAFT}, start)


def experiment_stop(*, actor, experiment: Experiment) -> None:
    def stop(e):
        e.status, e.stopped_at = Experiment.Status.STOPPED, timezone.now()

    _transition(actor, experiment, "stop", {Experiment.Status.RUNNING}, stop)


def experiment_ship(*, actor, experiment: Experiment, variant: Variant) -> None:
    """The variant ranks the experiment's rails for every household from now on."""
    if variant.experiment_id != experiment.pk:
        raise ExperimentRefused("That variant belongs to another experiment.")

    def ship(e):
        e.status, e.winner = Experiment.Status.SHIPPED, variant
        e.stopped_at = e.stopped_at or timezone.now()

    ended = {Experiment.Status.RUNNING, Experiment.Status.STOPPED}
    _transition(actor, experiment, "ship", ended, ship)


def _in_experiment(experiment: Experiment, rail_key: str) -> bool:
    keys = experiment.rail_keys
    return rail_key in keys or ("genre" in keys and rail_key.startswith("genre-"))


def _live_assignment(household_id: int, everyone_version) -> tuple[Experiment, Variant] | None:
    """The running experiment (read once per everyone's version: starting and stopping move
    it) and the household's variant in it."""
    key = f"experiment:{everyone_version}"
    experiment = cache.get(key)
    if experiment is None:
        experiment = running_experiment() or False
        cache.set(key, experiment, EXPERIMENT_SECONDS)
    if not experiment:
        return None
    return experiment, assignment_get(experiment, household_id)


def impressions_record(*, household_id: int, html: str, everyone_version) -> int:
    """An impression for each experiment rail this rendering shows with tiles, in one write."""
    live = _live_assignment(household_id, everyone_version)
    if live is None:
        return 0
    experiment, variant = live
    keys = {key for key in TILE_ID.findall(html) if _in_experiment(experiment, key)}
    now = timezone.now()
    impression = ExperimentEvent.Kind.IMPRESSION
    ExperimentEvent.objects.bulk_create(
        ExperimentEvent(
            experiment=experiment,
            variant=variant,
            household_id=household_id,
            kind=impression,
            rail_key=key,
            created_at=now,
        )
        for key in sorted(keys)
    )
    return len(keys)


def click_record(*, household_id: int, rail_key: str, title_id: int, everyone_version) -> bool:
    """A tile followed from an experiment rail (the title page's `?rail=`)."""
    live = _live_assignment(household_id, everyone_version)
    if live is None or not rail_key or not _in_experiment(live[0], rail_key):
        return False
    experiment, variant = live
    ExperimentEvent.objects.create(
        experiment=experiment, variant=variant, household_id=household_id,
        kind=ExperimentEvent.Kind.CLICK, rail_key=rail_key, title_id=title_id,
        created_at=timezone.now(),
    )  # fmt: skip
    return True
