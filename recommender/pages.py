"""The home page and rail fragments: stored rails read for a profile, rendered, and cached.

The one cache of the rails pipeline is here: rendered HTML, under a key that carries the
profile's rails version and everyone's (`recommender.versions`), which only `rails_changed`
moves. A fragment is stored with the ids of every title it shows or names, and a kids profile's
read checks them against its ceiling again, so a certification raised behind the pipeline's back
(a raw queryset update) can never show from the cache. CSRF tokens are per session, so the
cached HTML holds a placeholder that each response fills in.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.html import escape

from catalog.models import MAX_MATURITY, Title
from catalog.selectors import title_detail, titles_for_tiles
from curator.assignment import variant_label_for
from curator.rails import curation_applied
from curator.selectors import curation_for, schedule_epoch
from profiles.models import Profile
from recommender.artifacts import bundle_current
from recommender.changes import rails_changed
from recommender.rails import (
    RAIL_SIZE,
    SPARE,
    Rail,
    Tile,
    excluded_title_ids,
    rail_specs,
    rails_assemble,
    rails_showing,
    rails_stocked,
    stored_rows,
    turned_away_ids,
)
from recommender.services import recommendations_refresh, shared_rails_refresh
from recommender.similar import title_carousels
from recommender.versions import versions_read

HTML_SECONDS = 10 * 60  # New releases and Continue Watching's progress stay at most this stale
CSRF_PLACEHOLDER = "__marquee_csrf_token__"
TILES_MARK = "__marquee_tiles__"
MATCH_MARK = "__marquee_match__"  # where a kept tile's match goes (`tiles_draw`)
PAGE_MARK = "__marquee_page__"  # where a tile drawn for no page in particular names its page
RAIL_MARK = "__marquee_rail__"  # where a kept tile names its rail (`tiles_draw`)
EAGER_RAILS = 3  # rendered with the page; the rest load with htmx as they scroll into view


def page_rails(
    profile: Profile,
    *,
    only: str | set[str] | None = None,
    filled: int | None = None,
    whole: bool = True,
    hero: bool = True,
) -> tuple[Tile | None, list[Rail]]:
    """The hero and the rails for a profile's home page (or just the rail or rails `only`);
    `whole` and `hero` as `rails_assemble`'s (whole False for a page drawn by `tiles_draw`).

    A profile without stored rails (new, or before the first nightly run), or whose rejections
    have thinned a rail below a page, has them computed here; two such requests at once store
    one rail set (the store locks the profile row)."""
    keys = {only} if isinstance(only, str) else only
    personal, shared, excluded = rows_ready(profile)
    # Curator collections, pins and hero live now for this profile's audience; the assembly
    # applies the ceiling to them like to every other title.
    curation = curation_for(profile, now=timezone.now(), everyone_version=versions_read(profile)[1])
    specs = curation_applied(rail_specs(profile, personal, shared, keys), curation, keys)
    featured = curation.hero
    return rails_assemble(
        profile, specs, excluded=excluded, only=keys, filled=filled, whole=whole, hero=hero,
        hero_override=(featured.title_id, featured.message or "Featured") if featured else None,
    )  # fmt: skip


def rows_ready(profile: Profile) -> tuple[list[dict], list[dict], set[int]]:
    """The profile's stored rails, the shared ones and its exclusions; rails computed here
    when there are none yet or rejections thinned them below a page."""
    personal, shared = stored_rows(profile.pk)
    excluded = excluded_title_ids(profile)
    if not personal or not rails_stocked(personal, excluded) or _variant_moved(profile, personal):
        with transaction.atomic():
            personal = recommendations_refresh(profile=profile)
            rails_changed(profiles=[profile.pk])
    if not shared:
        with transaction.atomic():
            shared = shared_rails_refresh()
            rails_changed(everyone=True)
    return personal, shared, excluded


def _variant_moved(profile: Profile, personal: list[dict]) -> bool:
    """Whether the stored rails were ranked for another experiment variant than the household's
    now (an experiment started, stopped or shipped); rails scored without a model have none."""
    stored = {row["variant"] for row in personal}
    return stored != {variant_label_for(profile.household_id)} and bundle_current() is not None


def rails_showing_title(profile: Profile, title: Title) -> set[str]:
    """Keys of the rails that may show this title now (read before a change removes it)."""
    personal, shared = stored_rows(profile.pk)
    return rails_showing(profile, title, personal, shared)


def shown_title_ids(hero: Tile | None, rails: list[Rail]) -> set[int]:
    """Every title a rendering shows or names (tiles, hero, headings, reasons)."""
    shown = {tile.title_id for rail in rails for tile in rail.tiles}
    shown |= {pk for rail in rails for pk in rail.named_ids}
    if hero is not None:
        shown.add(hero.title_id)
    return shown


def cached_render(request, part: str, template: str, context_for, *, page_path: str) -> str:
    def build():
        context, titles = context_for()
        context |= {"csrf_token": CSRF_PLACEHOLDER, "page_path": page_path}
        rails = context.get("rails") or ([context["rail"]] if context.get("rail") else [])
        context["hero"] = tiles_draw(
            request.profile, rails, page_path=page_path, kind=context.get("kind", ""),
            hero=context.get("hero"),
        )  # fmt: skip
        html = render_to_string(template, context)
        return html, titles, bool(html.strip())  # nothing is stored for a missing rail

    html = profile_cached(request.profile, _rendered_part(part, page_path), build)
    return with_csrf_token(request, html)


def _rendered_part(part: str, page_path: str) -> str:
    """The start of a rendered page's or fragment's `profile_cached` key."""
    return f"railshtml:{part}:{page_path}"


def tiles_draw(
    profile: Profile, rails: list[Rail], *, page_path: str, kind: str = "", hero: Tile | None = None
) -> Tile | None:
    """Draw the rails' tiles into `rail.tiles_html`, each tile shared by every profile, page
    and rail that shows it alike. A tile's HTML depends only on its title's facts (everyone's
    rails version, which a title's change moves), its progress and badges, whether it shows a
    match, where its forms post back, and whether its rail is Continue Watching (which has no
    actions), so it is kept under those: one cache read for a page, the misses drawn and kept.
    The rail and the match differ from page to page (a popular title is in For You on most
    home pages, and in many title pages' carousels), so the kept HTML has RAIL_MARK and
    MATCH_MARK where they go, filled in here. Which titles a profile may see is decided
    before, by the rails' assembly; the CSRF token is the placeholder each response fills in.

    Titles the assembly left unread (`whole=False`) are read in one query: the missing tiles'
    and the hero's. Returns the hero with its title (None if it was deleted since)."""
    _, everyone = versions_read(profile)
    context = {
        "csrf_token": CSRF_PLACEHOLDER, "page_path": page_path, "kind": kind,
        "match_mark": MATCH_MARK,
    }  # fmt: skip
    any_rail = Rail(RAIL_MARK, "", [])
    keys, wanted = {}, {}  # (rail, title) -> cache key; cache key -> what to draw it from
    for rail in rails:
        drawn_as = rail if rail.key == "continue" else any_rail
        for tile in rail.tiles:
            parts = (drawn_as.key, tile.title_id, tile.match_percent is not None, tile.progress,
                     tile.badges, kind, page_path)  # fmt: skip
            digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
            key = keys[(rail.key, tile.title_id)] = f"tilehtml:{everyone}:{digest}"
            wanted.setdefault(key, (drawn_as, tile))  # one drawing for rails showing it alike
    # A copy: with Redis down, django-redis answers every get_many with one shared {}.
    found = dict(cache.get_many(list(wanted))) if wanted else {}
    missing = {key: drawing for key, drawing in wanted.items() if key not in found}
    unread = [tile for _, tile in missing.values() if tile.title is None]
    if hero is not None and hero.title is None:
        unread.append(hero)
    if unread:
        ids = {tile.title_id for tile in unread}
        titles = {t.pk: t for t in titles_for_tiles(Title.objects.filter(pk__in=ids))}
        for tile in unread:
            tile.title = titles.get(tile.title_id)
    drawn = {}
    template = get_template("components/tile.html")
    for key, (rail, tile) in missing.items():
        if tile.title is None:  # deleted since the assembly read its name
            found[key] = ""
            continue
        found[key] = drawn[key] = template.render(context | {"rail": rail, "tile": tile})
    if drawn:
        cache.set_many(drawn, HTML_SECONDS)
    for rail in rails:
        rail_key = escape(rail.key)
        for tile in rail.tiles:
            tile.html = found[keys[(rail.key, tile.title_id)]].replace(RAIL_MARK, rail_key)
            if tile.match_percent is not None:
                tile.html = tile.html.replace(MATCH_MARK, str(tile.match_percent))
        rail.tiles = [tile for tile in rail.tiles if tile.html]
    return hero if hero is None or hero.title is not None else None


def profile_cached(profile: Profile, part: str, build):
    """A rendering of the profile's rails (HTML for pages, JSON for the API), kept under its
    rails version, everyone's and the curator schedule's epoch, so only `rails_changed` (or a
    scheduled start or end passing) retires it. `build()` returns
    (value, the ids of every title it shows or names, whether to keep it); a kept value is
    re-checked against the profile's ceiling on each read."""
    return _kept(profile, part + _versions_suffix(profile), build)


def _kept(profile: Profile, key: str, build):
    """`profile_cached` under a key already made (`_versions_suffix`)."""
    entry = cache.get(key)
    if entry is None or _shows_hidden(entry["titles"], profile.effective_ceiling):
        value, titles, keep = build()
        entry = _entry(value, titles)
        if keep:
            cache.set(key, entry, HTML_SECONDS)
    return entry["value"]


def _entry(value, titles) -> dict:
    return {"value": value, "titles": sorted(titles)}


def _versions_suffix(profile: Profile) -> str:
    """What `profile_cached` keys carry after their part. Read before the data a value is built
    from, so a value is never kept under a version newer than its data."""
    own, everyone = versions_read(profile)
    epoch = schedule_epoch(now=timezone.now(), everyone_version=everyone)  # curator schedules
    return f":{profile.pk}:{profile.effective_ceiling}:{own}:{everyone}:{epoch}"


def _shows_hidden(title_ids: list[int], ceiling: int) -> bool:
    """Whether any of these titles is now above the ceiling (one indexed query; none for a
    profile that may see everything)."""
    if ceiling >= MAX_MATURITY or not title_ids:
        return False
    return Title.objects.filter(pk__in=title_ids, maturity_level__gt=ceiling).exists()


def title_for_page(profile: Profile, slug: str) -> Title | None:
    """The title page's title with its genres, keywords and credits; None when there is no
    such title or it is above the profile's ceiling. Its facts do not depend on who looks, so
    one read serves every profile under everyone's rails version, which a change of a title
    moves (through `rails_changed`); a profile that may not see everything has the ceiling
    checked against the database, as every cached read here has."""
    _, everyone = versions_read(profile)
    key = f"titlepage:{everyone}:{hashlib.blake2b(slug.encode(), digest_size=16).hexdigest()}"
    item = cache.get(key)
    if item is None:
        item = title_detail(slug=slug)
        if item is None:
            return None
        cache.set(key, item, HTML_SECONDS)
    ceiling = profile.effective_ceiling
    if item.maturity_level > ceiling or _shows_hidden([item.pk], ceiling):
        return None
    return item


def title_carousels_html(request, title: Title) -> str:
    """The title page's carousels. Which titles they hold does not depend on who looks, only on
    the ceiling, the model and the catalogue, so one entry per title and ceiling serves every
    profile, under a key carrying the model's version and everyone's rails version: each
    carousel's frame (heading and track, TILES_MARK where the tiles go) and its title ids, with
    spares, so a profile that rejected some of its titles gets them left out (the spares fill
    in). The tiles shown are `tiles_draw`'s, drawn for no page in particular (PAGE_MARK where
    their forms name the page to come back to), so every title page showing a title in the
    same carousel shares its tile, and only the tiles a page shows are ever drawn."""
    profile = request.profile
    _, everyone = versions_read(profile)
    bundle = bundle_current()
    ceiling = profile.effective_ceiling
    model = bundle.version if bundle else "none"
    key = f"carousels:{ceiling}:{model}:{everyone}:{title.pk}"
    entry = cache.get(key)
    if entry is None or _shows_hidden(entry["titles"], ceiling):
        entry = _carousels_frames(title, ceiling)
        cache.set(key, entry, HTML_SECONDS)
    excluded = turned_away_ids(profile, {pk for _, _, ids in entry["rails"] for pk in ids})
    shown = [
        (
            frame,
            Rail(
                rail_key,
                "",
                [Tile(None, title_id=pk) for pk in ids if pk not in excluded][:RAIL_SIZE],
            ),
        )
        for frame, rail_key, ids in entry["rails"]
    ]
    tiles_draw(profile, [rail for _, rail in shown], page_path=PAGE_MARK)
    html = "".join(
        frame.replace(TILES_MARK, rail.tiles_html) for frame, rail in shown if rail.tiles
    )
    return with_csrf_token(request, html.replace(PAGE_MARK, escape(title.get_absolute_url())))


def _carousels_frames(title: Title, ceiling: int) -> dict:
    """Each carousel as its frame, its key and its title ids (a page's worth plus spares), and
    every id they hold (for the ceiling re-check on each read)."""
    rails = title_carousels(ceiling=ceiling, title=title, size=RAIL_SIZE + SPARE, whole=False)
    context = {"csrf_token": CSRF_PLACEHOLDER, "tiles_html": TILES_MARK}
    return {
        "rails": [
            (
                render_to_string("components/carousel.html", context | {"rail": rail}),
                rail.key,
                [tile.title_id for tile in rail.tiles],
            )
            for rail in rails
        ],
        "titles": sorted(shown_title_ids(None, rails)),
    }


def with_csrf_token(request, html: str) -> str:
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


def home_body(request) -> str:
    """The home page: the hero and the first rails drawn, the rest as placeholders that load as
    they scroll into view. Those lazy rails' fragments are drawn and kept with the page, under
    the keys `rail_fragment` reads: the stored rows, exclusions, curation and visibility query
    they need are the page's own, so a fragment is one cache read instead of all of that
    again (a title's tiles are shared by every page anyway, `tiles_draw`)."""
    profile = request.profile
    suffix = _versions_suffix(profile)  # one read for the page's key and its fragments'

    def build():
        hero, rails = page_rails(profile, whole=False)
        hero = tiles_draw(profile, rails, page_path="/", hero=hero)
        base = {"csrf_token": CSRF_PLACEHOLDER, "page_path": "/"}
        fragments = {
            _rendered_part(f"rail-{rail.key}", "/") + suffix: _entry(
                render_to_string("recommender/rail_body.html", base | {"rail": rail}),
                shown_title_ids(None, [rail]),
            )
            for rail in rails[EAGER_RAILS:]
        }
        cache.set_many(fragments, HTML_SECONDS)
        context = base | {"hero": hero, "rails": rails, "eager_rails": EAGER_RAILS}
        html = render_to_string("recommender/home_body.html", context)
        return html, shown_title_ids(hero, rails), True

    return with_csrf_token(request, _kept(profile, _rendered_part("home", "/") + suffix, build))


def rail_fragment(request, key: str) -> str | None:
    """One rail's HTML, or None when the profile has no such rail. Tiles loaded into the home
    page point back at it; a rail opened as a page points back at itself."""
    page_path = "/" if request.htmx else request.path

    def context():
        _, rails = page_rails(request.profile, only=key, whole=False, hero=False)
        return {"rail": rails[0] if rails else None}, shown_title_ids(None, rails)

    html = cached_render(
        request, f"rail-{key}", "recommender/rail_body.html", context, page_path=page_path
    )
    return html if html.strip() else None
