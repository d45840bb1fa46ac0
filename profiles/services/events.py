"""Client events from the JSON API (POST /api/v1/events/): a batch stored in one go.

Each event carries the client's UUID, so a batch sent again (a retry after a lost answer)
stores nothing twice: ids already stored, or repeated within the batch, come back as
`duplicate`, and the database's unique (profile, client id) has the last word when two
copies race (the insert skips conflicts). Clicks, detail views, searches and recommendation
clicks are `Interaction` rows, as the pages record them; watch progress is a `WatchEvent`, and
moves Continue Watching through `rails_changed` as the player's does."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from catalog.models import Title
from profiles.models import Interaction, Profile, WatchEvent
from recommender.changes import rails_changed

MAX_BATCH = 100
MAX_AGE = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=1)  # a client clock this far ahead is still "now"
INTERACTION_KINDS = ("click", "view_detail", "search", "recommendation_click")
WATCH_KINDS = ("watch_start", "watch_progress", "watch_complete")
EVENT_KINDS = INTERACTION_KINDS + WATCH_KINDS


@dataclass(frozen=True)
class ClientEvent:
    """One event as the client sent it, already parsed (the API's serializer checks types)."""

    id: uuid.UUID
    kind: str
    occurred_at: datetime
    title_slug: str = ""
    page: str = ""
    rail_key: str = ""
    position: int | None = None
    query: str = ""
    position_seconds: int = 0
    duration_seconds: int = 0


SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
TEXT_LIMITS = {"page": 40, "rail_key": 60, "query": 200}
NUMBER_LIMITS = {"position": 32767, "position_seconds": 10**7, "duration_seconds": 10**7}


def client_event_parse(raw: dict) -> tuple[ClientEvent | None, dict[str, str]]:
    """One event as JSON decoded it -> (the event, {}) or (None, field -> problem).

    The same rules as the API's documented EventSerializer, checked in plain Python: a batch
    is 100 of these, and DRF's field machinery cost ~0.5 ms an event (docs/benchmarks.md)."""
    if not isinstance(raw, dict):
        return None, {"event": "An event is a JSON object."}
    errors, fields = {}, {}
    try:
        fields["id"] = uuid.UUID(raw["id"]) if isinstance(raw.get("id"), str) else None
    except ValueError:
        fields["id"] = None
    if fields["id"] is None:
        errors["id"] = "id must be a UUID."
    kind = raw.get("kind")
    if kind not in EVENT_KINDS:
        errors["kind"] = f"kind must be one of {', '.join(EVENT_KINDS)}."
    occurred = raw.get("occurred_at")
    try:
        moment = datetime.fromisoformat(occurred) if isinstance(occurred, str) else None
    except ValueError:
        moment = None
    if moment is None:
        errors["occurred_at"] = "occurred_at must be an ISO 8601 date and time."
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    slug = raw.get("title", "")
    if not isinstance(slug, str) or len(slug) > 320 or (slug and not SLUG.match(slug)):
        errors["title"] = "title must be a title's slug."
    for name, limit in TEXT_LIMITS.items():
        value = fields[name] = raw.get(name, "")
        if not isinstance(value, str) or len(value) > limit or "\x00" in value:
            errors[name] = f"{name} must be text of at most {limit} characters."
    for name, limit in NUMBER_LIMITS.items():
        value = fields[name] = raw.get(name, None if name == "position" else 0)
        if value is None and name == "position":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            errors[name] = f"{name} must be a whole number from 0 to {limit}."
    if errors:
        return None, errors
    return ClientEvent(kind=kind, occurred_at=moment, title_slug=slug, **fields), {}


@dataclass(frozen=True)
class EventResult:
    id: uuid.UUID
    status: str  # stored, duplicate or rejected
    detail: str = ""


def _problem(event: ClientEvent, titles: dict[str, Title], now: datetime) -> str:
    """Why this event cannot be stored, or ""."""
    if event.kind not in EVENT_KINDS:
        return f"Unknown event kind {event.kind!r}."
    if event.occurred_at > now + CLOCK_SKEW:
        return "occurred_at is in the future."
    if event.occurred_at < now - MAX_AGE:
        return "occurred_at is more than 7 days ago."
    if event.title_slug and event.title_slug not in titles:
        return "No such title on this profile."
    if event.kind == "search" and not event.query:
        return "A search event needs a query."
    if event.kind != "search" and not event.title_slug:
        return f"A {event.kind} event needs a title."
    watching = event.kind in WATCH_KINDS
    if watching and not 0 <= event.position_seconds <= event.duration_seconds > 0:
        return "position_seconds must lie between 0 and duration_seconds (above 0)."
    return ""


def _stored_ids(profile: Profile, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """The ids among these already stored for the profile (one query over both tables)."""
    interactions = Interaction.objects.filter(profile=profile, client_id__in=ids)
    watches = WatchEvent.objects.filter(profile=profile, client_id__in=ids)
    both = interactions.values_list("client_id", flat=True).union(
        watches.values_list("client_id", flat=True)
    )
    return set(both)


def events_record(*, profile: Profile, events: list[ClientEvent]) -> list[EventResult]:
    """Store a batch (at most MAX_BATCH) for this profile; one result per event, in order.
    Titles are resolved within the profile's ceiling, so a kids profile cannot log a title it
    may not see."""
    if len(events) > MAX_BATCH:
        raise ValueError(f"A batch holds at most {MAX_BATCH} events.")
    now = timezone.now()
    slugs = {e.title_slug for e in events if e.title_slug}
    visible = Title.objects.filter(slug__in=slugs, maturity_level__lte=profile.effective_ceiling)
    titles = {t.slug: t for t in visible.only("pk", "slug")} if slugs else {}
    seen = _stored_ids(profile, [e.id for e in events])
    results, interactions, watches = [], [], []
    for event in events:
        problem = _problem(event, titles, now)
        if problem:
            results.append(EventResult(event.id, "rejected", problem))
            continue
        if event.id in seen:
            results.append(EventResult(event.id, "duplicate"))
            continue
        seen.add(event.id)
        title = titles.get(event.title_slug)
        if event.kind in WATCH_KINDS:
            watches.append(
                WatchEvent(
                    profile=profile, title=title, event=event.kind.removeprefix("watch_"),
                    position_seconds=event.position_seconds,
                    duration_seconds=event.duration_seconds, created_at=event.occurred_at,
                    client_id=event.id,
                )
            )  # fmt: skip
        else:
            interactions.append(
                Interaction(
                    profile=profile, title=title, kind=event.kind, page=event.page[:40],
                    rail_key=event.rail_key[:60], position=event.position,
                    query=event.query[:200], created_at=event.occurred_at, client_id=event.id,
                )
            )  # fmt: skip
        results.append(EventResult(event.id, "stored"))
    with transaction.atomic():
        Interaction.objects.bulk_create(interactions, ignore_conflicts=True)
        if watches:
            WatchEvent.objects.bulk_create(watches, ignore_conflicts=True)
            completed = any(w.event == WatchEvent.Event.COMPLETE for w in watches)
            rails_changed(profiles=[profile.pk], rescore=completed)
    return results
