"""A circuit breaker: after a failure, a service counts as down for a few seconds, so each
process pays one short timeout per window instead of one per call. Used by the Redis cache
(config/redis_cache.py) and the Celery task backend (config/task_queue.py)."""

import logging
import threading
import time


class Breaker:
    """Open for `seconds` after `trip`, per key (one cache location, one broker); shared by every
    thread of the process. `message` goes to `log` once per opening, with the error and seconds."""

    def __init__(self, message: str, log: logging.Logger):
        self._message, self._log = message, log
        self._open_until: dict[str, float] = {}  # key -> monotonic time the breaker closes
        self._lock = threading.Lock()

    def is_open(self, key: str = "") -> bool:
        return time.monotonic() < self._open_until.get(key, 0.0)

    def trip(self, error: Exception, seconds: float, key: str = "") -> None:
        with self._lock:
            already_open = self.is_open(key)
            self._open_until[key] = time.monotonic() + seconds
        if not already_open:
            self._log.warning(self._message, error, seconds)

    def reset(self) -> None:
        """Close it (tests)."""
        self._open_until.clear()
