"""Writes for every viewer signal: interactions, feedback (with history), ratings, watch events,
My List and saved searches.

Each write that changes what the profile sees says so with `rails_changed` in its transaction
(re-scoring when the profile's taste changed); none of them leaves that to its caller. Concurrent
identical writes end in one row, never an IntegrityError."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from catalog.models import Title
from profiles.gamification.tasks import progress_changed
from profiles.models import (
    Feedback,
    FeedbackHistory,
    Interaction,
    Profile,
    Rating,
    SavedList,
    SavedListItem,
    SavedSearch,
    WatchEvent,
)
from profiles.services.household import MY_LIST
from profiles.taste import feedback_weight, rating_weight
from profiles.viewing_history import FINISHED_SHARE
from recommender.changes import rails_changed


def interaction_record(
    *, profile: Profile, kind: str, title: Title | None = None, page: str = "", rail_key: str = "",
    position: int | None = None, query: str = "",
) -> Interaction:  # fmt: skip
    return Interaction.objects.create(
        profile=profile, title=title, kind=kind, page=page[:40], rail_key=rail_key[:60],
        position=position, query=query[:200], created_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def feedback_set(
    *, profile: Profile, title: Title, value: str, rescore: bool = True
) -> Feedback | None:
    """Set the current opinion (or clear it with ""); every change is kept in the history.
    "Seen it" is not an opinion: `value="seen"` sets the seen flag (`seen_set`), and an opinion
    never clears that flag.

    A thumbs down or "not interested" leaves every rail at once (pages drop excluded titles as
    they read); the rails are re-scored only when the feedback's weight changed (`rescore=False`
    defers that, e.g. to the end of onboarding)."""
    if value == Feedback.Value.SEEN:
        return seen_set(profile=profile, title=title, seen=True, rescore=rescore)
    if value and value not in Feedback.Value.values:
        raise ValidationError(f"Unknown feedback {value!r}.")
    now = timezone.now()
    FeedbackHistory.objects.create(profile=profile, title=title, value=value, created_at=now)
    before, seen = _feedback_locked(profile, title)
    taste_changed = feedback_weight(before) != feedback_weight(value)
    rails_changed(profiles=[profile.pk], rescore=rescore and taste_changed)
    return _feedback_write(profile, title, value=value, seen=seen, now=now)


@transaction.atomic
def seen_set(
    *, profile: Profile, title: Title, seen: bool, rescore: bool = True
) -> Feedback | None:
    """Mark a title as seen elsewhere (or not); the opinion beside it stays as it was."""
    now = timezone.now()
    FeedbackHistory.objects.create(
        profile=profile, title=title, value="seen" if seen else "unseen", created_at=now
    )
    value, before = _feedback_locked(profile, title)
    rails_changed(profiles=[profile.pk], rescore=rescore and before != seen)
    return _feedback_write(profile, title, value=value, seen=seen, now=now)


def _feedback_locked(profile: Profile, title: Title) -> tuple[str, bool]:
    """The current (opinion, seen flag), its row locked until the transaction ends."""
    row = (
        Feedback.objects.select_for_update()
        .filter(profile=profile, title=title)
        .values_list("value", "seen")
        .first()
    )
    return row or ("", False)


def _feedback_write(profile, title, *, value: str, seen: bool, now) -> Feedback | None:
    if not value and not seen:
        Feedback.objects.filter(profile=profile, title=title).delete()
        return None
    return _upsert(
        Feedback(profile=profile, title=title, value=value, seen=seen, created_at=now),
        ["value", "seen", "created_at"],
    )


def _upsert(row, fields: list[str]):
    """Insert ``row``, or update ``fields`` of the one with its (profile, title), in one
    statement (INSERT ... ON CONFLICT): no savepoints, and two first writers cannot collide."""
    (saved,) = type(row).objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["profile", "title"], update_fields=fields
    )
    return saved


@transaction.atomic
def rating_set(*, profile: Profile, title: Title, stars: float, rescore: bool = True) -> Rating:
    if not 0.5 <= stars <= 5 or stars * 2 != int(stars * 2):
        raise ValidationError("A rating is 0.5 to 5 stars in half steps.")
    before = (
        Rating.objects.select_for_update()
        .filter(profile=profile, title=title)
        .values_list("value", flat=True)
        .first()
    )
    rating = _upsert(
        Rating(profile=profile, title=title, value=f"{stars:.1f}", created_at=timezone.now()),
        ["value", "created_at"],
    )
    interaction_record(profile=profile, kind=Interaction.Kind.RATE, title=title)
    taste_changed = before is None or rating_weight(before) != rating_weight(stars)
    rails_changed(profiles=[profile.pk], rescore=rescore and taste_changed)
    progress_changed(profile_id=profile.pk)  # a badge rewards rating across genres
    return rating


@transaction.atomic
def watch_event_record(
    *, profile: Profile, title: Title, event: str, position: int, duration: int
) -> WatchEvent:
    """Progress moves Continue Watching; a completed watch also changes the taste profile."""
    if event not in WatchEvent.Event.values:
        raise ValidationError(f"Unknown watch event {event!r}.")
    if duration <= 0 or not 0 <= position <= duration:
        raise ValidationError("Position must lie between 0 and the duration.")
    watch_event = WatchEvent.objects.create(
        profile=profile, title=title, event=event, position_seconds=position,
        duration_seconds=duration, created_at=timezone.now(),
    )  # fmt: skip
    rails_changed(profiles=[profile.pk], rescore=event == WatchEvent.Event.COMPLETE)
    if position >= duration * FINISHED_SHARE:  # a finished watch: badges and challenges
        progress_changed(profile_id=profile.pk)
    return watch_event


def my_list(profile: Profile) -> SavedList:
    saved_list, _ = SavedList.objects.get_or_create(profile=profile, name=MY_LIST)
    return saved_list


def _my_list_locked(profile: Profile) -> SavedList:
    """My List, locked until the transaction ends: positions are given out one writer at a time,
    so they stay unique and contiguous (0, 1, 2, ...) under parallel clicks."""
    locked = SavedList.objects.select_for_update().filter(profile=profile, name=MY_LIST)
    for saved_list in locked[:1]:  # one query when the list exists, as it mostly does
        return saved_list
    my_list(profile)
    return locked.get()


@transaction.atomic
def my_list_add(*, profile: Profile, title: Title, page: str = "", rail_key: str = "") -> bool:
    """Add to the end of My List; False when it was already there."""
    saved_list = _my_list_locked(profile)
    # Writers of this list wait for its lock, so what this read finds stays true until commit.
    found = saved_list.items.aggregate(
        last=Max("position"), there=Count("pk", filter=Q(title=title))
    )
    created = not found["there"]
    if created:
        last = found["last"]
        SavedListItem.objects.create(
            saved_list=saved_list, title=title,
            position=0 if last is None else last + 1, added_at=timezone.now(),
        )  # fmt: skip
        interaction_record(
            profile=profile,
            kind=Interaction.Kind.WATCHLIST_ADD,
            title=title,
            page=page,
            rail_key=rail_key,
        )
        rails_changed(profiles=[profile.pk], rescore=True)
    return created


@transaction.atomic
def my_list_remove(*, profile: Profile, title: Title, page: str = "") -> bool:
    saved_list = _my_list_locked(profile)
    deleted, _ = saved_list.items.filter(title=title).delete()
    if deleted:
        _positions_compact(saved_list)
        interaction_record(
            profile=profile, kind=Interaction.Kind.WATCHLIST_REMOVE, title=title, page=page
        )
        rails_changed(profiles=[profile.pk], rescore=True)
    return bool(deleted)


@transaction.atomic
def my_list_move(*, profile: Profile, title: Title, to_position: int) -> None:
    """Move a title to `to_position` (0 = first), shifting the others; positions stay dense."""
    saved_list = _my_list_locked(profile)
    ids = _ordered_ids(saved_list)
    if title.pk not in ids:
        raise ValidationError("That title is not on My List.")
    ids.remove(title.pk)
    ids.insert(max(0, min(to_position, len(ids))), title.pk)
    _positions_write(saved_list, ids)
    rails_changed(profiles=[profile.pk])  # the My List rail shows the new order


def _ordered_ids(saved_list: SavedList) -> list[int]:
    items = saved_list.items.order_by("position", "-added_at")
    return list(items.values_list("title_id", flat=True))


def _positions_compact(saved_list: SavedList) -> None:
    _positions_write(saved_list, _ordered_ids(saved_list))


def _positions_write(saved_list: SavedList, ordered_title_ids: list[int]) -> None:
    items = {item.title_id: item for item in saved_list.items.all()}
    changed = []
    for position, title_id in enumerate(ordered_title_ids):
        if items[title_id].position != position:
            items[title_id].position = position
            changed.append(items[title_id])
    SavedListItem.objects.bulk_update(changed, ["position"])


def saved_search_add(*, profile: Profile, name: str, query_string: str) -> SavedSearch:
    """Save a search (once per distinct query string); keeps the newest 12."""
    name = " ".join(name.split())[:80] or "Saved search"
    saved, _ = SavedSearch.objects.update_or_create(
        profile=profile, query_string=query_string[:500], defaults={"name": name}
    )
    stale = SavedSearch.objects.filter(profile=profile).order_by("-created_at")[12:]
    SavedSearch.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return saved
