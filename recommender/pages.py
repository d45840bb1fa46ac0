"""Rendered rails, cached per profile: the home page body and single rail fragments.

Rendering sixty tiles costs far more than reading them, so the HTML is cached under a key that
carries the profile's rails version and the shared rails' version: anything that changes a
profile's rails (a recompute, a signal, a watch event) bumps its version, and the old HTML is
simply never asked for again. CSRF tokens are per session, so the cached HTML holds a
placeholder that each response fills in.
"""

import time

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from profiles.models import Profile
from recommender.rails import SHARED, Rail, page_rails

HTML_SECONDS = 10 * 60  # New releases and Continue Watching's progress stay at most this stale
CSRF_PLACEHOLDER = "__marquee_csrf_token__"
EAGER_RAILS = 3  # rendered with the page; the rest load with htmx as they scroll into view
TILES_KEPT = 5000  # rendered tiles kept per process (about 2 KB each); all dropped when full
_tiles_seen: dict[tuple, str] = {}


def version_key(profile_id: int | str) -> str:
    return f"railsver:{profile_id}"


def versions_bump(*profile_ids: int | None) -> None:
    """New rails versions for these profiles (the shared rails for None)."""
    now = time.time_ns()
    cache.set_many({version_key(pk or SHARED): now for pk in profile_ids}, None)


def _html_key(profile: Profile, part: str, path: str) -> str:
    versions = cache.get_many([version_key(profile.pk), version_key(SHARED)])
    own, shared = versions.get(version_key(profile.pk), 0), versions.get(version_key(SHARED), 0)
    return f"railshtml:{profile.pk}:{profile.effective_ceiling}:{own}:{shared}:{part}:{path}"


def _cached_render(request, key: str, template: str, context_for, *, page_path: str) -> str:
    html = cache.get(key)
    if html is None:
        context = {**context_for(), "csrf_token": CSRF_PLACEHOLDER, "page_path": page_path}
        html = render_to_string(template, context)
        cache.set(key, html, HTML_SECONDS)
    return with_csrf_token(request, html)


def tiles_render(rails: list[Rail], page_path: str) -> None:
    """Render each rail's tiles into `rail.tiles_html`, with the CSRF placeholder.

    A tile's HTML depends only on what the key below names, so each process keeps the tiles it
    has rendered: a rail that changes by one title (a thumbs down) renders one new tile."""
    template = get_template("components/tile.html")
    for rail in rails:
        parts = []
        for tile in rail.tiles:
            title = tile.title
            key = (
                rail.key, page_path, title.pk, title.slug, title.title, title.year,
                title.poster_src, tuple(tile.badges), tile.progress, tile.match_percent,
            )  # fmt: skip
            html = _tiles_seen.get(key)
            if html is None:
                context = {"tile": tile, "rail": rail, "page_path": page_path}
                html = template.render({**context, "csrf_token": CSRF_PLACEHOLDER})
                if len(_tiles_seen) >= TILES_KEPT:
                    _tiles_seen.clear()
                _tiles_seen[key] = html
            parts.append(html)
        rail.tiles_html = mark_safe("".join(parts))  # our own rendered template


def with_csrf_token(request, html: str) -> str:
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


def home_body(request) -> str:
    profile = request.profile

    def context():
        hero, rails = page_rails(profile)
        tiles_render(rails[:EAGER_RAILS], "/")
        return {"hero": hero, "rails": rails, "eager_rails": EAGER_RAILS}

    key = _html_key(profile, "home", "/")
    return _cached_render(request, key, "catalog/home_body.html", context, page_path="/")


def rail_fragment(request, key: str) -> str | None:
    """One rail's HTML, or None when the profile has no such rail. Tiles loaded into the home
    page point back at it; a rail opened as a page points back at itself."""
    profile = request.profile
    page_path = "/" if request.htmx else request.path

    def context():
        _, rails = page_rails(profile, only=key)
        tiles_render(rails, page_path)
        return {"rail": rails[0] if rails else None}

    html_key = _html_key(profile, f"rail-{key}", page_path)
    html = _cached_render(
        request, html_key, "recommender/rail_body.html", context, page_path=page_path
    )
    return html if html.strip() else None
