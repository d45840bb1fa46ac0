"""import_tmdb against the fake TMDB: a full import, a re-run, each list, and bad input."""

import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from catalog.importers.tmdb import store
from catalog.importers.tmdb.gateway import TMDBGateway
from catalog.models import Credit, Kind, Person, Title
from catalog.signals import titles_changed
from catalog.tests.tmdb_fake.server import FAKE_KEY

pytestmark = pytest.mark.django_db

ALL_IDS = "603,862,8844,550,120,424,9999001,9999002,tv:1396,tv:1399,tv:2316,tv:9999101"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_tmdb", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_full_import_of_the_fixture_catalogue(fake_tmdb, caplog):
    caplog.set_level(logging.DEBUG)
    out, _ = run("--ids", ALL_IDS)
    assert "12 titles asked for: 12 created, 0 updated, 0 unchanged" in out
    assert Title.objects.filter(kind=Kind.MOVIE).count() == 8
    assert Title.objects.filter(kind=Kind.SERIES).count() == 4

    matrix = Title.objects.get(kind=Kind.MOVIE, tmdb_id=603)
    assert (matrix.title, matrix.year, matrix.runtime, matrix.certification) == (
        "The Matrix", 1999, 136, "R")  # fmt: skip
    assert matrix.imdb_id == "tt0133093"
    assert matrix.overview.startswith("A hacker learns")
    assert sorted(g.name for g in matrix.genres.all()) == ["Action", "Science Fiction"]
    assert {k.name for k in matrix.keywords.all()} == {"simulated reality", "hacker", "dystopia"}
    assert matrix.poster_url == "https://image.tmdb.example/t/p/w500/p603.jpg"
    assert matrix.backdrop_url == "https://image.tmdb.example/t/p/w1280/b603.jpg"
    cast = Credit.objects.filter(title=matrix, role="cast").order_by("order")
    assert [(c.person.name, c.character) for c in cast][:2] == [
        ("Ada Quill", "Role 1"), ("Bruno Vale", "Role 2")]  # fmt: skip
    assert Credit.objects.get(title=matrix, role="director").person.tmdb_id == 800001

    toy = Title.objects.get(tmdb_id=862, kind=Kind.MOVIE)
    assert toy.certification == "G" and toy.is_kids_friendly
    # TMDB's "Action & Adventure" and "Sci-Fi & Fantasy" become our genres.
    thrones = Title.objects.get(kind=Kind.SERIES, tmdb_id=1399)
    assert sorted(g.name for g in thrones.genres.all()) == [
        "Action", "Adventure", "Drama", "Fantasy", "Science Fiction"]  # fmt: skip
    assert (thrones.seasons, thrones.runtime, thrones.certification) == (8, 60, "TV-MA")
    assert Credit.objects.get(title=thrones, role="creator").person.name == "Jon Weller"
    office = Title.objects.get(kind=Kind.SERIES, tmdb_id=2316)
    assert office.certification == "TV-14"
    # Missing and empty certifications count as adult-only.
    for kind, tmdb_id in [(Kind.MOVIE, 9999001), (Kind.MOVIE, 9999002), (Kind.SERIES, 9999101)]:
        title = Title.objects.get(kind=kind, tmdb_id=tmdb_id)
        assert title.certification == "NR"
        title.refresh_from_db()
        assert title.maturity_level == 18
    lanterns = Title.objects.get(tmdb_id=9999001)
    assert lanterns.poster_url == "" and lanterns.poster_src.startswith("/posters/")
    # One person per TMDB id, however many titles they are in.
    assert Person.objects.filter(tmdb_id=700001).count() == 1
    assert FAKE_KEY not in caplog.text + out


def test_rerun_changes_nothing_and_tells_no_one(fake_tmdb):
    run("--ids", ALL_IDS)
    before = {t.pk: t.updated_at for t in Title.objects.all()}
    heard = []

    def receiver(**kwargs):
        heard.append(kwargs["title_ids"])

    titles_changed.connect(receiver)
    try:
        out, _ = run("--ids", ALL_IDS)
    finally:
        titles_changed.disconnect(receiver)
    assert "0 created, 0 updated, 12 unchanged" in out
    assert {t.pk: t.updated_at for t in Title.objects.all()} == before
    assert Person.objects.count() == len(set(Person.objects.values_list("tmdb_id", flat=True)))
    assert heard == []


def test_changed_certification_updates_the_title_and_tells_the_rails(fake_tmdb):
    run("--ids", "862")
    fake_tmdb.movies[862]["release_dates"]["results"][0]["release_dates"][0]["certification"] = (
        "PG-13"
    )
    heard = []
    titles_changed.connect(receiver := lambda **kw: heard.append(kw["title_ids"]))
    try:
        out, _ = run("--ids", "862")
    finally:
        titles_changed.disconnect(receiver)
    toy = Title.objects.get(tmdb_id=862)
    assert "1 updated" in out
    assert toy.certification == "PG-13"
    assert heard == [[toy.pk]]


def test_popular_top_rated_trending_and_discover(fake_tmdb):
    out, _ = run("--popular", "2", "--kind", "movie")
    assert set(Title.objects.values_list("tmdb_id", flat=True)) == {120, 603}  # most popular
    assert "2 created" in out
    run("--top-rated", "1", "--kind", "series")
    assert Title.objects.filter(kind=Kind.SERIES, tmdb_id=1396).exists()  # 8.9, the highest
    run("--trending", "week", "--trending-limit", "3")
    assert Title.objects.filter(kind=Kind.SERIES, tmdb_id=1399).exists()  # most popular of all
    out, _ = run("--discover", "5", "--year", "1995", "--genre", "Family", "--kind", "movie")
    assert "2 titles asked for" in out  # Toy Story and Jumanji
    assert Title.objects.filter(tmdb_id__in=[862, 8844]).count() == 2


def test_a_failed_batch_leaves_the_database_as_it_was(fake_tmdb, monkeypatch):
    run("--ids", "603")
    before = list(Title.objects.values_list("pk", "title", "updated_at"))
    people = Person.objects.count()
    real = store._relations_sync
    calls = []

    def broken(title, *args):
        calls.append(title)
        if len(calls) == 3:
            raise DatabaseError("disk full (simulated)")
        return real(title, *args)

    monkeypatch.setattr(store, "_relations_sync", broken)
    fake_tmdb.movies[603]["title"] = "The Matrix (renamed)"
    with pytest.raises(CommandError, match="could not be imported"):
        run("--ids", "603,862,8844,550", "--batch", "10")
    assert list(Title.objects.values_list("pk", "title", "updated_at")) == before
    assert Person.objects.count() == people


def test_unknown_ids_are_counted_not_fatal(fake_tmdb):
    out, err = run("--ids", "603,424242")
    assert "1 created" in out and "1 not found" in out
    assert "movie 424242" in err


def test_without_a_key_both_commands_name_it(settings):
    settings.TMDB_API_KEY = ""
    for command in (["import_tmdb", "--popular", "5"], ["sync_tmdb"]):
        with pytest.raises(CommandError, match="TMDB_API_KEY is not set"):
            call_command(*command, stdout=StringIO(), stderr=StringIO())
    assert not Title.objects.exists()


def test_a_refused_key_stops_with_a_clear_message(fake_tmdb, settings, caplog):
    settings.TMDB_API_KEY = "wrong-key-123456"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CommandError, match="refused the API key") as error:
        run("--ids", "603")
    assert "wrong-key-123456" not in str(error.value) + caplog.text
    assert not Title.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "Say what to import"),
        (["--ids", "abc"], "not an id"),
        (["--popular", "0"], "at least 1"),
    ],
)
def test_bad_arguments_are_clear_errors(fake_tmdb, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_configuration_is_asked_once_and_cached(fake_tmdb):
    run("--ids", "603")
    run("--ids", "862")
    assert fake_tmdb.hits(r"/configuration$") == 1
    gateway = TMDBGateway()
    try:
        assert gateway.images().poster_sizes[-1] == "original"
    finally:
        gateway.close()
    assert fake_tmdb.hits(r"/configuration$") == 1
