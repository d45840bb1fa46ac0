"""Limits that hold across web processes and through a Redis outage (#16): PIN guesses,
sign-in (django-axes) and the database-backed counter under them."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from profiles.models import GuessCounter
from profiles.services import PIN_FAILURES_PER_PROFILE, TooManyAttempts, pin_set, pin_unlock
from profiles.tests.factories import AccountFactory, ProfileFactory
from profiles.throttle import attempt_take

PASSWORD = "correct horse battery"
# A cache at a closed loopback port: every call fails at once, as with Redis stopped.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


def locked_profile():
    profile = ProfileFactory(name="Parent", onboarded_at=timezone.now())
    pin_set(profile=profile, pin="2468")
    return profile


@pytest.fixture
def redis_down(settings):
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.CACHES = REDIS_DOWN
    assert cache.set("probe", 1) is None and cache.get("probe") is None  # really unreachable
    return settings


@pytest.mark.django_db
def test_with_redis_down_wrong_pins_are_still_limited(client, redis_down):
    profile = locked_profile()
    client.force_login(profile.household)
    url = f"/profiles/{profile.pk}/unlock/"
    for _ in range(PIN_FAILURES_PER_PROFILE):
        assert client.post(url, {"pin": "0000"}).status_code == 400
    assert client.post(url, {"pin": "2468"}).status_code == 429


@pytest.mark.django_db
def test_with_redis_down_sign_in_is_still_limited(client, redis_down):
    AccountFactory(email="me@example.com")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "me@example.com", "password": "guess"})
    response = client.post("/accounts/login/", {"username": "me@example.com", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_process_with_its_own_cache_sees_the_same_count():
    """Counts live in the database: a worker with an empty cache of its own cannot reset them."""
    profile = locked_profile()
    for _ in range(PIN_FAILURES_PER_PROFILE):
        assert pin_unlock(profile=profile, pin="0000") is False
        cache.clear()
    with pytest.raises(TooManyAttempts):
        pin_unlock(profile=profile, pin="2468")


@pytest.mark.django_db
def test_a_pin_lock_cools_off_after_its_window():
    profile = locked_profile()
    for _ in range(PIN_FAILURES_PER_PROFILE):
        pin_unlock(profile=profile, pin="0000")
    with pytest.raises(TooManyAttempts):
        pin_unlock(profile=profile, pin="2468")
    # The window (15 minutes) has passed: moved in the database, not waited for.
    GuessCounter.objects.update(window_started=timezone.now() - timedelta(minutes=16))
    assert pin_unlock(profile=profile, pin="2468") is True
    assert not GuessCounter.objects.exists()  # the right PIN forgives the count


@pytest.mark.django_db
def test_the_counter_refuses_at_the_limit_and_counts_nothing_more():
    assert [attempt_take("k", limit=3, window_seconds=60) for _ in range(5)] == [
        True, True, True, False, False,
    ]  # fmt: skip
    assert GuessCounter.objects.get(key="k").count == 3


@pytest.mark.django_db
def test_counters_of_windows_long_over_are_pruned_as_attempts_come_in():
    attempt_take("signup:203.0.113.9", limit=5, window_seconds=3600)
    attempt_take("pin:7", limit=5, window_seconds=900)
    GuessCounter.objects.filter(key="signup:203.0.113.9").update(
        window_started=timezone.now() - timedelta(days=2)
    )
    attempt_take("pin:7", limit=5, window_seconds=900)
    assert list(GuessCounter.objects.values_list("key", "count")) == [("pin:7", 2)]


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_pins_are_checked_exactly_five_times():
    """40 parallel wrong PINs used to be checked 8 times against a limit of 5."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL (SQLite serialises every write)")
    profile = locked_profile()
    results: list[str] = []
    start = threading.Barrier(40)

    def guess():
        start.wait()
        try:
            results.append("checked" if pin_unlock(profile=profile, pin="0000") is False else "?")
        except TooManyAttempts:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("checked") == PIN_FAILURES_PER_PROFILE
    assert results.count("refused") == 40 - PIN_FAILURES_PER_PROFILE
