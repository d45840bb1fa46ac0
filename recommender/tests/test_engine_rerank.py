"""Diversity (MMR) and session re-ranking, on their own and through Engine.recommend."""

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.engine import Engine, rerank_for_diversity, session_rerank
from recommender.offline.metrics import intra_list_diversity

# 30 titles in three genres of ten; everybody watches genre 0 most.
GENRE_OF = np.repeat([0, 1, 2], 10)


def genre_features() -> sp.csr_matrix:
    return sp.csr_matrix(np.eye(3)[GENRE_OF])


def taste_matrix(seed: int = 0) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    dense = np.zeros((60, 30))
    for user in range(60):
        favourite = rng.choice(10, size=6, replace=False)
        dense[user, favourite] = 1.0
        other = rng.choice(np.arange(10, 30), size=3, replace=False)
        dense[user, other] = 1.0
    return sp.csr_matrix(dense)


@pytest.fixture(scope="module")
def engine():
    features = genre_features()
    names = ["genre:drama", "genre:sci-fi", "genre:comedy"]
    return Engine().fit(taste_matrix(), item_features=features, feature_names=names)


def test_diversity_raises_intra_list_diversity(engine):
    users = taste_matrix(seed=1)
    accurate, _ = engine.recommend(users, k=5, diversity=0)
    diverse, _ = engine.recommend(users, k=5, diversity=0.8)
    genres = genre_features()
    assert intra_list_diversity(diverse, genres) > intra_list_diversity(accurate, genres) + 0.1


def test_mmr_with_lambda_one_keeps_the_relevance_order():
    ids = np.array([[3, 1, 2, 0]])
    scores = np.array([[4.0, 3.0, 2.0, 1.0]], dtype=np.float32)
    vectors = sp.identity(4, format="csr")
    out_ids, out_scores = rerank_for_diversity(ids, scores, vectors, k=3, lambda_=1.0)
    np.testing.assert_array_equal(out_ids, [[3, 1, 2]])
    np.testing.assert_array_equal(out_scores, [[4.0, 3.0, 2.0]])


def test_mmr_skips_a_near_duplicate_for_a_different_title():
    # Titles 0 and 1 are identical; 2 is different and a little less relevant.
    vectors = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    ids = np.array([[0, 1, 2]])
    scores = np.array([[1.0, 0.95, 0.9]], dtype=np.float32)
    out_ids, _ = rerank_for_diversity(ids, scores, vectors, k=2, lambda_=0.5)
    np.testing.assert_array_equal(out_ids, [[0, 2]])


def test_mmr_reserves_tail_slots_for_long_tail_titles():
    ids = np.array([[0, 1, 2, 3]])
    scores = np.array([[4.0, 3.0, 2.0, 1.0]], dtype=np.float32)
    long_tail = np.array([False, False, False, True])
    out_ids, _ = rerank_for_diversity(
        ids,
        scores,
        sp.identity(4, format="csr"),
        k=3,
        lambda_=1.0,
        long_tail=long_tail,
        tail_slots=1,
    )
    np.testing.assert_array_equal(out_ids, [[0, 1, 3]])


def test_mmr_rejects_lambda_outside_zero_one():
    with pytest.raises(ValueError, match="lambda_"):
        rerank_for_diversity(np.zeros((1, 2), int), np.zeros((1, 2)), sp.identity(2), 1, 1.5)


def test_session_rerank_lifts_titles_close_to_the_visit():
    vectors = sp.csr_matrix(np.eye(3)[[0, 0, 1, 1, 2, 2]])  # pairs of look-alike titles
    ids = np.array([[0, 2, 4]])
    scores = np.array([[3.0, 2.0, 1.0]], dtype=np.float32)
    out_ids, _ = session_rerank(ids, scores, [[5]], vectors, weight=2.0)
    assert out_ids[0, 0] == 4  # title 4 looks like 5, just visited


def test_session_rerank_weights_recent_titles_more():
    vectors = sp.csr_matrix(np.eye(3)[[0, 0, 1, 1, 2, 2]])
    ids = np.array([[0, 2]])
    scores = np.array([[1.0, 1.0]], dtype=np.float32)
    # Visited 1 (looks like 0) long ago, then 3 (looks like 2) just now.
    out_ids, _ = session_rerank(ids, scores, [[1, 3]], vectors, weight=1.0, half_life=1.0)
    np.testing.assert_array_equal(out_ids, [[2, 0]])


def test_engine_session_items_move_the_visit_genre_up(engine):
    drama_fan = sp.csr_matrix(np.eye(30)[[0, 1, 2, 3]].sum(axis=0, keepdims=True))
    plain, _ = engine.recommend(drama_fan, k=8, diversity=0)
    lifted, _ = engine.recommend(drama_fan, k=8, diversity=0, session_items=[[20, 21]])
    comedy = set(range(20, 30))
    assert len(set(lifted[0]) & comedy) > len(set(plain[0]) & comedy)
    assert not {20, 21} & set(lifted[0])  # titles of the visit are not recommended back


def test_engine_rejects_bad_session_and_diversity(engine):
    row = taste_matrix()[:1]
    with pytest.raises(ValueError, match="session_items"):
        engine.recommend(row, k=3, session_items=[[0], [1]])
    with pytest.raises(ValueError, match="session_items"):
        engine.recommend(row, k=3, session_items=[[99]])
    with pytest.raises(ValueError, match="diversity"):
        engine.recommend(row, k=3, diversity=1.5)
    with pytest.raises(ValueError, match="diversity"):
        engine.recommend(row, k=3, diversity=float("nan"))


def test_similar_items_modes(engine):
    for mode in ("hybrid", "collaborative", "content"):
        ids, _ = engine.similar_items([25], k=3, mode=mode)
        assert 25 not in ids[0]
    ids, _ = engine.similar_items([25], k=5, mode="content")
    assert set(ids[0]) <= set(range(20, 30))
    with pytest.raises(ValueError, match="mode"):
        engine.similar_items([0], mode="telepathy")


def test_exclude_items_leaves_each_rows_own_titles_out(engine):
    users = taste_matrix(seed=2)[:2]
    before, _ = engine.recommend(users, k=5, diversity=0)
    drop = sp.csr_matrix(
        (np.ones(3), (np.zeros(3, dtype=int), before[0, :3])), shape=(2, users.shape[1])
    )
    after, _ = engine.recommend(users, k=5, diversity=0, exclude_items=drop)
    assert not set(before[0, :3]) & set(after[0])
    assert after[1].tolist() == before[1].tolist()  # the other row is untouched


def test_exclude_items_of_the_wrong_shape_is_a_value_error(engine):
    with pytest.raises(ValueError, match="exclude_items"):
        engine.recommend(taste_matrix()[:2], k=5, exclude_items=sp.csr_matrix((3, 30)))


def test_title_similarity_takes_the_stronger_neighbour_direction_and_the_content():
    """hybrid_similarity against every title (similar_items) and against a few (the session
    lift) both equal the definition on the dense matrices."""
    from recommender.engine.similarity import hybrid_similarity

    engine = Engine(neighbours=3).fit(taste_matrix(), item_features=genre_features())
    neighbours = engine.neighbour_matrix.toarray()
    assert not np.allclose(neighbours, neighbours.T)  # three kept per title: one-sided links
    features = engine.features.toarray()
    share = engine.params["similar_content_share"]
    a, b = np.array([0, 12, 25]), np.array([3, 12, 29, 7])
    expected = (1 - share) * np.maximum(neighbours, neighbours.T) + share * features @ features.T
    assert np.allclose(hybrid_similarity(engine, a), expected[a])
    assert np.allclose(hybrid_similarity(engine, a, b), expected[np.ix_(a, b)])
    assert np.allclose(engine.item_similarity(a, b), expected[np.ix_(a, b)])
