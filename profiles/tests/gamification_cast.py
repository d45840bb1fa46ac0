"""Builders shared by the dashboard and gamification tests: finished watches and a small cast."""

from datetime import datetime

from django.utils import timezone

from profiles.models import WatchEvent


def finish(profile, title, *, at: datetime | None = None, share: float = 1.0) -> WatchEvent:
    """A watch of `title` that reached `share` of its runtime (1.0: the player's Finish)."""
    duration = title.playback_seconds
    return WatchEvent.objects.create(
        profile=profile, title=title, event="complete" if share >= 1 else "progress",
        position_seconds=int(duration * share), duration_seconds=duration,
        created_at=at or timezone.now(),
    )  # fmt: skip
