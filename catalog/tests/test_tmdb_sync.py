"""sync_tmdb against the fake TMDB: from a checkpoint, in 14-day windows, crash and resume."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.importers.tmdb import importer, sync
from catalog.importers.tmdb.gateway import TMDBGateway
from catalog.models import Kind, Title, TMDBSyncCheckpoint
from catalog.signals import titles_changed
from catalog.tasks import tmdb_sync_task

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 1)
ALL_IDS = "603,862,8844,550,120,424,tv:1396,tv:1399,tv:2316"


@pytest.fixture
def catalogue(fake_tmdb):
    call_command("import_tmdb", "--ids", ALL_IDS, stdout=StringIO(), stderr=StringIO())
    for kind, day in ((Kind.MOVIE, date(2026, 1, 1)), (Kind.SERIES, date(2026, 2, 20))):
        TMDBSyncCheckpoint.objects.create(kind=kind, synced_until=day)
    fake_tmdb.requests.clear()
    return fake_tmdb


def sync_run(monkeypatch, *args) -> str:
    monkeypatch.setattr(sync, "date", type("FixedDate", (date,), {"today": lambda: TODAY}))
    out = StringIO()
    call_command("sync_tmdb", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_sync_updates_changed_titles_through_the_catalogue_service(catalogue, monkeypatch):
    catalogue.movies[862]["release_dates"]["results"][0]["release_dates"][0]["certification"] = (
        "PG-13"
    )
    catalogue.movies[550]["overview"] = "A new one-sentence overview written for this test."
    catalogue.series[1396]["number_of_seasons"] = 6
    catalogue.changes = {
        "movie": [("2026-01-20", 862), ("2026-02-27", 550), ("2026-01-03", 777777)],
        "tv": [("2026-02-25", 1396)],
    }
    heard = []
    titles_changed.connect(receiver := lambda **kw: heard.extend(kw["title_ids"]))
    try:
        out = sync_run(monkeypatch)
    finally:
        titles_changed.disconnect(receiver)
    toy = Title.objects.get(kind=Kind.MOVIE, tmdb_id=862)
    assert toy.certification == "PG-13"
    fight = Title.objects.get(kind=Kind.MOVIE, tmdb_id=550)
    assert fight.overview.startswith("A new one-sentence")
    assert Title.objects.get(kind=Kind.SERIES, tmdb_id=1396).seasons == 6
    assert sorted(heard) == sorted([toy.pk, fight.pk, Title.objects.get(tmdb_id=1396).pk])
    # 777777 is not ours: the sync does not import new titles.
    assert not Title.objects.filter(tmdb_id=777777).exists()
    assert "3 changed titles of ours: 3 updated, 0 unchanged" in out
    # 2026-01-01 .. 2026-03-01 is 59 days: five windows of at most 14 days for movies, one
    # for series.
    windows = [q for _, path, q in catalogue.requests if path.endswith("/movie/changes")]
    assert len(windows) == 5
    assert "start_date=2026-01-01&end_date=2026-01-15" in windows[0]
    assert "6 windows" in out
    for checkpoint in TMDBSyncCheckpoint.objects.all():
        assert (checkpoint.synced_until, checkpoint.window_end) == (TODAY, None)
    # Up to date: a second run reads nothing.
    catalogue.requests.clear()
    out = sync_run(monkeypatch)
    assert catalogue.requests == [] and "0 windows" in out


def test_a_crashed_sync_resumes_after_its_last_committed_batch(catalogue, monkeypatch):
    ids = [120, 424, 550, 603, 862, 8844]
    for tmdb_id in ids:
        catalogue.movies[tmdb_id]["vote_count"] += 1
    catalogue.changes = {"movie": [("2026-02-20", i) for i in ids], "tv": []}
    TMDBSyncCheckpoint.objects.filter(kind=Kind.MOVIE).update(synced_until=date(2026, 2, 16))
    real_store = importer.titles_store
    calls = []

    def crash_on_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if the process were stopped mid-batch
        return real_store(*args, **kwargs)

    monkeypatch.setattr(importer, "titles_store", crash_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        sync_run(monkeypatch, "--batch", "2")
    checkpoint = TMDBSyncCheckpoint.objects.get(kind=Kind.MOVIE)
    assert (checkpoint.synced_until, checkpoint.window_end) == (date(2026, 2, 16), TODAY)
    assert checkpoint.last_tmdb_id == 424  # the first batch: 120, 424
    counts = dict(Title.objects.filter(tmdb_id__in=ids).values_list("tmdb_id", "vote_count"))
    assert [counts[i] == catalogue.movies[i]["vote_count"] for i in ids] == [
        True, True, False, False, False, False]  # fmt: skip

    monkeypatch.setattr(importer, "titles_store", real_store)
    catalogue.requests.clear()
    out = sync_run(monkeypatch, "--batch", "2")
    fetched = sorted(int(p.rsplit("/", 1)[1]) for _, p, _ in catalogue.requests if
                     p.startswith("/3/movie/") and p.rsplit("/", 1)[1].isdigit())  # fmt: skip
    assert fetched == [550, 603, 862, 8844]
    assert "resumed movie after id 424" in out
    counts = dict(Title.objects.filter(tmdb_id__in=ids).values_list("tmdb_id", "vote_count"))
    assert all(counts[i] == catalogue.movies[i]["vote_count"] for i in ids)
    checkpoint.refresh_from_db()
    assert (checkpoint.synced_until, checkpoint.window_end, checkpoint.last_tmdb_id) == (
        TODAY, None, None)  # fmt: skip


def test_a_title_tmdb_cannot_serve_stops_the_sync_before_its_batch(catalogue, monkeypatch):
    catalogue.changes = {"movie": [("2026-02-20", 603), ("2026-02-20", 862)], "tv": []}
    TMDBSyncCheckpoint.objects.filter(kind=Kind.MOVIE).update(synced_until=date(2026, 2, 16))
    catalogue.fault(r"/movie/862$", "502")
    with pytest.raises(CommandError, match="TMDB sync stopped in the movie window") as error:
        sync_run(monkeypatch, "--batch", "1")
    assert "next run resumes there" in str(error.value)
    checkpoint = TMDBSyncCheckpoint.objects.get(kind=Kind.MOVIE)
    assert (checkpoint.window_end, checkpoint.last_tmdb_id) == (TODAY, 603)
    assert catalogue.hits(r"/movie/862$") == 4  # 1 + TMDB_MAX_RETRIES, no more


def test_the_first_sync_starts_yesterday_or_at_since(fake_tmdb, monkeypatch):
    out = sync_run(monkeypatch)
    assert "movie until 2026-03-01" in out
    windows = [q for _, p, q in fake_tmdb.requests if p.endswith("/changes")]
    assert "start_date=2026-02-28&end_date=2026-03-01" in windows[0]
    fake_tmdb.requests.clear()
    sync_run(monkeypatch, "--since", "2026-02-01")
    windows = [q for _, p, q in fake_tmdb.requests if p.endswith("/movie/changes")]
    assert len(windows) == 2 and "start_date=2026-02-01&end_date=2026-02-15" in windows[0]


def test_sync_pages_through_long_change_lists(catalogue, monkeypatch):
    catalogue.changes = {"movie": [("2026-02-20", i) for i in range(1, 251)] + [
        ("2026-02-20", 603)], "tv": []}  # fmt: skip
    TMDBSyncCheckpoint.objects.filter(kind=Kind.MOVIE).update(synced_until=date(2026, 2, 16))
    gateway = TMDBGateway()
    try:
        assert 603 in sync.changed_ids(gateway, Kind.MOVIE, date(2026, 2, 16), TODAY)
    finally:
        gateway.close()
    assert catalogue.hits(r"/movie/changes$") == 3  # 100 per page


def test_sync_runs_as_a_task(catalogue, monkeypatch):
    catalogue.changes = {"movie": [("2026-02-28", 603)], "tv": []}
    monkeypatch.setattr(sync, "date", type("FixedDate", (date,), {"today": lambda: TODAY}))
    TMDBSyncCheckpoint.objects.update(synced_until=date(2026, 2, 27))
    result = tmdb_sync_task.enqueue()
    assert "1 changed titles of ours" in result.return_value
