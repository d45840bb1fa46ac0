"""Limits on guessing and on costly forms: PINs, sign-ups and password-reset mails.

Counted in the database, not the cache: a limit holds across web processes, and with Redis
down it still holds (a cache counter would fail open). One row per key, locked while it is
read and written, so parallel attempts are counted exactly. Sign-in is limited by django-axes
(settings.AXES_*), which also keeps its counts in the database; the two helpers it is given
are at the bottom.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from profiles.models import GuessCounter

MAX_WINDOW_SECONDS = 24 * 60 * 60  # no limit counts over a longer window; older rows are pruned


def attempt_take(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key` unless `limit` attempts were counted in the window.

    False means the limit is reached and nothing was counted. The window starts with the first
    attempt and cools down `window_seconds` later, so nobody is locked out for good.
    """
    if window_seconds > MAX_WINDOW_SECONDS:
        raise ValueError(f"A throttle window is at most {MAX_WINDOW_SECONDS} seconds.")
    now = timezone.now()
    # Keys of windows long over (an address that tried once last week) are deleted as we go, so
    # the table holds at most a day of keys. An indexed range that is almost always empty.
    GuessCounter.objects.filter(
        window_started__lt=now - timedelta(seconds=MAX_WINDOW_SECONDS)
    ).delete()
    with transaction.atomic():
        GuessCounter.objects.bulk_create(
            [GuessCounter(key=key, count=0, window_started=now)], ignore_conflicts=True
        )
        counter = GuessCounter.objects.select_for_update().get(key=key)
        if counter.window_started <= now - timedelta(seconds=window_seconds):
            counter.count, counter.window_started = 0, now
        if counter.count >= limit:
            return False
        counter.count += 1
        counter.save(update_fields=["count", "window_started"])
        return True


def attempts_clear(key: str) -> None:
    GuessCounter.objects.filter(key=key).delete()


def client_ip(request) -> str:
    """The address to count attempts against.

    Behind our proxy (DJANGO_BEHIND_PROXY, which sets SECURE_PROXY_SSL_HEADER) every request
    comes from the proxy, so the last X-Forwarded-For entry, the one the proxy added, is used.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def login_username(request, credentials) -> str:
    """The address django-axes counts sign-in failures under: as the login form cleans it."""
    # The sign-in form posts `username`; the API's token endpoint authenticates with `email`.
    credentials = credentials or {}
    username = credentials.get("username") or credentials.get("email")
    username = username or request.POST.get("username", "")
    return str(username).strip().lower()[:254]
