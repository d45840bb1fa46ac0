"""Every JSON API route, found by walking the URL resolver (a new route is checked without
being listed here), with every method it accepts:

1. without credentials it answers 401 in the error shape (only sign-up, tokens and the
   schema pages are open);
2. with a household's token on another household's profile it answers 404;
3. a kids profile whose ceiling was lowered below titles in its own history, with rails
   stored before that, never receives an above-ceiling title in any field of any answer.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from catalog.models import Title
from profiles.models import Profile, Rating, WatchEvent
from profiles.tests.api_cast import assert_error, bearer, cast_make

pytestmark = pytest.mark.django_db
OPEN = {"api/v1/schema/", "api/v1/docs/", "api/v1/redoc/"}
OPEN_PREFIX = "api/v1/auth/"
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def api_routes() -> list[tuple[str, object]]:
    """(route, view) for every pattern under api/v1/, with its converters left in."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                found.append((route, pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def methods_of(view) -> list[str]:
    allowed = getattr(view.cls, "http_method_names", [])
    return [m.upper() for m in allowed if m not in ("options", "head", "trace")]


def concrete(route: str, *, profile: Profile, title: Title, person_slug: str) -> str:
    def fill(match):
        name = match.group(2)
        if name == "profile_id":
            return str(profile.pk)
        if name == "key":
            return "for-you"
        return (
            person_slug
            if route.startswith("api/v1/profiles/<int:profile_id>/people/")
            else title.slug
        )

    return "/" + PARAM.sub(fill, route)


def body_for(route: str, method: str, title: Title) -> dict:
    now = timezone.now().isoformat()
    if route.endswith("feedback/"):
        return {"value": "up"}
    if route.endswith("rating/"):
        return {"stars": 4}
    if route.endswith("progress/"):
        return {"event": "progress", "position_seconds": 60, "duration_seconds": 600}
    if route.endswith("my-list/"):
        return {"title": title.slug}
    if route.endswith("my-list/<slug:slug>/"):
        return {"position": 0}
    if route.endswith("events/"):
        return {"events": [{"id": "5f0c2a58-8d8b-4b8e-9a57-0c0d8f7f6a01", "kind": "click",
                            "occurred_at": now, "title": title.slug}]}  # fmt: skip
    return {}


def send(client, method: str, url: str, body: dict, **headers):
    return getattr(client, method.lower())(url, body, format="json", headers=headers)


def test_the_walk_finds_every_api_area():
    routes = {route for route, _ in api_routes()}
    areas = ["profiles/", "events/", "auth/token/", "rails/", "recommendations/", "titles/"]
    areas += ["people/", "my-list/", "history/", "insights/", "refresh/"]
    for expected in areas:
        assert any(expected in route for route in routes), expected


def test_every_route_answers_401_without_credentials(client):
    cast = cast_make(fans=0)
    person = cast.family[0].credits.first().person.slug
    for route, view in api_routes():
        if route in OPEN or route.startswith(OPEN_PREFIX):
            continue
        url = concrete(route, profile=cast.adult, title=cast.family[0], person_slug=person)
        for method in methods_of(view):
            response = send(client, method, url, body_for(route, method, cast.family[0]))
            assert_error(response, 401, "not_authenticated")


def test_every_profile_route_answers_404_for_another_households_profile():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    person = cast.family[0].credits.first().person.slug
    checked = 0
    for route, view in api_routes():
        if "<int:profile_id>" not in route and route != "api/v1/events/":
            continue
        url = concrete(route, profile=cast.stranger, title=cast.family[0], person_slug=person)
        for method in methods_of(view):
            body = body_for(route, method, cast.family[0])
            response = send(client, method, url, body, **{"X-Profile-Id": str(cast.stranger.pk)})
            assert_error(response, 404, "not_found")
            checked += 1
    assert checked >= 20
    assert not WatchEvent.objects.filter(profile=cast.stranger).exists()
    assert not Rating.objects.filter(profile=cast.stranger).exists()


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is not None:
        yield str(value)


def test_a_kids_profile_never_receives_a_title_above_its_ceiling(artifacts_tmp):
    cast = cast_make()
    kid = cast.kid
    # The kid's profile was an adult's: its history and stored rails hold crime titles.
    Profile.objects.filter(pk=kid.pk).update(kind=Profile.Kind.ADULT, maturity_ceiling=18)
    for title in cast.crime[:4] + cast.family[:2]:
        Rating.objects.create(profile=kid, title=title, value=5, created_at=timezone.now())
    WatchEvent.objects.create(
        profile=kid, title=cast.crime[0], event="progress", position_seconds=60,
        duration_seconds=600, created_at=timezone.now(),
    )  # fmt: skip
    call_command("recompute_recs", verbosity=0)
    client = bearer(cast.household)
    before = client.get(f"/api/v1/profiles/{kid.pk}/rails/").content.decode()
    assert any(title.slug in before for title in cast.crime)  # what the check below would catch
    Profile.objects.filter(pk=kid.pk).update(kind=Profile.Kind.KIDS, maturity_ceiling=7)
    kid.refresh_from_db()
    hidden = list(Title.objects.filter(maturity_level__gt=7))
    person = cast.family[0].credits.first().person.slug
    leaks, answered = [], 0
    for route, view in api_routes():
        if "<int:profile_id>" not in route and route != "api/v1/events/":
            continue
        url = concrete(route, profile=kid, title=cast.family[0], person_slug=person)
        for method in ["GET", *[m for m in methods_of(view) if m != "GET"]]:
            if method not in methods_of(view):
                continue
            body = body_for(route, method, cast.family[0])
            response = send(client, method, url, body, **{"X-Profile-Id": str(kid.pk)})
            assert response.status_code < 500, (method, url)
            if not response.content:
                continue
            answered += 1
            text = "\n".join(_strings(json.loads(response.content)))
            for title in hidden:
                if title.slug in text or re.search(rf"\b{re.escape(title.title)}\b", text):
                    leaks.append((method, url, title.title))
        if "<slug:slug>" in route and "people" not in route:  # a hidden title by its URL
            hidden_url = concrete(route, profile=kid, title=cast.crime[0], person_slug=person)
            for method in methods_of(view):
                body = body_for(route, method, cast.crime[0])
                assert_error(send(client, method, hidden_url, body), 404, "not_found")
    assert answered >= 15
    assert not leaks, leaks
