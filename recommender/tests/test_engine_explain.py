"""Explanations, confidence and save/load of the engine."""

import json

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.engine import Engine, explain, hybrid_scores, rank_with_hybrid
from recommender.tests.test_engine_contract import N_ITEMS, block_matrix, profile

NAMES = ["genre:sci-fi", "genre:comedy"]


def features() -> sp.csr_matrix:
    return sp.csr_matrix(np.eye(2)[[0] * 6 + [1] * 6])


@pytest.fixture(scope="module")
def engine():
    return Engine(popularity_weight=0.05).fit(
        block_matrix(), item_features=features(), feature_names=NAMES
    )


def test_explanation_names_a_title_that_contributed(engine):
    why = engine.explain(profile(0, 1, 2), 3)
    liked = [r["item"] for r in why["reasons"] if r["kind"] == "because_you_liked"]
    assert liked and set(liked) <= {0, 1, 2}
    assert json.loads(json.dumps(why)) == why
    assert 0.0 <= why["confidence"] <= 1.0


def test_explanation_reasons_are_real_parts_of_the_score(engine):
    why = engine.explain(profile(6, 7), 8)
    kinds = {r["kind"] for r in why["reasons"]}
    assert {"because_you_liked", "content", "popular"} <= kinds
    assert any(r.get("feature") == "genre:comedy" for r in why["reasons"])
    assert sum(r["weight"] for r in why["reasons"]) <= why["score"] + 1e-5
    weights = [r["weight"] for r in why["reasons"]]
    assert weights == sorted(weights, reverse=True)


def test_module_explain_matches_method_and_takes_dense_rows(engine):
    dense = np.zeros(N_ITEMS)
    dense[[0, 1]] = 1
    assert explain(engine, dense, 2) == engine.explain(profile(0, 1), 2)


def test_explain_items_gives_each_titles_own_explanation(engine):
    row = profile(0, 1, 6)
    together = engine.explain_items(row, [3, 8, 2])
    assert together == [engine.explain(row, item) for item in (3, 8, 2)]
    with pytest.raises(ValueError, match="item_id"):
        engine.explain_items(row, [N_ITEMS])


def test_explain_rejects_bad_input(engine):
    with pytest.raises(ValueError):
        engine.explain(profile(0), N_ITEMS)
    with pytest.raises(ValueError):
        engine.explain(sp.csr_matrix(np.ones((2, N_ITEMS))), 0)


def test_confidence_is_higher_for_better_ranked_titles(engine):
    ids, _ = engine.recommend(profile(0, 1), k=4, diversity=0)
    confidence = engine.confidence_for(profile(0, 1), ids)
    assert confidence.shape == (1, 4)
    assert np.all((confidence >= 0) & (confidence <= 1))
    assert np.all(np.diff(confidence[0]) <= 1e-6)
    worst = engine.confidence_for(profile(0, 1), [[11]])
    assert worst[0, 0] <= confidence[0, -1]


def test_calibration_maps_through_held_out_percentiles():
    model = Engine()
    model.calibration = np.linspace(0.5, 1.0, 101, dtype=np.float32)  # positives rank high
    np.testing.assert_allclose(model.calibrate(np.array([0.5, 0.75, 1.0])), [0, 0.5, 1.0])


def test_save_load_round_trip_gives_equal_results(engine, tmp_path):
    path = tmp_path / "engine.npz"
    engine.save(path)
    loaded = Engine.load(path)
    users = block_matrix()
    for diversity in (0, None):
        a = engine.recommend(users, k=4, diversity=diversity)
        b = loaded.recommend(users, k=4, diversity=diversity)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_allclose(a[1], b[1])
    np.testing.assert_array_equal(engine.similar_items([0, 7])[0], loaded.similar_items([0, 7])[0])
    assert loaded.explain(profile(6, 7), 8) == engine.explain(profile(6, 7), 8)
    assert list(loaded.feature_names) == NAMES
    with np.load(path, allow_pickle=False) as arrays:  # nothing pickled
        assert "params" in arrays


def test_fit_rejects_mismatched_features():
    with pytest.raises(ValueError, match="item_features"):
        Engine().fit(block_matrix(), item_features=sp.csr_matrix(np.ones((3, 2))))
    with pytest.raises(ValueError, match="feature_names"):
        Engine().fit(block_matrix(), item_features=features(), feature_names=["only-one"])


def test_bad_parameters_raise_value_error():
    with pytest.raises(ValueError, match="neighbours"):
        Engine(neighbours=0)
    with pytest.raises(ValueError, match="diversity"):
        Engine(diversity=2.0)
    with pytest.raises(ValueError, match="popularity_weight"):
        Engine(popularity_weight=-1.0)


def test_rank_with_hybrid_normalises_each_component_per_row():
    collaborative = np.array([[10.0, 5.0, 0.0]], dtype=np.float32)
    popularity = np.array([[0.0, 0.2, 1.0]], dtype=np.float32)
    total, factors = hybrid_scores(
        {"collaborative": collaborative, "popularity": popularity},
        {"collaborative": 1.0, "popularity": 0.6},
    )
    np.testing.assert_allclose(total, [[1.0, 0.62, 0.6]])
    assert factors["collaborative"][0] == pytest.approx(0.1)
    ids, _ = rank_with_hybrid(
        {"collaborative": collaborative, "popularity": popularity},
        {"collaborative": 1.0, "popularity": 0.6},
        k=2,
        seen=sp.csr_matrix([[1.0, 0.0, 0.0]]),
    )
    np.testing.assert_array_equal(ids, [[1, 2]])


def test_a_component_too_faint_to_divide_by_counts_as_none():
    # Confidences decayed to ~1e-40 (a float32 subnormal): dividing by that peak overflowed to
    # an infinite factor and NaN scores.
    faint = np.array([[1e-40, 0.0, 0.0], [0.0, 3.0, 1.0]], dtype=np.float32)
    popularity = np.array([[0.0, 0.2, 1.0], [0.0, 0.2, 1.0]], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise"):
        total, factors = hybrid_scores(
            {"collaborative": faint, "popularity": popularity},
            {"collaborative": 1.0, "popularity": 0.5},
        )
    assert np.all(np.isfinite(total))
    assert factors["collaborative"][0] == 0.0
    np.testing.assert_allclose(total[0], [0.0, 0.1, 0.5])
    np.testing.assert_allclose(total[1], [0.0, 1.1, 0.8333333], rtol=1e-6)


@pytest.mark.parametrize("diversity", [0.0, None])
def test_confidence_read_with_the_ranking_equals_confidence_for(diversity):
    """recommend(return_confidence=True) picks the same titles and measures each as
    confidence_for does: thumbs down and the visit's titles still count as candidates."""
    rng = np.random.default_rng(3)
    stars = rng.choice([0, 0, 0, 1, 2.5, 3, 4, 5], size=(120, 40)) * (rng.random((120, 40)) < 0.3)
    model = Engine().fit(
        sp.csr_matrix(stars), item_features=sp.csr_matrix(np.eye(4)[rng.integers(0, 4, 40)])
    )
    assert model.partner is not None  # graded input: two members' scores
    rows = sp.csr_matrix(stars[:6])
    thumbs_down = sp.csr_matrix(np.eye(6, 40, k=5))
    visits = [[7, 8], [], [9], [], [10, 11, 12], []]
    asked = {
        "k": 8, "filter_items": [0, 1], "exclude_items": thumbs_down, "session_items": visits,
        "diversity": diversity,
    }  # fmt: skip
    ids, scores = model.recommend(rows, **asked)
    same_ids, same_scores, sure = model.recommend(rows, return_confidence=True, **asked)
    assert np.array_equal(ids, same_ids) and np.array_equal(scores, same_scores)
    expected = model.confidence_for(rows, np.where(ids >= 0, ids, 0), filter_items=[0, 1])
    assert np.allclose(np.where(ids >= 0, sure, 0), np.where(ids >= 0, expected, 0))


def test_reasons_alone_are_the_same_reasons_without_a_confidence(engine):
    row = profile(0, 1, 6)
    full = engine.explain_items(row, [3, 8])
    reasons_only = engine.explain_items(row, [3, 8], confidence=False)
    assert [e["confidence"] for e in reasons_only] == [None, None]
    assert [{**e, "confidence": None} for e in full] == reasons_only
