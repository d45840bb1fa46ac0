"""Assignment: a deterministic hash of (salt, household) into buckets, written down the first
time, so that a changed traffic split never moves a household already assigned."""

import pytest

from curator.assignment import BUCKETS, assignment_get, bucket_of, variant_for_bucket
from curator.experiments import experiment_save, experiment_split_set, experiment_start
from curator.models import Assignment
from profiles.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
VARIANTS = [
    {"name": "control", "is_control": True, "weight": 50, "algorithm": "engine"},
    {"name": "treatment", "is_control": False, "weight": 50, "algorithm": "engine"},
]


def _running(curator):
    experiment = experiment_save(actor=curator, name="E", rail_keys=["for-you"], variants=VARIANTS)
    experiment_start(actor=curator, experiment=experiment)
    return experiment


def test_bucket_is_a_pure_function_of_salt_and_household():
    assert bucket_of("salt", 42) == bucket_of("salt", 42)
    assert 0 <= bucket_of("salt", 42) < BUCKETS
    buckets = {bucket_of("salt", n) for n in range(200)}
    assert len(buckets) > 180  # spread out
    assert [bucket_of("a", n) for n in range(20)] != [bucket_of("b", n) for n in range(20)]


def test_split_follows_the_weights(curator_user):
    experiment = _running(curator_user)
    variants = list(experiment.variants.order_by("pk"))
    variants[0].weight, variants[1].weight = 80, 20
    picks = [variant_for_bucket(variants, bucket_of(experiment.salt, n)).name for n in range(4000)]
    assert 0.77 < picks.count("control") / len(picks) < 0.83


def test_assignment_is_deterministic_and_written_once(curator_user):
    experiment = _running(curator_user)
    household = AccountFactory()
    first = assignment_get(experiment, household.pk)
    assert assignment_get(experiment, household.pk) == first
    assert Assignment.objects.filter(experiment=experiment, household=household).count() == 1
    expected = variant_for_bucket(
        list(experiment.variants.order_by("pk")), bucket_of(experiment.salt, household.pk)
    )
    assert first == expected


def test_a_changed_split_keeps_assigned_households_where_they_are(curator_user):
    experiment = _running(curator_user)
    households = [AccountFactory() for _ in range(60)]
    before = {h.pk: assignment_get(experiment, h.pk).name for h in households}
    assert set(before.values()) == {"control", "treatment"}
    control, treatment = experiment.variants.order_by("pk")
    experiment_split_set(actor=curator_user, experiment=experiment,
                         weights={control.pk: 0, treatment.pk: 100})  # fmt: skip
    after = {h.pk: assignment_get(experiment, h.pk).name for h in households}
    assert after == before
    newcomers = [assignment_get(experiment, AccountFactory().pk).name for _ in range(20)]
    assert set(newcomers) == {"treatment"}
