"""Counting attempts in the cache to slow down guessing (passwords, PINs).

With Redis down the cache answers misses, so limits fail open rather than locking everybody out.
"""

from django.core.cache import cache


def attempts_exceeded(key: str, *, limit: int) -> bool:
    return (cache.get(f"throttle:{key}") or 0) >= limit


def attempt_record(key: str, *, window_seconds: int) -> int:
    """Count one failed attempt; the window starts at the first failure."""
    full_key = f"throttle:{key}"
    if cache.add(full_key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, timeout=window_seconds)
        return 1


def attempts_clear(key: str) -> None:
    cache.delete(f"throttle:{key}")
