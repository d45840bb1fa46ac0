"""Every URL pattern and form, fuzzed: no answer is a 500 (#16).

Hypothesis draws a URL pattern (admin aside), fills its path parameters with real ids and
slugs or hostile values, and sends GET or POST with parameters named after every form field
and query parameter the views read, valued from real choices, edge cases (NUL, huge numbers,
NaN, foreign URLs) and random text. The test client re-raises any exception a view lets out,
so a 500 fails the test with its traceback and Hypothesis shrinks it to the smallest request.
Bounded: a fixed number of examples, derandomized, so it costs the same on every run (well
under a minute on each database).
"""

import inspect
import re
import sys

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Certification
from profiles import forms
from profiles.models import Profile
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
EXAMPLES_PER_ROUTE = 10


def url_patterns(patterns=None, prefix="") -> list[tuple[str, object]]:
    """Every route as written ("title/<slug:slug>/feedback/") with its view, admin aside."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                found += url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            found.append((route, entry.callback))
    return found


# /health/ answers 500 by design when a check fails (no fitted model in a test database);
# recommender/tests/test_health.py covers it.
ROUTES = [(route, view) for route, view in url_patterns() if route != "health/"]
FORM_FIELDS = sorted(
    {
        name
        for form in (
            forms.SignupForm, forms.LoginForm, forms.PasswordResetRequestForm, forms.ProfileForm,
            forms.PinForm, forms.UnlockForm, forms.PreferencesForm,
        )
        for name in form.base_fields
    }
)  # fmt: skip
QUERY_PARAMETERS = [
    "q", "page", "kind", "genre", "year_min", "year_max", "runtime_min", "runtime_max",
    "language", "certification", "rail", "next", "manage", "value", "stars", "action",
    "position", "event", "name", "query_string", "context", "picked", "genres", "target",
    "skip", "new_password1", "new_password2", "genre-drama",
    "code", "week", "board", "joined",  # Your Marquee (profiles/forms/gamification.py)
]  # fmt: skip
EDGE_VALUES = [
    "", " ", "0", "1", "-1", "3.5", "1e309", "NaN", "inf", "99999999999999999999",
    "\x00", "a\x00b", "foo", "/", "//evil.example/", "https://evil.example/", "/search/?q=x",
    "x" * 1000, "é🎬", "<script>", "' OR 1=1 --", "%00", "[]", "{}", "true", "on",
    "movie", "series", "up", "down", "love", "not_interested", "clear", "add", "remove",
    "progress", "complete", "start", "rail", "for-you", "trending", "drama", "en", "kids",
    "adult", "1234", "2468", "#ff0000", "q=heat&kind=movie", "runtime_min=151&runtime_max=10000",
    *Certification.values,
]  # fmt: skip


def path_value(converter: str, household) -> st.SearchStrategy[str]:
    if converter == "int":
        ids = [p.pk for p in household["profiles"]] + [t.pk for t in household["titles"]]
        return st.one_of(
            st.sampled_from([str(i) for i in ids]),
            st.sampled_from(["0", "99999999999999999999", "9223372036854775808"]),
            st.integers(min_value=0, max_value=10**6).map(str),
        )
    if converter == "slug":
        return st.one_of(
            st.sampled_from([t.slug for t in household["titles"]] + ["for-you", "my-list"]),
            st.from_regex(r"\A[-a-zA-Z0-9_]{1,40}\Z"),
        )
    return st.from_regex(r"\A[-a-zA-Z0-9_=]{1,40}\Z")  # uidb64 and token


def names_read_by(view) -> list[str]:
    """The known parameter names that the view's module (or the search and form modules it
    leans on) spells out, so each route is fuzzed mostly with the names it reads."""
    source = inspect.getsource(sys.modules[inspect.unwrap(view).__module__])
    if "SearchFilters" in source:
        source += inspect.getsource(sys.modules["catalog.search"])
    if "Form" in source:
        for module in (
            "profiles.forms.accounts", "profiles.forms.signals", "profiles.forms.gamification",
            "catalog.forms",
        ):  # fmt: skip
            source += inspect.getsource(sys.modules[module])
    if "TitleVisitForm" in source:
        source += inspect.getsource(sys.modules["recommender.forms"])
    names = [n for n in FORM_FIELDS + QUERY_PARAMETERS if f'"{n}"' in source or f"{n} =" in source]
    return names or QUERY_PARAMETERS


def requests_for(route: str, view, household):
    value = st.one_of(
        st.sampled_from(EDGE_VALUES), st.text(max_size=40), st.text(max_size=10).map("\x00".join)
    )
    values = st.lists(value, min_size=1, max_size=2)
    # A few of the names this view reads, plus one other known or unknown name.
    known = st.dictionaries(st.sampled_from(names_read_by(view)), values, max_size=3)
    other = st.dictionaries(
        st.sampled_from(FORM_FIELDS + QUERY_PARAMETERS) | st.text(min_size=1, max_size=10),
        values,
        max_size=1,
    )
    params = st.tuples(known, other).map(lambda pair: {**pair[1], **pair[0]})

    @st.composite
    def request(draw):
        path = re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: draw(path_value(m.group(1) or "str", household)), route
        )
        return draw(st.sampled_from(["GET", "POST"])), "/" + path, draw(params), draw(st.booleans())

    return request()


@pytest.mark.parametrize("route,view", ROUTES, ids=[route or "home" for route, _ in ROUTES])
def test_no_request_answers_500(client, household, route, view):
    adult = household["adult"]

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(requests_for(route, view, household))
    def fuzz(request):
        method, path, params, htmx = request
        if not Profile.objects.filter(pk=adult.pk).exists():  # a fuzzed delete took it
            adult.pk = None
            adult.save()
        login_as(client, adult)
        headers = {"HX-Request": "true"} if htmx else {}
        send = client.get if method == "GET" else client.post
        response = send(path, params, headers=headers)
        assert response.status_code < 500, (method, path, params)

    fuzz()
