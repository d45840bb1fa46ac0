"""Reading what curators decided, as a viewer's home page needs it.

Nothing here checks the ceiling: the home page's assembly (`recommender.rails.rails_assemble`)
reads every title through the profile's ceiling and rejections, so a curated R title is left
out for a kids profile there, like any other title.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import chain

from django.core.cache import cache
from django.utils import timezone

from catalog.models import MAX_MATURITY, Title
from curator.models import Audience, Collection, HeroOverride, Pin, audience_of
from curator.rails import collection_spec
from profiles.models import KIDS_DEFAULT_CEILING, Profile
from recommender.rails import excluded_title_ids, rails_assemble

CURATION_SECONDS = 10 * 60


@dataclass
class Curation:
    """What is live for one profile now."""

    collections: list[tuple[Collection, list[int]]] = field(default_factory=list)
    pins: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # rail -> (pos, title)
    hero: HeroOverride | None = None


def _live(row, now, audience: str) -> bool:
    return (
        row.audience in (Audience.ALL, audience)
        and (row.starts_at is None or row.starts_at <= now)
        and (row.ends_at is None or row.ends_at > now)
    )


def _everything(everyone_version) -> dict:
    """Every pin, collection (with its title ids) and hero override, read once per everyone's
    rails version (every curator write moves it through `rails_changed(everyone=True)`)."""
    key = f"curation:{everyone_version}"
    entry = cache.get(key)
    if entry is None:
        collections = list(Collection.objects.prefetch_related("items"))
        entry = {
            "pins": list(Pin.objects.order_by("position", "-id")),
            "collections": [(c, [item.title_id for item in c.items.all()]) for c in collections],
            "heroes": list(HeroOverride.objects.order_by("-starts_at", "-id")),
        }
        rows = [*entry["pins"], *collections, *entry["heroes"]]
        times = chain.from_iterable((row.starts_at, row.ends_at) for row in rows)
        entry["bounds"] = sorted(t.timestamp() for t in times if t is not None)
        cache.set(key, entry, CURATION_SECONDS)
    return entry


def curation_for(profile: Profile, *, now, everyone_version) -> Curation:
    """Live collections (with their title ids in order), pins by rail, and the hero override
    for this profile's audience at `now`."""
    audience = audience_of(profile)
    entry = _everything(everyone_version)
    curation = Curation(
        collections=[(c, ids) for c, ids in entry["collections"] if _live(c, now, audience)],
        hero=next((h for h in entry["heroes"] if _live(h, now, audience)), None),
    )
    for pin in entry["pins"]:
        if _live(pin, now, audience):
            curation.pins.setdefault(pin.rail_key, []).append((pin.position, pin.title_id))
    return curation


def schedule_epoch(*, now, everyone_version) -> int:
    """How many schedule boundaries (a start or an end) have passed: part of the rendered
    rails' cache key, so a collection, pin or hero shows and leaves on time although no write
    happens then."""
    return bisect_right(_everything(everyone_version)["bounds"], now.timestamp())


def ceiling_warnings(title_ids: list[int]) -> list[str]:
    """Names of the titles a kids profile (default ceiling) will not see."""
    return list(
        Title.objects.filter(pk__in=title_ids, maturity_level__gt=KIDS_DEFAULT_CEILING)
        .order_by("title")
        .values_list("title", flat=True)
    )


def studio_lists(*, now=None) -> dict:
    """Everything the studio lists, newest first, with its status now and, for collections,
    the titles a kids profile will not see."""
    now = now or timezone.now()
    pins = list(Pin.objects.select_related("title").order_by("-id"))
    heroes = list(HeroOverride.objects.select_related("title").order_by("-id"))
    collections = list(Collection.objects.prefetch_related("items").order_by("position", "-id"))
    hidden = dict(
        Title.objects.filter(
            pk__in={i.title_id for c in collections for i in c.items.all()}
            | {p.title_id for p in pins},
            maturity_level__gt=KIDS_DEFAULT_CEILING,
        ).values_list("pk", "title")
    )
    for row in [*pins, *heroes, *collections]:
        row.status_now = row.status(now)
    for collection in collections:
        ids = [item.title_id for item in collection.items.all()]
        collection.title_count = len(ids)
        collection.kids_hidden = [hidden[pk] for pk in ids if pk in hidden]
    for pin in pins:
        pin.kids_hidden = pin.title_id in hidden
    return {"pins": pins, "heroes": heroes, "collections": collections, "now": now}


def collection_preview(
    collection: Collection, *, household, profile: Profile | None, viewer: str
) -> dict:
    """The collection's rail as a profile sees it: one of the curator's own profiles (checked
    by the view, profiles.access), or a fresh kids or adult profile at its default ceiling."""
    if profile is not None:
        excluded = excluded_title_ids(profile)
    else:
        kids = viewer == "kids"
        profile = Profile(
            name="Kids" if kids else "Adult",
            kind=Profile.Kind.KIDS if kids else Profile.Kind.ADULT,
            maturity_ceiling=KIDS_DEFAULT_CEILING if kids else MAX_MATURITY,
        )
        excluded = set()
    ids = list(collection.items.order_by("order").values_list("title_id", flat=True))
    _, rails = rails_assemble(profile, [collection_spec(collection, ids)], excluded=excluded)
    rail = rails[0] if rails else None
    for r in rails:
        r.has_page = False
    shown = {tile.title_id for tile in rail.tiles} if rail else set()
    return {
        "collection": collection, "rail": rail, "profile": profile,
        "hidden": ceiling_hidden_names([pk for pk in ids if pk not in shown]),
        "own_profiles": Profile.objects.filter(household=household),
        "status_now": collection.status(timezone.now()),
    }  # fmt: skip


def ceiling_hidden_names(title_ids: list[int]) -> list[str]:
    return list(
        Title.objects.filter(pk__in=title_ids).order_by("title").values_list("title", flat=True)
    )
