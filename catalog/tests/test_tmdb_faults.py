"""The gateway against every fault of the fake TMDB: no crash, retries within budget, a clear
summary, the rate limit held, and the API key in no log line or error."""

import logging
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.importers.tmdb.gateway import (
    TMDBBadResponse,
    TMDBGateway,
    TMDBRateLimited,
    TMDBUnavailable,
    TokenBucket,
    redact,
)
from catalog.models import Title
from catalog.tests.tmdb_fake.server import FAKE_KEY

pytestmark = pytest.mark.django_db
MOVIES = "603,862,8844,550"


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_tmdb", *args, stdout=out, stderr=err)
    finally:
        run.err = err.getvalue()
    return out.getvalue()


@pytest.fixture(autouse=True)
def _every_log_line(caplog):
    caplog.set_level(logging.DEBUG)
    yield
    assert FAKE_KEY not in caplog.text
    assert FAKE_KEY not in getattr(run, "err", "")


@pytest.mark.parametrize("mode", ["500", "502", "truncated"])
def test_a_passing_fault_is_retried_and_the_import_completes(fake_tmdb, mode):
    fake_tmdb.fault(r"/movie/603$", mode, times=2)
    out = run("--ids", MOVIES)
    assert "4 created" in out and "0 failed" in out
    assert fake_tmdb.hits(r"/movie/603$") == 3
    assert "2 retries" in out


def test_429_waits_for_retry_after(fake_tmdb):
    fake_tmdb.fault(r"/movie/862$", "429", times=1, value=1)
    started = time.monotonic()
    out = run("--ids", MOVIES)
    assert time.monotonic() - started >= 1.0
    assert fake_tmdb.hits(r"/movie/862$") == 2
    assert "4 created" in out


def test_a_retry_after_too_long_to_wait_fails_that_title_only(fake_tmdb):
    fake_tmdb.fault(r"/movie/862$", "429", value=3600)
    with pytest.raises(CommandError, match="1 titles could not be imported"):
        run("--ids", MOVIES)
    assert fake_tmdb.hits(r"/movie/862$") == 1
    assert Title.objects.count() == 3
    assert "asks to wait 3600 s" in run.err


@pytest.mark.parametrize("mode", ["500", "502", "truncated"])
def test_a_lasting_fault_fails_its_title_within_the_retry_budget(fake_tmdb, mode):
    fake_tmdb.fault(r"/movie/550$", mode)
    with pytest.raises(CommandError, match="1 titles could not be imported; the rest were"):
        run("--ids", MOVIES)
    assert fake_tmdb.hits(r"/movie/550$") == 4  # 1 + TMDB_MAX_RETRIES
    assert Title.objects.count() == 3
    assert "movie 550: TMDB http://127.0.0.1:" in run.err and "/3/movie/550: " in run.err
    assert "after 4 attempts" in run.err


def test_a_slow_answer_times_out_and_is_retried(fake_tmdb, settings):
    settings.TMDB_TIMEOUT = 1
    fake_tmdb.fault(r"/movie/603$", "slow", times=1, value=1.6)
    out = run("--ids", "603")
    assert "1 created" in out and "1 retries" in out


def test_empty_lists_import_nothing_and_say_so(fake_tmdb):
    fake_tmdb.fault(r"/(popular|top_rated|trending|discover)", "empty")
    out = run("--popular", "5", "--top-rated", "5", "--trending", "day", "--discover", "3")
    assert "TMDB: 0 titles asked for: 0 created" in out
    assert not Title.objects.exists()


def test_missing_certifications_count_as_adult_only(fake_tmdb):
    fake_tmdb.strip_certifications()
    run("--ids", MOVIES + ",tv:1396")
    assert set(Title.objects.values_list("certification", flat=True)) == {"NR"}
    assert set(Title.objects.values_list("maturity_level", flat=True)) == {18}


def test_a_failing_list_stops_with_a_clear_message(fake_tmdb):
    fake_tmdb.fault(r"/movie/popular$", "502")
    with pytest.raises(CommandError, match=r"HTTP 502 after 4 attempts — nothing more"):
        run("--popular", "3", "--kind", "movie")


def test_the_rate_limit_holds_across_threads(fake_tmdb, settings):
    settings.TMDB_RATE_LIMIT = 10
    settings.TMDB_CONCURRENCY = 8
    started = time.monotonic()
    run("--ids", "603,862,8844,550,120,424,9999001,9999002,tv:1396,tv:1399,tv:2316,tv:9999101")
    elapsed = time.monotonic() - started
    requests = len(fake_tmdb.requests)
    assert requests == 13  # /configuration and 12 titles
    # An evenly paced bucket: at most rate + 1 in any one-second window.
    assert fake_tmdb.max_per_second() <= 11
    assert requests / elapsed <= 10 * 1.1


def test_token_bucket_paces_at_its_rate():
    bucket = TokenBucket(50)
    started = time.monotonic()
    for _ in range(51):
        bucket.take()
    assert 0.95 <= time.monotonic() - started < 1.5


def test_gateway_raises_typed_errors(fake_tmdb):
    gateway = TMDBGateway()
    try:
        fake_tmdb.fault(r"/movie/603$", "truncated")
        with pytest.raises(TMDBBadResponse, match="truncated or invalid JSON"):
            gateway.movie(603)
        fake_tmdb.fault(r"/movie/862$", "500")
        with pytest.raises(TMDBUnavailable, match="HTTP 500 after 4 attempts") as error:
            gateway.movie(862)
        assert FAKE_KEY not in str(error.value)
        fake_tmdb.fault(r"/tv/1396$", "429", value=1, times=10)
        gateway.session.max_retries = 1
        with pytest.raises(TMDBRateLimited):
            gateway.series(1396)
    finally:
        gateway.close()


def test_redact_removes_the_key_wherever_it_is():
    text = f"GET /3/movie/1?api_key={FAKE_KEY}&language=en-US failed; key {FAKE_KEY}"
    assert FAKE_KEY not in redact(text, FAKE_KEY)
    assert "api_key=[redacted]&language" in redact(text, FAKE_KEY)
