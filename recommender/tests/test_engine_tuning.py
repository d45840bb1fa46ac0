"""Self-tuning, scale invariance, the cold-start prior and the algorithm registry."""

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.engine import Engine
from recommender.engine.baselines import ContentOnly, RP3beta, Trending
from recommender.engine.fit import closed_form_weights, hold_out_folds
from recommender.engine.registry import available, create
from recommender.engine.tuning import FALLBACK
from recommender.tests.test_engine_contract import RecommenderContract, block_matrix


def community_matrix(seed: int = 0, graded: bool = True) -> sp.csr_matrix:
    """300 profiles x 80 titles in four taste communities, Zipf-ish popularity, 1-5 stars."""
    rng = np.random.default_rng(seed)
    n_users, n_items = 300, 80
    community = np.arange(n_items) % 4
    taste = rng.integers(0, 4, n_users)
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.7
    dense = np.zeros((n_users, n_items), dtype=np.float32)
    for user in range(n_users):
        p = popularity * np.where(community == taste[user], 6.0, 1.0)
        chosen = rng.choice(n_items, size=rng.integers(6, 25), replace=False, p=p / p.sum())
        dense[user, chosen] = rng.integers(1, 6, len(chosen)) if graded else 1.0
    return sp.csr_matrix(dense)


@pytest.fixture(scope="module")
def tuned_pair():
    matrix = community_matrix()
    return matrix, Engine().fit(matrix), Engine().fit(matrix * 10.0)


def test_multiplying_every_confidence_by_ten_changes_no_ranking(tuned_pair):
    matrix, plain, scaled = tuned_pair
    assert plain.tuned == scaled.tuned
    assert plain.partner.tuned == scaled.partner.tuned
    for diversity in (0.0, None):
        a, _ = plain.recommend(matrix, k=10, diversity=diversity)
        b, _ = scaled.recommend(matrix * 10.0, k=10, diversity=diversity)
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(plain.similar_items([0, 5])[0], scaled.similar_items([0, 5])[0])


def test_fit_chooses_its_own_regularisation_on_an_internal_hold_out(tuned_pair):
    _, plain, _ = tuned_pair
    assert set(plain.tuned) == set(FALLBACK)
    assert plain.tuning_log  # it searched rather than falling back
    assert plain.tuned["regularization"] > 0
    assert 0.0 <= plain.tuned["dropout"] < 1.0


def test_graded_input_is_ranked_by_two_members_summed(tuned_pair):
    """As given and by their square root, each tuned on its own (engine/ensemble.py)."""
    matrix, model, _ = tuned_pair
    assert model.tuned["confidence_power"] == 1.0
    assert model.partner.tuned["confidence_power"] == 0.5
    assert model.partner.tuning_log  # it searched its own values
    rows = matrix[:20]
    primary, partner = model._hybrid(rows)[0], model.partner._hybrid(rows)[0]
    expected = primary / primary.max(axis=1, keepdims=True)
    expected += partner / partner.max(axis=1, keepdims=True)
    np.testing.assert_allclose(model._score_block(rows), expected, rtol=1e-6)
    ids, _ = model.recommend(rows, k=10, diversity=0.0)
    expected[rows.nonzero()] = -np.inf
    np.testing.assert_array_equal(np.sort(ids, axis=1), np.sort(np.argsort(-expected)[:, :10]))


def test_two_members_save_and_load_with_equal_results(tuned_pair, tmp_path):
    matrix, model, _ = tuned_pair
    model.save(tmp_path / "engine.npz")
    loaded = Engine.load(tmp_path / "engine.npz")
    assert loaded.partner.tuned == model.partner.tuned
    for diversity in (0.0, None):
        a = model.recommend(matrix, k=10, diversity=diversity)
        b = loaded.recommend(matrix, k=10, diversity=diversity)
        np.testing.assert_array_equal(a[0], b[0])
    items = np.array([[3, 40]] * 5)
    np.testing.assert_allclose(
        model.confidence_for(matrix[:5], items), loaded.confidence_for(matrix[:5], items)
    )
    assert loaded.explain(matrix[7], 12) == model.explain(matrix[7], 12)


def test_zero_one_input_and_a_given_power_have_one_member():
    binary = community_matrix(graded=False)
    assert Engine().fit(binary).partner is None
    assert Engine(confidence_power=0.5).fit(community_matrix()).partner is None


def test_given_parameters_are_not_searched():
    model = Engine(confidence_power=0.5, regularization=3.0, dropout=0.1, neighbour_weight=0.2,
                   content_weight=0.0, cold_start_weight=2.0).fit(community_matrix())  # fmt: skip
    assert model.tuned == {
        "confidence_power": 0.5, "regularization": 3.0, "dropout": 0.1, "neighbour_weight": 0.2,
        "content_weight": 0.0, "cold_start_weight": 2.0,
    }  # fmt: skip


def test_confidence_power_zero_ranks_graded_input_as_its_zero_one_pattern():
    params = {"confidence_power": 0.0, "regularization": 20.0, "dropout": 0.0,
              "neighbour_weight": 0.1, "content_weight": 0.0, "cold_start_weight": 0.0}  # fmt: skip
    graded = community_matrix(graded=True)
    binary = graded.copy()
    binary.data[:] = 1.0
    a, _ = Engine(**params).fit(graded).recommend(graded, k=10, diversity=0.0)
    b, _ = Engine(**params).fit(binary).recommend(binary, k=10, diversity=0.0)
    np.testing.assert_array_equal(a, b)


def test_tuning_folds_hide_disjoint_titles_of_the_same_profiles():
    matrix = community_matrix()
    folds, rows = hold_out_folds(matrix, n_profiles=100, share=0.2, folds=3, seed=0)
    assert len(folds) == 3 and len(rows) == 100
    hidden = [set(zip(*h.nonzero(), strict=True)) for _, h in folds]
    assert not (hidden[0] & hidden[1]) and not (hidden[1] & hidden[2])
    for kept, h in folds:
        assert kept.nnz + h.nnz == matrix.nnz
        assert set(h.nonzero()[0]) <= set(rows)


def test_tiny_matrices_use_the_documented_fallback():
    model = Engine().fit(block_matrix())
    assert model.tuned == FALLBACK


def test_popularity_prior_fades_as_a_profile_grows():
    matrix = community_matrix(graded=False)
    model = Engine(cold_start_weight=10.0).fit(matrix)
    short = sp.csr_matrix(matrix[0].toarray() * (np.arange(80) == matrix[0].indices[0]))
    weights_short = model.row_weights(short)["popularity"]
    weights_long = model.row_weights(matrix[:1])["popularity"]
    assert weights_short[0] > weights_long[0]
    empty = sp.csr_matrix((1, 80))
    ids, _ = model.recommend(empty, k=5, diversity=0.0)
    np.testing.assert_array_equal(ids[0], np.argsort(-model.popularity_share, kind="stable")[:5])


def test_closed_form_is_ease_and_dropout_shrinks_popular_titles():
    rng = np.random.default_rng(1)
    x = (rng.random((50, 8)) < 0.4).astype(np.float64)
    gram = x.T @ x
    weights = closed_form_weights(gram, 5.0)
    inverse = np.linalg.inv(gram + 5.0 * np.eye(8))
    expected = -inverse / np.diag(inverse)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(weights, expected, rtol=1e-3, atol=1e-5)
    assert weights.flags["C_CONTIGUOUS"]  # `sparse @ weights` would copy a Fortran-ordered matrix
    assert np.abs(closed_form_weights(gram, 5.0, 0.5)).sum() < np.abs(weights).sum()
    with pytest.raises(ValueError, match="dropout"):
        closed_form_weights(gram, 5.0, 1.0)


def test_registry_offers_every_algorithm_by_name():
    names = set(available())
    assert {"popularity", "trending", "item-knn", "ease", "rp3beta", "content", "engine"} <= names
    assert isinstance(create("engine", diversity=0.0), Engine)
    with pytest.raises(ValueError, match="unknown"):
        create("magic")


class TestRP3betaContract(RecommenderContract):
    def make(self):
        return RP3beta(alpha=1.0, beta=0.5)


class TestTrendingContract(RecommenderContract):
    personalised = False

    def make(self):
        return Trending()


class TestContentOnlyContract(RecommenderContract):
    def make(self):
        model = ContentOnly()
        fit = model.fit
        features = sp.csr_matrix(np.eye(2)[[0] * 6 + [1] * 6])
        model.fit = lambda matrix, **kwargs: fit(matrix, item_features=features, **kwargs)
        return model
