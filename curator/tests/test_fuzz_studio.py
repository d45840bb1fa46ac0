"""Every curator route fuzzed as a curator (the site-wide fuzz test signs in as a viewer, who
gets 403 here): hostile values in every field the studio reads, GET and POST, htmx or not; no
answer is a 500."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.tests.test_fuzz import EDGE_VALUES, url_patterns
from curator.experiments import experiment_save
from curator.services import collection_save, hero_save, pin_save

pytestmark = pytest.mark.django_db
ROUTES = [(route, view) for route, view in url_patterns() if route.startswith("curator/")]
FIELDS = [
    "title", "rail_key", "position", "audience", "starts_at", "ends_at", "message", "name",
    "description", "title_slugs", "rail_keys", "variant", "profile", "viewer", "page",
    "v-TOTAL_FORMS", "v-INITIAL_FORMS", "v-0-name", "v-0-is_control", "v-0-weight",
    "v-0-algorithm", "v-0-diversity", "v-0-popularity_weight", "v-1-name", "v-1-weight",
    "v-1-algorithm", "weight_1", "weight_2",
]  # fmt: skip
KINDS = ["pins", "collections", "hero", "experiments", "start", "stop", "ship", "split",
         "replay", "results", "nope"]  # fmt: skip


@pytest.fixture
def studio(curator_user, cast):
    title = cast["titles"]["g"]
    open_ = {"audience": "all", "starts_at": None, "ends_at": None}
    pin_save(actor=curator_user, fields={"title": title, "rail_key": "for-you", "position": 1}
             | open_)  # fmt: skip
    hero_save(actor=curator_user, fields={"title": title, "message": "m"} | open_)
    collection_save(actor=curator_user, title_ids=[title.pk],
                    fields={"name": "C", "description": "", "position": 1} | open_)  # fmt: skip
    experiment_save(actor=curator_user, name="E", rail_keys=["for-you"], variants=[
        {"name": "a", "is_control": True, "weight": 50, "algorithm": "popularity"},
        {"name": "b", "is_control": False, "weight": 50, "algorithm": "popularity"},
    ])  # fmt: skip


def _request():
    value = st.one_of(st.sampled_from(EDGE_VALUES), st.text(max_size=30))
    params = st.dictionaries(st.sampled_from(FIELDS), st.lists(value, min_size=1, max_size=2),
                             max_size=6)  # fmt: skip
    ints = st.one_of(st.sampled_from(["1", "2", "0", "99999999999999999999"]),
                     st.integers(0, 10**6).map(str))  # fmt: skip
    return st.tuples(st.sampled_from(["GET", "POST"]), ints, st.sampled_from(KINDS), params,
                     st.booleans())  # fmt: skip


@pytest.mark.parametrize("route,view", ROUTES, ids=[route for route, _ in ROUTES])
def test_no_curator_request_answers_500(client, curator_user, studio, route, view):
    client.force_login(curator_user)

    @settings(max_examples=10, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(_request())
    def fuzz(request):
        method, number, kind, params, htmx = request

        def fill(match):
            return number if match.group(1) == "int" else kind

        path = "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)
        send = client.get if method == "GET" else client.post
        response = send(path, params, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code < 500, (method, path, params)

    fuzz()
