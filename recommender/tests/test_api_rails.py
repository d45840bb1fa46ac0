"""/api/v1/profiles/<id>/rails/, rails/<key>/, recommendations/ and refresh/: the home rails
with reasons and confidence, kept until `rails_changed` retires them, recommendations by any
algorithm of the registry, and a throttled forced refresh."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.services import feedback_set
from profiles.tests.api_cast import assert_error, bearer, cast_make
from recommender.engine.registry import available
from recommender.selectors import interaction_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(artifacts_tmp):
    cast = cast_make()
    for title in cast.family[:3]:
        feedback_set(profile=cast.adult, title=title, value="love")
    call_command("recompute_recs", verbosity=0)
    return cast


def _get(client, profile, rest, **params):
    return client.get(f"/api/v1/profiles/{profile.pk}/{rest}", params)


def test_rails_carry_tiles_with_reasons_and_confidence(world):
    body = _get(bearer(world.household), world.adult, "rails/").json()
    keys = [rail["key"] for rail in body["rails"]]
    assert "for-you" in keys and "trending" in keys
    for_you = next(rail for rail in body["rails"] if rail["key"] == "for-you")
    assert for_you["tiles"] and for_you["tiles"][0]["confidence"] is not None
    assert body["hero"]["title"]["slug"]


def test_a_rails_answer_is_kept_until_rails_changed_retires_it(world):
    client = bearer(world.household)
    first = _get(client, world.adult, "rails/for-you/").json()
    with CaptureQueriesContext(connection) as kept:
        assert _get(client, world.adult, "rails/for-you/").json() == first
    assert not any("cachedrecommendations" in q["sql"].lower() for q in kept.captured_queries)
    dropped = first["tiles"][0]["title"]["slug"]
    title = world.family[0].__class__.objects.get(slug=dropped)
    feedback_set(profile=world.adult, title=title, value="down")
    after = _get(client, world.adult, "rails/for-you/").json()
    assert dropped not in {tile["title"]["slug"] for tile in after["tiles"]}


def test_an_unknown_rail_is_404(world):
    assert_error(_get(bearer(world.household), world.adult, "rails/nope/"), 404, "not_found")


@pytest.mark.parametrize("algorithm", available())
def test_every_registry_algorithm_recommends_within_the_ceiling(world, algorithm):
    client = bearer(world.household)
    body = _get(client, world.kid, "recommendations/", algorithm=algorithm, k=5).json()
    assert body["algorithm"] == algorithm and len(body["results"]) <= 5
    assert {r["title"]["certification"] for r in body["results"]} <= {"G"}
    adult = _get(client, world.adult, "recommendations/", algorithm=algorithm, k=5).json()
    assert adult["results"], algorithm
    loved = {t.slug for t in world.family[:3]}
    assert not loved & {r["title"]["slug"] for r in adult["results"]}  # seen titles left out


def test_diversity_and_k_are_checked(world):
    client = bearer(world.household)
    body = _get(client, world.adult, "recommendations/", k=3, diversity=0).json()
    assert len(body["results"]) == 3 and body["diversity"] == 0
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    for params in ({"algorithm": "magic"}, {"k": 0}, {"k": 101}, {"diversity": 2}):
        assert_error(_get(client, world.adult, "recommendations/", **params), 400, "invalid")


def test_refresh_recomputes_now_and_is_throttled(world, monkeypatch):
    from config.api_throttles import ScopedThrottle

    rates = {**ScopedThrottle.THROTTLE_RATES, "refresh": "2/hour"}
    monkeypatch.setattr(ScopedThrottle, "THROTTLE_RATES", rates)
    client = bearer(world.household)
    version = world.adult.rails_version
    answer = client.post(f"/api/v1/profiles/{world.adult.pk}/refresh/")
    assert answer.status_code == 200 and answer.json()["rails"]
    world.adult.refresh_from_db()
    assert world.adult.rails_version > version
    client.post(f"/api/v1/profiles/{world.adult.pk}/refresh/")
    assert_error(client.post(f"/api/v1/profiles/{world.adult.pk}/refresh/"), 429, "throttled")


def test_unknown_api_paths_answer_json_404(world):
    client = bearer(world.household)
    assert_error(client.get("/api/v2/anything"), 404, "not_found")
    assert_error(client.get("/api/v1/profiles/1/nothing/"), 404, "not_found")


def test_a_baseline_is_fitted_once_per_model_version_for_the_api_and_the_experiments(
    world, monkeypatch
):
    """The API's `?algorithm=` and an experiment variant read one fitted model per name; asking
    for another algorithm keeps it (no refit back and forth); a new model version replaces
    them."""
    from recommender.artifacts import bundle_current
    from recommender.engine import baselines
    from recommender.variants import variant_model

    fits = []
    fit = baselines.EASE.fit

    def fit_counted(self, *args, **kwargs):
        fits.append(self)
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(baselines.EASE, "fit", fit_counted)
    client = bearer(world.household)
    for algorithm in ("ease", "rp3beta", "ease"):
        assert _get(client, world.adult, "recommendations/", algorithm=algorithm).json()["results"]
    assert len(fits) == 1
    assert variant_model(bundle_current(), "ease") is fits[0]  # the experiments' ranking too
    call_command("recompute_recs", verbosity=0)
    assert _get(client, world.adult, "recommendations/", algorithm="ease").json()["results"]
    assert len(fits) == 2


def test_a_dense_algorithm_past_its_bound_is_a_clear_400_and_ranks_no_rails(
    world, monkeypatch, caplog
):
    """EASE's weights grow with the square of the catalogue: past the bound the API answers
    400 naming it, before fitting anything, and a variant on it is ranked by the engine."""
    import numpy as np

    from recommender import variants
    from recommender.artifacts import bundle_current
    from recommender.engine import baselines

    monkeypatch.setattr(variants, "DENSE_MAX_TITLES", 5)
    monkeypatch.setattr(baselines.EASE, "fit", lambda *a, **k: pytest.fail("EASE was fitted"))
    response = _get(bearer(world.household), world.adult, "recommendations/", algorithm="ease")
    assert_error(response, 400, "invalid")
    assert "ease is not offered for a catalogue of" in str(response.json()["detail"])
    bundle = bundle_current()
    row, _ = interaction_matrix(bundle.title_ids, [world.adult.pk])
    hidden = np.zeros(0, dtype=np.int64)
    args = {"k": 10, "hidden": hidden, "sessions": None, "diversity": 0.0, "rejected": None}
    ids, _ = variants.ranked(bundle, row, {"algorithm": "ease"}, **args)
    assert ids.tolist() == variants.ranked(bundle, row, None, **args)[0].tolist()
    assert "ranked by the engine instead" in caplog.text
