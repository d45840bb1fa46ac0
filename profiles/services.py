"""Writes for households, profiles and every viewer signal.

Views call these; each records what happened (with history where the product needs it) and
returns the new state. Recommendation updates hook in through `profiles.signals_changed`.
"""

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from catalog.models import MAX_MATURITY, Title
from profiles.models import (
    KIDS_DEFAULT_CEILING,
    Account,
    Feedback,
    FeedbackHistory,
    Interaction,
    PreferenceWeights,
    Profile,
    Rating,
    SavedList,
    SavedListItem,
    WatchEvent,
)

MAX_PROFILES = 5
MY_LIST = "My List"


@transaction.atomic
def profile_create(
    *, household: Account, name: str, kind: str = Profile.Kind.ADULT,
    avatar_colour: str = "#e50914", avatar_emoji: str = "", language: str = "en",
    maturity_ceiling: int | None = None,
) -> Profile:  # fmt: skip
    # Lock the household row so two concurrent requests cannot both add a sixth profile.
    Account.objects.select_for_update().filter(pk=household.pk).first()
    if household.profiles.count() >= MAX_PROFILES:
        raise ValidationError(f"A household can have at most {MAX_PROFILES} profiles.")
    if maturity_ceiling is None:
        maturity_ceiling = KIDS_DEFAULT_CEILING if kind == Profile.Kind.KIDS else MAX_MATURITY
    profile = Profile.objects.create(
        household=household, name=name.strip(), kind=kind, avatar_colour=avatar_colour,
        avatar_emoji=avatar_emoji, language=language, maturity_ceiling=maturity_ceiling,
    )  # fmt: skip
    PreferenceWeights.objects.create(profile=profile)
    SavedList.objects.create(profile=profile, name=MY_LIST)
    return profile


def preferences_for(profile: Profile) -> PreferenceWeights:
    preferences, _ = PreferenceWeights.objects.get_or_create(profile=profile)
    return preferences


def pin_set(*, profile: Profile, pin: str) -> None:
    if profile.is_kids:
        raise ValidationError("Kids profiles cannot have a PIN lock.")
    if len(pin) != 4 or not pin.isdigit():
        raise ValidationError("A PIN is exactly four digits.")
    profile.pin_hash = make_password(pin)
    profile.save(update_fields=["pin_hash"])


def pin_clear(*, profile: Profile) -> None:
    profile.pin_hash = ""
    profile.save(update_fields=["pin_hash"])


def pin_matches(*, profile: Profile, pin: str) -> bool:
    return bool(profile.pin_hash) and check_password(pin, profile.pin_hash)


def interaction_record(
    *, profile: Profile, kind: str, title: Title | None = None, page: str = "", rail_key: str = "",
    position: int | None = None, query: str = "",
) -> Interaction:  # fmt: skip
    return Interaction.objects.create(
        profile=profile, title=title, kind=kind, page=page[:40], rail_key=rail_key[:60],
        position=position, query=query[:200], created_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def feedback_set(*, profile: Profile, title: Title, value: str) -> Feedback | None:
    """Set the current feedback (or clear it with ""); every change is kept in the history."""
    if value and value not in Feedback.Value.values:
        raise ValidationError(f"Unknown feedback {value!r}.")
    now = timezone.now()
    FeedbackHistory.objects.create(profile=profile, title=title, value=value, created_at=now)
    if not value:
        Feedback.objects.filter(profile=profile, title=title).delete()
        return None
    feedback, _ = Feedback.objects.update_or_create(
        profile=profile, title=title, defaults={"value": value, "created_at": now}
    )
    return feedback


@transaction.atomic
def rating_set(*, profile: Profile, title: Title, stars: float) -> Rating:
    if not 0.5 <= stars <= 5 or stars * 2 != int(stars * 2):
        raise ValidationError("A rating is 0.5 to 5 stars in half steps.")
    rating, _ = Rating.objects.update_or_create(
        profile=profile,
        title=title,
        defaults={"value": f"{stars:.1f}", "created_at": timezone.now()},
    )
    interaction_record(profile=profile, kind=Interaction.Kind.RATE, title=title)
    return rating


def watch_event_record(
    *, profile: Profile, title: Title, event: str, position: int, duration: int
) -> WatchEvent:
    if event not in WatchEvent.Event.values:
        raise ValidationError(f"Unknown watch event {event!r}.")
    if duration <= 0 or not 0 <= position <= duration:
        raise ValidationError("Position must lie between 0 and the duration.")
    return WatchEvent.objects.create(
        profile=profile, title=title, event=event, position_seconds=position,
        duration_seconds=duration, created_at=timezone.now(),
    )  # fmt: skip


def my_list(profile: Profile) -> SavedList:
    saved_list, _ = SavedList.objects.get_or_create(profile=profile, name=MY_LIST)
    return saved_list


@transaction.atomic
def my_list_add(*, profile: Profile, title: Title, page: str = "", rail_key: str = "") -> bool:
    """Add to the end of My List; False when it was already there."""
    saved_list = my_list(profile)
    last = saved_list.items.aggregate(last=Max("position"))["last"]
    _, created = SavedListItem.objects.get_or_create(
        saved_list=saved_list, title=title,
        defaults={"position": 0 if last is None else last + 1, "added_at": timezone.now()},
    )  # fmt: skip
    if created:
        interaction_record(
            profile=profile,
            kind=Interaction.Kind.WATCHLIST_ADD,
            title=title,
            page=page,
            rail_key=rail_key,
        )
    return created


@transaction.atomic
def my_list_remove(*, profile: Profile, title: Title, page: str = "") -> bool:
    deleted, _ = SavedListItem.objects.filter(saved_list__profile=profile, title=title).delete()
    if deleted:
        interaction_record(
            profile=profile, kind=Interaction.Kind.WATCHLIST_REMOVE, title=title, page=page
        )
    return bool(deleted)


@transaction.atomic
def my_list_move(*, profile: Profile, title: Title, to_position: int) -> None:
    """Move a title to `to_position` (0 = first), shifting the others; positions stay dense."""
    saved_list = my_list(profile)
    ids = list(
        saved_list.items.order_by("position", "-added_at").values_list("title_id", flat=True)
    )
    if title.pk not in ids:
        raise ValidationError("That title is not on My List.")
    ids.remove(title.pk)
    ids.insert(max(0, min(to_position, len(ids))), title.pk)
    items = {item.title_id: item for item in saved_list.items.all()}
    for position, title_id in enumerate(ids):
        items[title_id].position = position
    SavedListItem.objects.bulk_update(items.values(), ["position"])
