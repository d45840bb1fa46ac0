"""One contract, run against the engine and every baseline on a tiny block-structured matrix.

Profiles 0-9 watch titles 0-5 (block A), profiles 10-19 watch titles 6-11 (block B); block A
titles are more popular. A personalised model must keep each profile inside its block.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.engine import Engine
from recommender.engine.baselines import ALS, EASE, ItemKNN, Popularity

N_ITEMS = 12
BLOCK_A = set(range(6))
BLOCK_B = set(range(6, 12))


def block_matrix() -> sp.csr_matrix:
    rows, cols = [], []
    for user in range(10):
        for j in range(4):
            rows.append(user)
            cols.append((user + j) % 6)
    for user in range(10, 20):
        for j in range(3):
            rows.append(user)
            cols.append(6 + (user + j) % 6)
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(20, N_ITEMS))


def profile(*items: int) -> sp.csr_matrix:
    row = np.zeros((1, N_ITEMS))
    row[0, list(items)] = 1.0
    return sp.csr_matrix(row)


class RecommenderContract:
    """Mixin: subclasses set ``make`` and ``personalised``."""

    personalised = True

    def make(self):  # pragma: no cover - overridden
        raise NotImplementedError

    @pytest.fixture
    def model(self):
        return self.make().fit(block_matrix())

    def test_recommend_returns_k_ids_and_scores_per_row(self, model):
        ids, scores = model.recommend(block_matrix(), k=3)
        assert ids.shape == scores.shape == (20, 3)
        assert np.issubdtype(ids.dtype, np.integer)
        assert np.all(np.diff(scores, axis=1) <= 1e-6) or not self.sorted_scores

    sorted_scores = True

    def test_profiles_get_titles_from_their_own_block(self, model):
        if not self.personalised:
            pytest.skip("popularity is not personalised")
        ids, _ = model.recommend(profile(6, 7), k=3)
        assert set(ids[0]) <= BLOCK_B
        ids, _ = model.recommend(profile(0, 1), k=3)
        assert set(ids[0]) <= BLOCK_A

    def test_popularity_model_returns_most_popular_unseen(self, model):
        if self.personalised:
            pytest.skip("personalised model")
        ids, _ = model.recommend(profile(0), k=3)
        assert set(ids[0]) <= BLOCK_A - {0}

    def test_seen_titles_are_excluded_unless_asked(self, model):
        matrix = block_matrix()
        ids, _ = model.recommend(matrix, k=4)
        for row in range(matrix.shape[0]):
            assert not set(ids[row]) & set(matrix[row].indices)
        ids, _ = model.recommend(profile(0, 1, 2, 3, 4, 5), k=12, exclude_seen=False)
        assert set(ids[0]) == set(range(12))

    def test_filtered_titles_never_appear_and_rows_are_padded(self, model):
        allowed = {9, 10}
        banned = [i for i in range(N_ITEMS) if i not in allowed]
        ids, scores = model.recommend(profile(6), k=5, filter_items=banned)
        assert set(ids[0][:2]) == allowed
        assert list(ids[0][2:]) == [-1, -1, -1]
        assert np.all(np.isneginf(scores[0][2:]))

    def test_unseen_profiles_are_scored_from_their_row_alone(self, model):
        matrix = block_matrix()
        all_ids, all_scores = model.recommend(matrix, k=3)
        one_ids, one_scores = model.recommend(matrix[12], k=3)
        np.testing.assert_array_equal(one_ids[0], all_ids[12])
        np.testing.assert_allclose(one_scores[0], all_scores[12], rtol=1e-4, atol=1e-6)
        ids, _ = model.recommend(sp.csr_matrix((1, N_ITEMS)), k=3)  # a brand-new empty profile
        assert np.all(ids[0] >= 0)

    def test_similar_items_excludes_the_title_itself(self, model):
        ids, scores = model.similar_items([0, 7], k=3)
        assert ids.shape == scores.shape == (2, 3)
        assert 0 not in ids[0] and 7 not in ids[1]
        if self.personalised:
            assert set(ids[0][ids[0] >= 0]) <= BLOCK_A
            assert set(ids[1][ids[1] >= 0]) <= BLOCK_B

    @pytest.mark.parametrize(
        "bad_call",
        [
            lambda m: m.recommend(sp.csr_matrix((1, N_ITEMS + 1)), k=3),
            lambda m: m.recommend(sp.csr_matrix(-np.ones((1, N_ITEMS))), k=3),
            lambda m: m.recommend(sp.csr_matrix(np.full((1, N_ITEMS), np.nan)), k=3),
            lambda m: m.recommend(profile(0), k=0),
            lambda m: m.recommend(profile(0), k=-2),
            lambda m: m.recommend(profile(0), k=2.5),
            lambda m: m.recommend(np.ones((1, N_ITEMS)), k=3),
            lambda m: m.recommend(profile(0), k=3, filter_items=[N_ITEMS]),
            lambda m: m.similar_items([N_ITEMS], k=3),
            lambda m: m.similar_items([0], k=0),
        ],
        ids=[
            "shape",
            "negative",
            "nan",
            "k-zero",
            "k-negative",
            "k-float",
            "dense",
            "filter-range",
            "similar-range",
            "similar-k",
        ],
    )
    def test_bad_input_raises_value_error(self, model, bad_call):
        with pytest.raises(ValueError):
            bad_call(model)

    @pytest.mark.parametrize(
        "fit_kwargs",
        [
            {"popularity": np.ones(N_ITEMS + 1)},
            {"popularity": -np.ones(N_ITEMS)},
            {"popularity": np.full(N_ITEMS, np.nan)},
        ],
        ids=["popularity-length", "popularity-negative", "popularity-nan"],
    )
    def test_bad_fit_input_raises_value_error(self, fit_kwargs):
        with pytest.raises(ValueError, match="popularity"):
            self.make().fit(block_matrix(), **fit_kwargs)

    def test_negative_interactions_are_rejected_at_fit(self):
        matrix = block_matrix()
        matrix.data[0] = -1.0
        with pytest.raises(ValueError, match="negative"):
            self.make().fit(matrix)

    def test_unfitted_model_raises_value_error(self):
        with pytest.raises(ValueError, match="fit"):
            self.make().recommend(profile(0), k=3)


class TestEngineContract(RecommenderContract):
    sorted_scores = False  # default mode re-ranks for diversity: scores are in pick order

    def make(self):
        return Engine()


class TestEngineAccuracyContract(RecommenderContract):
    def make(self):
        return Engine(diversity=0.0)


class TestPopularityContract(RecommenderContract):
    personalised = False

    def make(self):
        return Popularity()


class TestItemKNNContract(RecommenderContract):
    def make(self):
        return ItemKNN(neighbours=100)


class TestEASEContract(RecommenderContract):
    def make(self):
        return EASE(regularization=10.0)


class TestALSContract(RecommenderContract):
    def make(self):
        return ALS(factors=4, regularization=0.1, alpha=1.0, iterations=20)
