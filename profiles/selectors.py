"""Reads of a profile's own signals, and the titles a profile may see."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, Exists, Max, OuterRef, QuerySet, Subquery, When
from django.utils import timezone

from catalog.models import Genre, Title
from catalog.selectors import titles_visible
from profiles.models import (
    Feedback,
    Interaction,
    Profile,
    Rating,
    SavedListItem,
    SavedSearch,
    WatchEvent,
)
from profiles.taste import EXCLUDING_FEEDBACK


@dataclass(frozen=True)
class TitleState:
    """What this profile has said about one title, for the buttons on a tile or title page."""

    feedback: str = ""
    seen: bool = False
    rating: float | None = None
    in_my_list: bool = False
    position: int = 0
    duration: int = 0
    completed: bool = False

    @property
    def star_choices(self) -> list[float]:
        return [n / 2 for n in range(1, 11)]

    @property
    def progress_percent(self) -> int:
        return round(100 * self.position / self.duration) if self.duration else 0


def titles_for_profile(profile: Profile) -> QuerySet[Title]:
    """Titles this profile may see: at or below its effective maturity ceiling."""
    return titles_visible(ceiling=profile.effective_ceiling)


def titles_wanted(profile: Profile) -> QuerySet[Title]:
    """Titles to offer this profile (search, carousels): visible, and not rejected by it
    (thumbs down, not interested). Its title pages stay open, so a rejection can be undone."""
    rejected = Feedback.objects.filter(profile=profile, value__in=EXCLUDING_FEEDBACK)
    return titles_for_profile(profile).exclude(pk__in=rejected.values("title_id"))


def title_state(*, profile: Profile, title: Title) -> TitleState:
    """Feedback, rating, My List and the latest watch event, read in one query."""
    mine = {"profile": OuterRef("pk"), "title": title}
    last_watch = WatchEvent.objects.filter(**mine).order_by("-created_at", "-id")
    row = (
        Profile.objects.filter(pk=profile.pk)
        .annotate(
            state_feedback=Subquery(Feedback.objects.filter(**mine).values("value")[:1]),
            state_seen=Exists(Feedback.objects.filter(**mine, seen=True)),
            state_rating=Subquery(Rating.objects.filter(**mine).values("value")[:1]),
            state_in_list=Exists(
                SavedListItem.objects.filter(saved_list__profile=OuterRef("pk"), title=title)
            ),
            state_event=Subquery(last_watch.values("event")[:1]),
            state_position=Subquery(last_watch.values("position_seconds")[:1]),
            state_duration=Subquery(last_watch.values("duration_seconds")[:1]),
        )
        .values_list(
            "state_feedback", "state_seen", "state_rating", "state_in_list", "state_event",
            "state_position", "state_duration",
        )
        .first()
    )  # fmt: skip
    feedback, seen, rating, in_list, event, position, duration = row or (
        "",
        False,
        None,
        False,
        "",
        0,
        0,
    )
    return TitleState(
        feedback=feedback or "",
        seen=bool(seen),
        rating=float(rating) if rating is not None else None,
        in_my_list=bool(in_list),
        position=position or 0,
        duration=duration or 0,
        completed=event == WatchEvent.Event.COMPLETE,
    )


def my_list_titles(*, profile: Profile) -> QuerySet[Title]:
    """My List in its order, within the profile's ceiling (a lowered ceiling hides entries)."""
    return (
        Title.objects.filter(
            saved_items__saved_list__profile=profile,
            maturity_level__lte=profile.effective_ceiling,
        )
        .order_by("saved_items__position", "-saved_items__added_at")
        .prefetch_related("genres")
    )


def saved_searches(*, profile: Profile) -> list[SavedSearch]:
    return list(SavedSearch.objects.filter(profile=profile)[:12])


def profile_insights(*, profile: Profile, days: int = 30) -> dict:
    """What the profile's own activity says (until the dashboard's stats exist): its signals
    counted, completion, viewing time, favourite genres and recent interactions by kind. Only
    titles within its ceiling count, so a lowered ceiling hides their genres too."""
    ceiling = profile.effective_ceiling
    mine = {"profile": profile, "title__maturity_level__lte": ceiling}
    watched = (
        WatchEvent.objects.filter(**mine)
        .values("title")
        .annotate(
            seconds=Max("position_seconds"),
            done=Max(Case(When(event="complete", then=1), default=0)),
        )
    )
    started = len(watched)
    completed = sum(row["done"] for row in watched)
    liked = set(Rating.objects.filter(**mine, value__gte=4).values_list("title", flat=True))
    liked |= set(
        Feedback.objects.filter(**mine, value__in=["up", "love"]).values_list("title", flat=True)
    )
    liked |= {row["title"] for row in watched if row["done"]}
    genres = (
        Genre.objects.filter(titles__in=liked)
        .annotate(n=Count("pk"))
        .order_by("-n", "name")
        .values_list("name", "n")[:5]
    )
    since = timezone.now() - timedelta(days=days)
    recent = Interaction.objects.filter(profile=profile, created_at__gte=since)
    feedback = Feedback.objects.filter(**mine).values("value").annotate(n=Count("pk"))
    return {
        "ratings": Rating.objects.filter(**mine).count(),
        "feedback": {row["value"]: row["n"] for row in feedback},
        "my_list": SavedListItem.objects.filter(
            saved_list__profile=profile, title__maturity_level__lte=ceiling
        ).count(),
        "titles_started": started,
        "titles_completed": completed,
        "completion_rate": round(completed / started, 3) if started else None,
        "viewing_minutes": sum(row["seconds"] or 0 for row in watched) // 60,
        "favourite_genres": [{"genre": name, "titles": n} for name, n in genres],
        "interactions_last_30_days": dict(
            recent.values("kind").annotate(n=Count("pk")).values_list("kind", "n")
        ),
    }
