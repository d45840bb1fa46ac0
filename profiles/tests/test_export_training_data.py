import csv
import io
import json

import pytest
from django.core.management import call_command

from catalog.tests.factories import TitleFactory
from profiles.models import Feedback, Rating
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_signals():
    profile, title = ProfileFactory(), TitleFactory()
    Feedback.objects.create(profile=profile, title=title, value="love", created_at=title.created_at)
    Rating.objects.create(profile=profile, title=title, value=2, created_at=title.created_at)


def test_documented_example_without_output_writes_csv_to_stdout(two_signals):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_training_data", "--format", "csv", "--limit", "1000", stdout=out, stderr=err
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {(r["signal"], r["weight"]) for r in rows} == {
        ("rating", "-0.3"),
        ("feedback:love", "0.9"),
    }
    # The summary goes to stderr, so `> file` gets the data alone.
    assert "Wrote 2 signals" in err.getvalue() and "Wrote" not in out.getvalue()


def test_json_to_stdout_respects_the_limit(two_signals):
    out = io.StringIO()
    call_command(
        "export_training_data", "--format", "json", "--limit", "1", stdout=out, stderr=io.StringIO()
    )
    data = json.loads(out.getvalue())
    assert len(data) == 1 and set(data[0]) == {"profile", "title", "signal", "weight", "timestamp"}


def test_output_file_still_written_when_given(two_signals, tmp_path):
    call_command("export_training_data", output=tmp_path / "s.csv", stdout=io.StringIO())
    assert len(list(csv.DictReader((tmp_path / "s.csv").open()))) == 2
