"""`manage.py simulate_experiment`: the better variant wins with an interval excluding zero,
equal variants produce no winner, and nothing is kept without --keep."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from curator.models import Experiment, ExperimentEvent
from profiles.models import Account

pytestmark = pytest.mark.django_db


def _run(**options) -> str:
    out = StringIO()
    call_command("simulate_experiment", stdout=out, **options)
    return out.getvalue()


def test_the_better_variant_wins_and_nothing_is_kept():
    report = _run(households=300, views=10, control_ctr=0.05, treatment_ctr=0.15, seed=3)
    assert "verdict: treatment wins; the interval of the difference excludes zero" in report
    assert "rolled back" in report
    assert not Experiment.objects.exists() and not Account.objects.exists()


# Household ids decide the assignment: sequences start again so the seeded run is the same on
# PostgreSQL (whose sequences run on across tests) as on SQLite.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_equal_variants_name_no_winner():
    report = _run(households=300, views=10, control_ctr=0.08, treatment_ctr=0.08, seed=5)
    assert "verdict: no winner yet" in report


def test_keep_leaves_the_experiment_for_the_results_page():
    _run(households=50, views=2, keep=True)
    experiment = Experiment.objects.get()
    assert experiment.status == "running"
    assert ExperimentEvent.objects.filter(kind="impression").count() == 100


def test_bad_options_are_refused():
    with pytest.raises(CommandError, match="between 0 and 1"):
        _run(control_ctr=1.5)
