"""Trending Now: time-decayed activity of the past seven days, the same for everyone.

Each recent signal counts by its kind and halves in weight every `HALF_LIFE_DAYS`, so a title
many people started yesterday outranks one that was busy a week ago.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from catalog.models import Title
from profiles.models import Feedback, Interaction, Rating, WatchEvent

WINDOW_DAYS = 7
HALF_LIFE_DAYS = 2.0
ACTIVITY_WEIGHTS = {
    "start": 1.0,
    "complete": 1.5,
    "rating": 1.0,
    "feedback": 1.0,
    "interaction": 0.3,
}


def trending_title_ids(*, now: datetime, limit: int = 100) -> list[int]:
    scores = trending_scores(now=now, window=timedelta(days=WINDOW_DAYS))
    ranked = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    if len(ranked) < limit:  # a quiet week: fill with the all-time favourites
        fill = Title.objects.exclude(pk__in=ranked).order_by("-popularity", "pk")
        ranked += list(fill.values_list("pk", flat=True)[: limit - len(ranked)])
    return ranked


def trending_scores(*, now: datetime, window: timedelta) -> dict[int, float]:
    """title id -> decayed activity within `window` before `now`."""
    since = now - window
    scores: dict[int, float] = defaultdict(float)
    sources = [
        (
            "start",
            WatchEvent.objects.filter(event__in=["start", "complete"], created_at__gte=since),
        ),
        ("rating", Rating.objects.filter(created_at__gte=since, value__gte=3)),
        ("feedback", Feedback.objects.filter(created_at__gte=since, value__in=["up", "love"])),
        (
            "interaction",
            Interaction.objects.filter(
                created_at__gte=since,
                title__isnull=False,
                kind__in=["view_detail", "recommendation_click", "watchlist_add"],
            ),
        ),
    ]
    for kind, queryset in sources:
        rows = queryset.values_list(
            "title_id", "created_at", *(["event"] if kind == "start" else [])
        )
        for row in rows.iterator(chunk_size=10000):
            weight = ACTIVITY_WEIGHTS[
                "complete" if len(row) == 3 and row[2] == "complete" else kind
            ]
            age_days = (now - row[1]).total_seconds() / 86400
            scores[row[0]] += weight * 0.5 ** (age_days / HALF_LIFE_DAYS)
    return dict(scores)
