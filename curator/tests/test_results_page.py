"""The results page: CTR with Wilson intervals, the difference from control, downstream rates,
the sample-ratio alarm, and the htmx part it polls."""

from datetime import timedelta

import pytest
from django.utils import timezone

from curator.models import Assignment, ExperimentEvent
from curator.results import experiment_results
from profiles.models import Interaction
from profiles.tests.factories import AccountFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def experiment(running_experiment):
    return running_experiment


def _events(experiment, variant, household, impressions, clicks, title_id=None):
    now = timezone.now()
    kinds = ["impression"] * impressions + ["click"] * clicks
    ExperimentEvent.objects.bulk_create(
        ExperimentEvent(experiment=experiment, variant=variant, household=household, kind=kind,
                        rail_key="for-you", title_id=title_id, created_at=now)
        for kind in kinds
    )  # fmt: skip


def _assign(experiment, variant, count):
    for _ in range(count):
        Assignment.objects.create(
            experiment=experiment, household=AccountFactory(), variant=variant, bucket=0
        )


def test_ctr_interval_and_difference_from_control(experiment):
    control, treatment = experiment.variants.order_by("pk")
    household = AccountFactory()
    _events(experiment, control, household, 1000, 40)
    _events(experiment, treatment, household, 1000, 60)
    rows = {r.variant.name: r for r in experiment_results(experiment).variants}
    assert rows["control"].ctr == pytest.approx(0.04)
    assert rows["treatment"].ctr == pytest.approx(0.06)
    assert rows["treatment"].low == pytest.approx(0.04689, abs=1e-4)
    assert rows["treatment"].high == pytest.approx(0.07651, abs=1e-4)
    diff = rows["treatment"].difference
    assert diff.value == pytest.approx(0.02) and diff.p_value == pytest.approx(0.04016, abs=2e-4)
    assert rows["control"].difference is None


def test_sample_ratio_mismatch_raises_the_alarm(client, curator_user, experiment):
    control, treatment = experiment.variants.order_by("pk")
    _assign(experiment, control, 130)
    _assign(experiment, treatment, 70)
    results = experiment_results(experiment)
    assert results.srm_alarm and results.srm_p < 0.001
    client.force_login(curator_user)
    assert (
        b"Sample ratio mismatch"
        in client.get(f"/curator/experiments/{experiment.pk}/results/").content
    )


def test_a_fair_split_raises_no_alarm(experiment):
    control, treatment = experiment.variants.order_by("pk")
    _assign(experiment, control, 52)
    _assign(experiment, treatment, 48)
    assert not experiment_results(experiment).srm_alarm


def test_downstream_rate_counts_my_list_adds_after_the_click(experiment, cast):
    control, _ = experiment.variants.order_by("pk")
    profile = ProfileFactory()
    g, pg13 = cast["titles"]["g"], cast["titles"]["pg13"]
    _events(experiment, control, profile.household, 10, 1, title_id=g.pk)
    _events(experiment, control, profile.household, 0, 1, title_id=pg13.pk)
    later = timezone.now() + timedelta(minutes=1)
    Interaction.objects.create(profile=profile, title=g, kind="watchlist_add", created_at=later)
    row = experiment_results(experiment).variants[0]
    assert row.downstream["my_list"] == pytest.approx(0.5)
    assert row.downstream["start"] == 0.0


def test_results_page_polls_its_results_part_while_running(client, curator_user, experiment):
    control, _ = experiment.variants.order_by("pk")
    _events(experiment, control, AccountFactory(), 50, 5)
    client.force_login(curator_user)
    url = f"/curator/experiments/{experiment.pk}/results/"
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 5s"' in page and "<svg" in page and "<footer" in page
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith('<div id="results"') and "<footer" not in part
    assert "10.00%" in part  # 5 / 50
