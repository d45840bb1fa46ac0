"""The cache's circuit breaker against a Redis of the test's own (never the shared one): hung
with SIGSTOP, and killed. Pages keep answering from the database, and while the breaker is open
no call goes to Redis at all."""

import os
import signal
import time

import pytest

from config.redis_cache import BreakerRedisCache


def breaker_cache(url: str, seconds: float = 30) -> BreakerRedisCache:
    return BreakerRedisCache(
        url,
        {"OPTIONS": {
            "IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25,
            "BREAKER_SECONDS": seconds,
        }},
    )  # fmt: skip


class CountingClient:
    """Counts the calls that reach django-redis's own client."""

    def __init__(self, client):
        self.client, self.calls = client, 0

    def __getattr__(self, name):
        attribute = getattr(self.client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            self.calls += 1
            return attribute(*args, **kwargs)

        return call


@pytest.mark.parametrize("fault", ["hung", "dead"])
def test_a_faulty_redis_costs_one_call_then_the_breaker_answers(private_redis, fault):
    server, url = private_redis
    cache = breaker_cache(url)
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"
    counting = CountingClient(cache.client._client)
    cache.client._client = counting
    if fault == "hung":
        os.kill(server.pid, signal.SIGSTOP)
    else:
        server.kill()
        server.wait()
    assert cache.get("greeting") is None  # a miss after one short timeout, not an error
    assert counting.calls == 1
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("greeting", "again") is None
    cache.delete("greeting")
    assert counting.calls == 1  # the breaker is open: nothing else went to Redis
    another = breaker_cache(url)  # another thread's cache object shares the breaker
    assert another.get("greeting", "fallback") == "fallback"


def test_the_breaker_closes_again_when_its_window_is_over(private_redis, monkeypatch):
    server, url = private_redis
    cache = breaker_cache(url, seconds=5)
    os.kill(server.pid, signal.SIGSTOP)
    assert cache.get("k") is None
    os.kill(server.pid, signal.SIGCONT)
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 6)
    cache.set("k", "v")
    assert cache.get("k") == "v"
