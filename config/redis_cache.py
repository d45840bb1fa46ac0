"""django-redis with a circuit breaker: a hung or dead Redis costs a process one short timeout,
then the cache counts as down for a few seconds and every call answers at once as a miss (reads)
or a no-op (writes), so pages run at database speed instead of waiting on each call.

django-redis already turns connection errors into misses (IGNORE_EXCEPTIONS), but every call
waits out the socket timeout, and a page makes several calls. The breaker is shared by every
thread of the process (Django makes one cache object per thread).
"""

import logging

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

from config.breaker import Breaker

_breaker = Breaker(
    "cache unreachable (%s); treating it as down for %.0f s", logging.getLogger(__name__)
)


class _GuardedClient:
    """The django-redis client, refusing at once while the breaker is open and opening it on
    a connection error."""

    def __init__(self, client, location: str, open_seconds: float):
        self._client, self._location, self._open_seconds = client, location, open_seconds

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if _breaker.is_open(self._location):
                raise ConnectionInterrupted(connection=None)
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                _breaker.trip(error, self._open_seconds, self._location)
                raise

        return call


def breaker_reset() -> None:
    """Close every breaker (tests)."""
    _breaker.reset()


class BreakerRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self._open_seconds = float(options.get("BREAKER_SECONDS", 5))
        self._location = server if isinstance(server, str) else ",".join(server)
        self._guarded = None

    @property
    def client(self):
        if self._guarded is None:
            self._guarded = _GuardedClient(super().client, self._location, self._open_seconds)
        return self._guarded
