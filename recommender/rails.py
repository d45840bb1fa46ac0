"""Reading rails for a page: stored rows + live rails, filtered for the profile, in few queries.

This module only reads. Precomputed rails (CachedRecommendations) come from the database;
Continue Watching, My List and New releases are live queries. Every title, and every title a
heading or a reason names, passes the profile's ceiling *now* and its exclusions (thumbs down,
not interested) here, whatever the stored rows say; outside its own Continue Watching and My
List, so do the genres it keeps away (a slider at -1).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from catalog.models import Title, slug_url
from catalog.selectors import names_visible, titles_for_tiles, titles_in_genres
from config.prepared import Prepared
from profiles.models import Profile
from profiles.taste import exclusions_for
from recommender.catalogue_facts import blocked_genres
from recommender.live_rails import RAIL_SIZE, continue_watching_ids, my_list_ids, new_release_ids
from recommender.models import CachedRecommendations

SPARE = 10  # titles read beyond a page, for those a lowered ceiling hides since the rails ran
SHARED = "shared"
TRENDING = "trending"
FOR_YOU = "for-you"
HERO = "hero"
OWN = {"continue", "my-list"}  # the viewer's own picks, shown whatever genres it keeps away


@dataclass
class Tile:
    # None until needed when the rails were assembled with `whole=False`: a page whose tile is
    # already drawn (`recommender.pages.tiles_draw`) never reads the title whole.
    title: Title | None
    confidence: float | None = None
    reason: str = ""
    badges: list[str] = field(default_factory=list)
    progress: int = 0
    title_id: int = 0
    html: str = ""  # drawn by `recommender.pages.tiles_draw`

    def __post_init__(self):
        if self.title is not None:
            self.title_id = self.title.pk

    @property
    def match_percent(self) -> int | None:
        return None if self.confidence is None else round(100 * self.confidence)

    # Each is drawn twice per tile (a form's action and its hx-post).
    @cached_property
    def feedback_url(self) -> str:
        return slug_url("signals:feedback", self.title.slug)

    @cached_property
    def my_list_url(self) -> str:
        return slug_url("signals:my_list_toggle", self.title.slug)


@dataclass
class Rail:
    key: str
    heading: str
    tiles: list[Tile]
    empty_hint: str = ""
    has_page: bool = True  # home rails have their own page at /rails/<key>/
    named_ids: set[int] = field(default_factory=set)  # titles its heading or reasons name
    description: str = ""  # a curator collection's

    @property
    def tiles_html(self) -> str:
        """Its tiles as `recommender.pages.tiles_draw` drew them ("" until then: the carousel
        template draws them itself)."""
        return "".join(tile.html for tile in self.tiles)


ROW_FIELDS = (
    "profile_id", "rail_key", "heading", "source_title_id", "title_ids", "confidence", "reasons",
    "reason_title_ids", "computed_at", "variant",
)  # fmt: skip


# Read by every page with rails: compiled once (config/prepared.py).
_stored_rows = Prepared(
    lambda profile: (
        CachedRecommendations.objects.filter(Q(profile_id=profile) | Q(profile__isnull=True))
        .order_by("position")
        .values(*ROW_FIELDS)
    ),
    profile=int,
)


def stored_rows(profile_id: int) -> tuple[list[dict], list[dict]]:
    """A profile's stored rails and the shared ones (Trending), in page order, in one query."""
    personal, shared = [], []
    for row in _stored_rows.all(profile=profile_id):
        (shared if row["profile_id"] is None else personal).append(row)
    return personal, shared


def excluded_title_ids(profile: Profile) -> set[int]:
    """Its thumbs down and not interested (`profiles.taste.exclusions_for`, for one profile)."""
    return exclusions_for([profile.pk]).get(profile.pk, set())


def kept_away_ids(profile: Profile, title_ids) -> set[int]:
    """Those of these titles in a genre the profile keeps away (a slider at -1): one query for
    a profile that keeps a genre away, none otherwise."""
    return titles_in_genres(title_ids, blocked_genres(profile.genre_weights))


def turned_away_ids(profile: Profile, title_ids) -> set[int]:
    """What a list outside the profile's rails (a title page's carousels) leaves out of these
    titles: its thumbs down and not interested, and those in a genre it keeps away."""
    return excluded_title_ids(profile) | kept_away_ids(profile, title_ids)


@dataclass
class RailSpec:
    key: str
    heading: str
    ids: list[int]
    confidence: list[float] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    reason_title_ids: list[int | None] = field(default_factory=list)
    source_title_id: int | None = None
    empty_hint: str = ""
    progress: dict[int, int] = field(default_factory=dict)
    description: str = ""

    @classmethod
    def from_row(cls, row: dict) -> "RailSpec":
        return cls(
            row["rail_key"], row["heading"], row["title_ids"], row["confidence"], row["reasons"],
            row["reason_title_ids"], row["source_title_id"],
        )  # fmt: skip

    def named_ids(self) -> set[int]:
        """Titles whose names this rail's heading or reasons would show."""
        named = {pk for pk in self.reason_title_ids if pk}
        return named | {self.source_title_id} if self.source_title_id else named


def rail_specs(
    profile: Profile, personal: list[dict], shared: list[dict], keys: set[str] | None = None
) -> list[RailSpec]:
    """The home page's rails in page order, before filtering (only `keys`, when given)."""

    def wanted(key: str) -> bool:
        return keys is None or key in keys

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


def rails_assemble(
    profile: Profile,
    specs: list[RailSpec],
    *,
    excluded: set[int],
    only: set[str] | None = None,
    filled: int | None = None,
    hero_override: tuple[int, str] | None = None,
    whole: bool = True,
    hero: bool = True,
) -> tuple[Tile | None, list[Rail]]:
    """The hero and the rails, every title and every named title checked against the profile's
    ceiling now and its exclusions (`excluded_title_ids`), and, outside Continue Watching and
    My List (`OWN`), the genres it keeps away (one more query, only when it keeps one away).
    A curator's `hero_override` (title id, message) is the hero when the profile may see it;
    otherwise the usual pick is.

    Only the first `filled` rails (all when None) and the hero get their tiles; the others come
    back with their heading and no tiles, for a page that loads them as they scroll into view.
    One query reads which candidates are visible (and their names and years); a second reads
    whole titles for the tiles that will be drawn and the hero. With `whole=False` there is no
    second: the tiles and the hero come with `title` None, for `tiles_draw` to read those it
    must draw. With `hero=False` (a rail fragment) no hero is picked: None comes back."""
    trending = next((spec.ids for spec in specs if spec.key == TRENDING), [])
    if not hero:
        hero_override = None
    if only is not None:
        specs = [spec for spec in specs if spec.key in only]
    window = {spec.key: _first(spec.ids, excluded, RAIL_SIZE + SPARE) for spec in specs}
    wanted = {pk for ids in window.values() for pk in ids}
    wanted |= {pk for spec in specs for pk in spec.named_ids()}
    if hero_override is not None:
        wanted.add(hero_override[0])
    ceiling = profile.effective_ceiling
    years: dict[int, int | None] = {}
    names = _names(wanted, ceiling, years)
    away = kept_away_ids(profile, names)  # in a genre it keeps away (a slider at -1)

    def fits(spec: RailSpec, pk: int) -> bool:
        """Whether this rail may show this title to the profile now."""
        return pk in names and pk not in excluded and (spec.key in OWN or pk not in away)

    # A rail whose first candidates the ceiling hides (a kids profile's shared Trending Now)
    # reads on down its list, so the rail alone and the rail on home show the same page.
    short = [
        spec for spec in specs
        if len(spec.ids) > len(window[spec.key])
        and sum(fits(spec, pk) for pk in window[spec.key]) < RAIL_SIZE
    ]  # fmt: skip
    if short:
        more = {pk for spec in short for pk in spec.ids if pk not in excluded} - wanted
        found = _names(more, ceiling, years)
        names |= found
        away |= kept_away_ids(profile, found)
    shown: list[tuple[RailSpec, str, list[tuple[int, int]]]] = []  # (spec, heading, picks)
    for spec in specs:
        heading = spec.heading
        if spec.source_title_id:
            if spec.source_title_id not in names or spec.source_title_id in excluded:
                continue  # "Because you watched <a title this profile may not see now>"
            heading = f"{heading} {names[spec.source_title_id]}"
        picks = [(i, pk) for i, pk in enumerate(spec.ids) if fits(spec, pk)]
        if picks or spec.empty_hint:
            shown.append((spec, heading, picks[:RAIL_SIZE]))
    hero_rail = None
    for key in (FOR_YOU, TRENDING) if hero else ():
        hero_rail = next((n for n, (s, _, p) in enumerate(shown) if s.key == key and p), None)
        if hero_rail is not None:
            break
    drawn = len(shown) if filled is None else filled
    needed = {pk for _, _, picks in shown[:drawn] for _, pk in picks}
    chosen = hero_override if hero_override and hero_override[0] in names else None
    if chosen is not None and chosen[0] not in excluded:
        needed.add(chosen[0])
        hero_rail = None
    elif hero_rail is not None:
        needed.add(shown[hero_rail][2][0][1])
    titles = {}
    if whole:
        titles = {t.pk: t for t in titles_for_tiles(Title.objects.filter(pk__in=needed))}
    badges = _badges(trending, years)
    rails, hero_tile = [], None
    for position, (spec, heading, picks) in enumerate(shown):
        named = {spec.source_title_id} if spec.source_title_id else set()
        # A rail past `filled` comes without tiles (its titles were not read whole).
        tiles = [
            _tile(spec, i, pk, titles.get(pk), names, named, badges)
            for i, pk in (picks if position < drawn else [])
        ]
        if position == hero_rail:  # its first title is the hero, drawn with the page or not
            index, pk = picks[0]
            hero_tile = (
                tiles[0] if tiles else _tile(spec, index, pk, titles.get(pk), names, named, badges)
            )
        rails.append(
            Rail(spec.key, heading, tiles, spec.empty_hint, named_ids=named,
                 description=spec.description)
        )  # fmt: skip
    if hero_rail is None and chosen is not None and chosen[0] not in excluded:
        hero_tile = Tile(titles.get(chosen[0]), reason=chosen[1], title_id=chosen[0])
    return hero_tile, rails


def _tile(
    spec: RailSpec, index: int, pk: int, title: Title | None, names: dict, named: set[int], badges
) -> Tile:
    confidence = spec.confidence[index] if index < len(spec.confidence) else None
    reason = _reason(spec, index, names, named)
    return Tile(title, confidence, reason, badges(pk), spec.progress.get(pk, 0), title_id=pk)


def _names(title_ids: set[int], ceiling: int, years: dict[int, int | None]) -> dict[int, str]:
    """pk -> name of those of these titles at or below the ceiling; their years go into
    `years` (for the New badge)."""
    names = {}
    for pk, (name, year) in names_visible(title_ids, ceiling=ceiling).items():
        names[pk] = name
        years[pk] = year
    return names


def _reason(spec: RailSpec, index: int, names: dict[int, str], named: set[int]) -> str:
    """The tile's reason, with the name of the title it cites, if the profile may see it."""
    text = spec.reasons[index] if index < len(spec.reasons) else ""
    cited = spec.reason_title_ids[index] if index < len(spec.reason_title_ids) else None
    if not cited:
        return text
    if cited not in names:
        return ""
    named.add(cited)
    return f"{text} {names[cited]}"


def rails_showing(profile: Profile, title: Title, personal: list[dict], shared: list[dict]):
    """Keys of the rails that may show this title now (before a change removes it)."""
    keys = {
        row["rail_key"]
        for row in [*personal, *shared]
        if title.pk in row["title_ids"][: RAIL_SIZE * 2] or title.pk == row["source_title_id"]
    }
    if title.saved_items.filter(saved_list__profile=profile).exists():
        keys.add("my-list")
    if title.year and title.year >= timezone.now().year - 2:
        keys.add("new")
    return keys


def rails_stocked(personal: list[dict], excluded: set[int]) -> bool:
    """Whether each stored personal rail still fills a page and its spares once the profile's
    rejections are taken out; when one does not, it is time to recompute the profile's rails."""
    wanted = RAIL_SIZE + SPARE
    for row in personal:
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


def _badges(trending: list[int], years: dict[int, int | None]):
    top10, trending_set = set(trending[:10]), set(trending[:RAIL_SIZE])
    recent_year = timezone.now().year - 1

    def badges(pk: int) -> list[str]:
        found = []
        if pk in top10:
            found.append("Top 10")
        elif pk in trending_set:
            found.append("Trending")
        year = years.get(pk)
        if year and year >= recent_year:
            found.append("New")
        return found

    return badges
