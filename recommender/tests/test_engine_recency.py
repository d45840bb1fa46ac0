"""Recency weighting of scored profiles (recommender/engine/recency.py) and how the offline
evaluation chooses its strength on the validation split (recommender/offline/tuning.py)."""

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.engine.recency import recency_rank, recency_weighted
from recommender.engine.tuning import profiles_cut
from recommender.offline import tuning


def test_rank_runs_from_the_newest_title_to_the_oldest_within_each_profile():
    rows = np.array([0, 0, 0, 0, 1, 1, 2])
    times = np.array([5, 9, 9, 1, 1, 2, 7])
    rank = recency_rank(rows, times)
    # Profile 0: the two titles at time 9 share the newest place, then 5, then 1.
    assert rank.tolist() == pytest.approx([2 / 3, 0, 0, 1, 1, 0, 0])


def test_rank_ignores_the_order_of_the_input():
    rng = np.random.default_rng(3)
    rows = rng.integers(0, 20, 500)
    times = rng.integers(0, 50, 500).astype(float)
    shuffle = rng.permutation(500)
    assert np.array_equal(
        recency_rank(rows, times)[shuffle], recency_rank(rows[shuffle], times[shuffle])
    )


def test_rank_rejects_bad_times():
    with pytest.raises(ValueError, match="same length"):
        recency_rank(np.array([0, 1]), np.array([1.0]))
    with pytest.raises(ValueError, match="NaN"):
        recency_rank(np.array([0, 1]), np.array([1.0, np.nan]))
    assert recency_rank(np.array([], dtype=int), np.array([])).shape == (0,)


def test_weighting_multiplies_each_confidence_by_its_recency():
    rows, cols = np.array([0, 0, 0, 1]), np.array([2, 0, 1, 2])
    values, times = np.array([2.0, 1.0, 4.0, 3.0]), np.array([30, 10, 20, 5])
    plain = recency_weighted(rows, cols, values, times, (2, 3), 0.0)
    assert plain.toarray().tolist() == [[1.0, 4.0, 2.0], [0.0, 0.0, 3.0]]
    weighted = recency_weighted(rows, cols, values, times, (2, 3), 2.0).toarray()
    assert weighted[0] == pytest.approx([np.exp(-2.0), 4.0 * np.exp(-1.0), 2.0])
    assert weighted[1, 2] == pytest.approx(3.0)  # a profile's only title keeps its value


def test_weighting_rejects_a_bad_strength_and_repeated_titles():
    rows, cols, values, times = np.array([0, 0]), np.array([1, 1]), np.ones(2), np.array([1, 2])
    with pytest.raises(ValueError, match="more than once"):
        recency_weighted(rows, cols, values, times, (1, 2), 1.0)
    for strength in (-1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="strength"):
            recency_weighted(rows[:1], cols[:1], values[:1], times[:1], (1, 2), strength)


def _history(n_profiles=40, n_titles=30, per_profile=8, seed=5):
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n_profiles), per_profile)
    cols = np.concatenate(
        [rng.choice(n_titles, per_profile, replace=False) for _ in range(n_profiles)]
    )
    values = rng.integers(1, 6, len(rows)).astype(np.float32)
    times = rng.integers(0, 10_000, len(rows))
    return (rows, cols, values, times), (n_profiles, n_titles)


def test_a_cut_history_keeps_the_titles_profiles_cut_keeps():
    history, shape = _history()
    matrix = tuning.scored_rows({}, history, shape)
    expected = profiles_cut(matrix, 3, np.random.default_rng(7))
    cut = tuning.history_cut(history, shape, 3, np.random.default_rng(7))
    assert (tuning.scored_rows({}, cut, shape) != expected).nnz == 0
    assert np.all(np.bincount(cut[0], minlength=shape[0]) == 3)
    # The times travel with their titles: the three titles are ranked among themselves, so
    # each profile's newest keeps its value and its oldest is weighted exp(-1).
    weighted = tuning.scored_rows({"recency": 1.0}, cut, shape).toarray()
    plain = tuning.scored_rows({}, cut, shape).toarray()
    ratio = np.where(plain > 0, weighted / np.where(plain > 0, plain, 1), np.nan)
    assert np.nanmax(ratio, axis=1) == pytest.approx(np.ones(shape[0]))
    assert np.nanmin(ratio, axis=1) == pytest.approx(np.full(shape[0], np.exp(-1.0)))


class _CountingModel:
    """Scores title j by the confidence the profile gives title j - 1 ("what follows what you
    watched"), and counts its fits."""

    fits = 0

    def __init__(self, **params):
        self.params = params

    def fit(self, matrix, **side):
        _CountingModel.fits += 1
        return self

    def recommend(self, rows, k=10):
        shifted = sp.csr_matrix(rows)
        scores = np.roll(shifted.toarray(), 1, axis=1)
        ids = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return ids, np.take_along_axis(scores, ids, axis=1)


def test_recency_strengths_share_one_fit_and_the_validation_titles_choose(monkeypatch):
    # Each profile watched titles 0..5 in order; its next title is one after its latest.
    rows = np.repeat(np.arange(6), 6)
    cols = np.tile(np.arange(6), 6)
    times = np.tile(np.arange(6), 6)
    shape = (6, 8)
    stage = {
        "train": sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape),
        "history": (rows, cols, np.ones(len(rows)), times),
        "test": sp.csr_matrix((np.ones(6), (np.arange(6), np.full(6, 6))), shape=shape),
        "features": None, "feature_names": None, "popularity": np.ones(8),
        "trending": np.ones(8), "years": np.full(8, 2000.0),
    }  # fmt: skip
    monkeypatch.setattr(tuning, "create", lambda name, **params: _CountingModel(**params))
    _CountingModel.fits = 0
    best, log = tuning.tune("engine", stage)
    assert _CountingModel.fits == 1
    assert [candidate["recency"] for candidate, _ in log] == [0.0, 1.0, 2.0, 4.0, 8.0]
    # Without recency every title weighs the same and title 1 (after title 0) comes first;
    # with it the latest title (5) dominates and its successor, the held-out 6, is found.
    assert log[0][1] < log[-1][1]
    assert best["recency"] > 0
