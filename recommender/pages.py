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
from django.template.loader import render_to_string

from profiles.models import Profile
from recommender.rails import SHARED, page_rails

HTML_SECONDS = 10 * 60  # New releases and Continue Watching's progress stay at most this stale
CSRF_PLACEHOLDER = "__marquee_csrf_token__"
EAGER_RAILS = 3  # rendered with the page; the rest load with htmx as they scroll into view


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
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


def home_body(request) -> str:
    profile = request.profile

    def context():
        hero, rails = page_rails(profile)
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
        return {"rail": rails[0] if rails else None}

    html_key = _html_key(profile, f"rail-{key}", page_path)
    html = _cached_render(
        request, html_key, "recommender/rail_body.html", context, page_path=page_path
    )
    return html if html.strip() else None
