"""Pieces of the offline evaluation: split, metrics, content features, the MovieLens run."""

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.content import build_item_features
from recommender.offline.metrics import (
    catalogue_coverage,
    intra_list_diversity,
    ranking_metrics,
)
from recommender.offline.movielens import stratified_split, temporal_split

MOVIELENS = Path(__file__).resolve().parents[3] / "shared" / "data" / "movielens"
ML_SMALL = MOVIELENS / "ml-latest-small"


def test_split_holds_out_a_quarter_of_every_user_reproducibly():
    users = np.repeat(np.arange(5), [20, 8, 4, 40, 1])
    held_out = stratified_split(users, 0.25, seed=42)
    assert [int(held_out[users == u].sum()) for u in range(5)] == [5, 2, 1, 10, 0]
    np.testing.assert_array_equal(held_out, stratified_split(users, 0.25, seed=42))
    assert not np.array_equal(held_out, stratified_split(users, 0.25, seed=7))


def test_ranking_metrics_on_a_hand_computed_list():
    ids = np.array([[3, 1, 7, -1]])
    relevant = sp.csr_matrix(np.array([[0, 1, 0, 1, 0, 1, 0, 0]]))  # 1, 3 and 5
    m = ranking_metrics(ids, relevant, k=4)
    dcg = 1 + 1 / np.log2(3)
    idcg = 1 + 1 / np.log2(3) + 1 / np.log2(4)
    assert m["ndcg"] == pytest.approx(dcg / idcg)
    assert m["precision"] == pytest.approx(2 / 4)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["map"] == pytest.approx((1 + 1) / 3)


def test_coverage_and_intra_list_diversity():
    genres = sp.csr_matrix(np.array([[1, 0], [1, 0], [0, 1], [1, 1]]))
    assert catalogue_coverage(np.array([[0, 1], [1, -1]]), 4) == 0.5
    assert intra_list_diversity(np.array([[0, 1]]), genres) == 0.0
    assert intra_list_diversity(np.array([[0, 2]]), genres) == 1.0
    assert intra_list_diversity(np.array([[0, 3]]), genres) == pytest.approx(0.5)


def test_item_features_are_normalised_tfidf_with_names():
    features, names = build_item_features(
        genres=[["Sci-Fi", "Horror"], ["Comedy"], ["Sci-Fi"]],
        cast=[["Sigourney Weaver"], [], ["Sigourney Weaver"]],
        overview=["a crew meets an alien", "a wedding", "the alien returns to the crew"],
    )
    assert features.shape == (3, len(names))
    assert "genre:sci-fi" in set(names) and "cast:sigourney weaver" in set(names)
    np.testing.assert_allclose(sp.linalg.norm(features, axis=1), 1.0, rtol=1e-5)
    similarity = (features @ features.T).toarray()
    assert similarity[0, 2] > similarity[0, 1]


def test_item_features_reject_misaligned_fields():
    with pytest.raises(ValueError, match="one entry per title"):
        build_item_features(genres=[["a"], ["b"]], keywords=[["c"]])
    with pytest.raises(ValueError, match="at least one field"):
        build_item_features()


@pytest.mark.movielens
def test_engine_beats_popularity_on_one_movielens_split():
    if not (ML_SMALL / "ratings.csv").exists():
        pytest.skip(f"MovieLens ml-latest-small not found at {ML_SMALL}")
    from recommender.offline.evaluate import COLD_START_CUTS, evaluate

    result = evaluate(
        ML_SMALL, models=("popularity", "engine"), splits=("1",), scales=("0/1",), log=None
    )
    rows = result["runs"]["1|0/1"]["results"]
    assert rows["engine (accuracy)"]["ndcg"] > rows["popularity"]["ndcg"] + 0.1
    assert rows["engine (default)"]["coverage"] > rows["engine (accuracy)"]["coverage"]
    run = result["runs"]["1|0/1"]
    assert set(run["cold_start"]) == {"popularity", "engine"}
    for name, ndcg in run["cold_start"].items():  # the mean of one nDCG per random cut
        assert len(run["cold_start_cuts"][name]) == len(COLD_START_CUTS)
        assert ndcg == pytest.approx(np.mean(run["cold_start_cuts"][name]))


def test_temporal_split_holds_out_each_users_latest_fifth():
    users = np.array([0] * 10 + [1] * 5 + [2])
    stamps = np.r_[np.arange(10)[::-1], np.arange(5), [3]]
    held = temporal_split(users, stamps, 0.2)
    assert set(np.flatnonzero(held[:10])) == {0, 1}  # user 0's two latest (stamps 9, 8)
    assert list(np.flatnonzero(held[10:15])) == [4]
    assert not held[15]  # a single rating stays in training


def test_reader_understands_both_movielens_layouts(tmp_path):
    from recommender.offline.movielens import load_movielens

    csv = tmp_path / "csv"
    csv.mkdir()
    (csv / "movies.csv").write_text(
        'movieId,title,genres\n1,Alien (1979),Horror|Sci-Fi\n5,"Up, Up (2009)",(no genres listed)\n'
    )
    (csv / "ratings.csv").write_text("userId,movieId,rating,timestamp\n7,5,4.0,1\n3,1,5.0,2\n")
    data = load_movielens(csv)
    assert data.shape == (2, 2)
    assert data.genres == [["Horror", "Sci-Fi"], []]
    assert list(data.user_rows) == [1, 0] and list(data.item_cols) == [1, 0]

    old = tmp_path / "ml-100k"
    old.mkdir()
    (old / "u.data").write_text("1\t2\t5\t1\n2\t1\t3\t2\n")
    flags = ["0"] * 19
    scifi = flags.copy()
    scifi[15] = "1"
    (old / "u.item").write_text(
        "1|Toy Story (1995)|01-Jan-1995||url|" + "|".join(flags) + "\n"
        "2|Alien (1979)|01-Jan-1979||url|" + "|".join(scifi) + "\n",
        encoding="latin-1",
    )
    data = load_movielens(old)
    assert data.shape == (2, 2)
    assert data.genres == [[], ["Sci-Fi"]]
    np.testing.assert_array_equal(data.years, [1995, 1979])
    with pytest.raises(FileNotFoundError):
        load_movielens(tmp_path)


def test_reader_understands_the_double_colon_layout_of_ml_1m_and_ml_10m(tmp_path):
    from recommender.offline.movielens import load_movielens

    dat = tmp_path / "ml-1m"
    dat.mkdir()
    (dat / "movies.dat").write_bytes(
        "1::Star Wars: Episode IV - A New Hope (1977)::Action|Sci-Fi\n"
        "2::Amélie (2001)::Comedy|Romance\n3::Untitled::(no genres listed)\n".encode("latin-1")
    )
    (dat / "ratings.dat").write_text("10::2::5::978300760\n4::1::3::978302109\n\n")
    (dat / "tags.dat").write_text("4::1::space opera: classic::1188263867\n")
    data = load_movielens(dat)
    assert data.shape == (2, 3)
    assert data.titles[1] == "Amélie (2001)"  # latin-1, as ml-1m is
    assert data.genres == [["Action", "Sci-Fi"], ["Comedy", "Romance"], []]
    np.testing.assert_array_equal(data.years[:2], [1977, 2001])
    assert np.isnan(data.years[2])
    assert list(data.user_rows) == [1, 0] and list(data.ratings) == [5.0, 3.0]
    assert list(data.timestamps) == [978300760, 978302109]
    assert data.tags == ["space opera: classic"]

    (dat / "ratings.dat").write_text("10::2::5::978300760\n4::1::five::978302109\n")
    with pytest.raises(ValueError, match=r"ratings.dat, line 2: rating is not a number"):
        load_movielens(dat)
