"""Reads of a profile's own signals, and the titles a profile may see."""

from dataclasses import dataclass

from django.db.models import QuerySet

from catalog.models import Title
from catalog.selectors import titles_visible
from profiles.models import Feedback, Profile, Rating, SavedListItem, SavedSearch, WatchEvent
from profiles.taste import EXCLUDING_FEEDBACK


@dataclass(frozen=True)
class TitleState:
    """What this profile has said about one title, for the buttons on a tile or title page."""

    feedback: str = ""
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
    feedback = (
        Feedback.objects.filter(profile=profile, title=title)
        .values_list("value", flat=True)
        .first()
    )
    rating = (
        Rating.objects.filter(profile=profile, title=title).values_list("value", flat=True).first()
    )
    in_list = SavedListItem.objects.filter(saved_list__profile=profile, title=title).exists()
    last_watch = (
        WatchEvent.objects.filter(profile=profile, title=title)
        .order_by("-created_at", "-id")
        .values_list("event", "position_seconds", "duration_seconds")
        .first()
    )
    event, position, duration = last_watch or ("", 0, 0)
    return TitleState(
        feedback=feedback or "",
        rating=float(rating) if rating is not None else None,
        in_my_list=in_list,
        position=position,
        duration=duration,
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
