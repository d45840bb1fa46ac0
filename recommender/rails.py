"""Reading rails for a page: cached rows + live rails, filtered for the profile, in few queries.

Precomputed rails (CachedRecommendations) are read through the cache; Continue Watching, My List
and New releases are live queries. Every title passes the profile's effective ceiling and its
exclusions (thumbs down, not interested) here, whatever the cached rows say.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from catalog.models import Title, slug_url
from catalog.selectors import titles_for_tiles
from profiles.models import Feedback, Profile, WatchEvent
from profiles.selectors import titles_for_profile
from profiles.taste import EXCLUDING_FEEDBACK
from recommender.models import CachedRecommendations

RAIL_SIZE = 20
SPARE = 10  # titles read beyond a page, for those a lowered ceiling hides since the rails ran
CACHE_SECONDS = 6 * 3600
SHARED = "shared"
TRENDING = "trending"
FOR_YOU = "for-you"
HERO = "hero"


@dataclass
class Tile:
    title: Title
    confidence: float | None = None
    reason: str = ""
    badges: list[str] = field(default_factory=list)
    progress: int = 0

    @property
    def match_percent(self) -> int | None:
        return None if self.confidence is None else round(100 * self.confidence)

    @property
    def feedback_url(self) -> str:
        return slug_url("signals:feedback", self.title.slug)

    @property
    def my_list_url(self) -> str:
        return slug_url("signals:my_list_toggle", self.title.slug)


@dataclass
class Rail:
    key: str
    heading: str
    tiles: list[Tile]
    empty_hint: str = ""
    has_page: bool = True  # home rails have their own page at /rails/<key>/
    tiles_html: str = ""  # the tiles already rendered (recommender.pages.tiles_render)


def cache_key(profile_id: int | str) -> str:
    return f"rails:v1:{profile_id}"


def cached_rows(profile_id: int | None) -> list[dict]:
    """A profile's precomputed rails (or the shared ones for None), through the cache."""
    key = cache_key(profile_id or SHARED)
    rows = cache.get(key)
    if rows is None:
        rows = list(
            CachedRecommendations.objects.filter(profile_id=profile_id)
            .order_by("position")
            .values("rail_key", "heading", "title_ids", "confidence", "reasons", "computed_at")
        )
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def cache_forget(*profile_ids: int | None) -> None:
    """Drop the cached rail rows and, by a new version, every page rendered from them (the
    shared rails for None)."""
    from recommender.pages import versions_bump

    cache.delete_many([cache_key(pk or SHARED) for pk in profile_ids])
    versions_bump(*profile_ids)


def excluded_title_ids(profile: Profile) -> set[int]:
    return set(
        Feedback.objects.filter(profile=profile, value__in=list(EXCLUDING_FEEDBACK)).values_list(
            "title_id", flat=True
        )
    )


def continue_watching_ids(profile: Profile, *, limit: int = RAIL_SIZE) -> dict[int, int]:
    """title id -> percent watched, for titles started and not finished, most recent first."""
    latest = WatchEvent.objects.filter(profile=profile, title=OuterRef("title")).order_by(
        "-created_at", "-id"
    )
    rows = (
        WatchEvent.objects.filter(profile=profile)
        .values("title")
        .annotate(last_at=Max("created_at"), last_event=Subquery(latest.values("event")[:1]))
        .exclude(last_event=WatchEvent.Event.COMPLETE)
        .annotate(
            position=Subquery(latest.values("position_seconds")[:1]),
            duration=Subquery(latest.values("duration_seconds")[:1]),
        )
        .order_by("-last_at")[:limit]
    )
    return {
        row["title"]: round(100 * row["position"] / row["duration"]) if row["duration"] else 0
        for row in rows
    }


def new_release_ids(profile: Profile, *, limit: int = 60) -> list[int]:
    since = timezone.now().year - 2
    titles = titles_for_profile(profile).filter(year__gte=since)
    return list(
        titles.order_by("-year", "-release_date", "-popularity").values_list("pk", flat=True)[
            :limit
        ]
    )


def my_list_ids(profile: Profile, *, limit: int = RAIL_SIZE) -> list[int]:
    return list(
        Title.objects.filter(saved_items__saved_list__profile=profile)
        .order_by("saved_items__position", "-saved_items__added_at")
        .values_list("pk", flat=True)[:limit]
    )


@dataclass
class RailSpec:
    key: str
    heading: str
    ids: list[int]
    confidence: list[float] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    empty_hint: str = ""
    progress: dict[int, int] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict) -> "RailSpec":
        return cls(
            row["rail_key"], row["heading"], row["title_ids"], row["confidence"], row["reasons"]
        )


def _specs(profile: Profile, keys: set[str] | None = None) -> list[RailSpec]:
    """The home page's rails in page order, before filtering (only `keys`, when given)."""
    from recommender.services import recommendations_refresh, shared_rails_refresh

    def wanted(key: str) -> bool:
        return keys is None or key in keys

    personal = cached_rows(profile.pk)
    if not personal:  # before the first nightly run, or a brand-new profile
        personal = recommendations_refresh(profile=profile)
    shared = cached_rows(None) or shared_rails_refresh()
    specs = []
    if wanted("continue"):
        watching = continue_watching_ids(profile)
        specs.append(RailSpec("continue", "Continue Watching", list(watching), progress=watching))
    specs += [RailSpec.from_row(row) for row in shared if row["rail_key"] == TRENDING]
    specs += [RailSpec.from_row(row) for row in personal if row["rail_key"].startswith("because-")]
    specs += [RailSpec.from_row(row) for row in personal if row["rail_key"] == FOR_YOU]
    if wanted("my-list"):
        hint = "Add titles with + My List."
        specs.append(RailSpec("my-list", "My List", my_list_ids(profile), empty_hint=hint))
    specs += [RailSpec.from_row(row) for row in personal if row["rail_key"].startswith("genre-")]
    if wanted("new"):
        specs.append(RailSpec("new", "New releases", new_release_ids(profile)))
    return specs


def page_rails(
    profile: Profile, *, only: str | set[str] | None = None
) -> tuple[Tile | None, list[Rail]]:
    """The hero and the rails for a profile's home page (or just the rail or rails `only`)."""
    keys = {only} if isinstance(only, str) else only
    specs = _specs(profile, keys)
    trending = next((spec.ids for spec in specs if spec.key == TRENDING), [])
    if keys is not None:
        specs = [spec for spec in specs if spec.key in keys]
    excluded = excluded_title_ids(profile)
    wanted = {pk for spec in specs for pk in _first(spec.ids, excluded, RAIL_SIZE + SPARE)}
    visible = titles_for_tiles(titles_for_profile(profile).filter(pk__in=wanted))
    titles = {title.pk: title for title in visible}
    badges = _badges(trending)
    rails = []
    for spec in specs:
        tiles = []
        for index, pk in enumerate(spec.ids):
            if pk in excluded or pk not in titles:
                continue
            tiles.append(
                Tile(
                    titles[pk],
                    spec.confidence[index] if index < len(spec.confidence) else None,
                    spec.reasons[index] if index < len(spec.reasons) else "",
                    badges(titles[pk]),
                    spec.progress.get(pk, 0),
                )
            )
            if len(tiles) == RAIL_SIZE:
                break
        if tiles or spec.empty_hint:
            rails.append(Rail(spec.key, spec.heading, tiles, spec.empty_hint))
    hero = next((rail.tiles[0] for rail in rails if rail.key == FOR_YOU and rail.tiles), None)
    if hero is None:
        hero = next((rail.tiles[0] for rail in rails if rail.key == TRENDING and rail.tiles), None)
    return hero, rails


def rails_showing(profile: Profile, title: Title) -> set[str]:
    """Keys of the rails that may show this title now (before a change removes it); read from
    the cached rows, so it costs at most one query (My List)."""
    keys = {
        row["rail_key"]
        for row in [*cached_rows(profile.pk), *cached_rows(None)]
        if title.pk in row["title_ids"][: RAIL_SIZE * 2]
    }
    if title.saved_items.filter(saved_list__profile=profile).exists():
        keys.add("my-list")
    if title.year and title.year >= timezone.now().year - 2:
        keys.add("new")
    return keys


def rails_stocked(profile: Profile) -> bool:
    """Whether each stored personal rail still fills a page and its spares once the profile's
    rejections are taken out; when one does not, it is time to recompute the profile's rails."""
    excluded = excluded_title_ids(profile)
    wanted = RAIL_SIZE + SPARE
    for row in cached_rows(profile.pk):
        ids = row["title_ids"]
        if len(_first(ids, excluded, wanted)) < min(len(ids), wanted):
            return False
    return True


def _first(ids: list[int], excluded: set[int], count: int) -> list[int]:
    picked = []
    for pk in ids:
        if pk not in excluded:
            picked.append(pk)
            if len(picked) == count:
                break
    return picked


def _badges(trending: list[int]):
    top10, trending_set = set(trending[:10]), set(trending[:RAIL_SIZE])
    recent_year = timezone.now().year - 1

    def badges(title: Title) -> list[str]:
        found = []
        if title.pk in top10:
            found.append("Top 10")
        elif title.pk in trending_set:
            found.append("Trending")
        if title.year and title.year >= recent_year:
            found.append("New")
        return found

    return badges
