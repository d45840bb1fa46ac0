"""The cold-start prior's release-year affinity (recommender/engine/era.py)."""

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.engine import Engine
from recommender.engine.era import ERA_YEARS, Era
from recommender.tests.test_engine_tuning import community_matrix

# Fixed values: these tests are about the prior, not the search.
FIXED = {"regularization": 20.0, "dropout": 0.0, "neighbour_weight": 0.1, "content_weight": 0.0}
YEARS = 1950.0 + (np.arange(80) * 7) % 70  # every title a year between 1950 and 2019


def one_title_row(column: int, value: float = 1.0) -> sp.csr_matrix:
    return sp.csr_matrix(([value], ([0], [column])), shape=(1, 80))


@pytest.fixture(scope="module")
def with_years():
    matrix = community_matrix(graded=False)
    return Engine(cold_start_weight=300.0, **FIXED).fit(matrix, item_years=YEARS)


def test_the_prior_weighs_popularity_by_closeness_in_release_year(with_years):
    column = 3
    prior = with_years._components(one_title_row(column), ["popularity"])["popularity"][0]
    closeness = np.exp(-np.abs(YEARS - YEARS[column]) / ERA_YEARS)
    np.testing.assert_allclose(prior, with_years.popularity_share * closeness, rtol=1e-5)


def test_a_short_profile_is_shown_popular_titles_of_its_own_era_first(with_years):
    matrix = community_matrix(graded=False)
    plain = Engine(cold_start_weight=300.0, **FIXED).fit(matrix)
    for column in (0, 5, 9):  # 1950, 1985, 2013
        row = one_title_row(column)
        era_ids, _ = with_years.recommend(row, k=5, diversity=0.0)
        plain_ids, _ = plain.recommend(row, k=5, diversity=0.0)
        distance = np.abs(YEARS[era_ids[0]] - YEARS[column]).mean()
        assert distance < np.abs(YEARS[plain_ids[0]] - YEARS[column]).mean()


def test_a_long_profile_and_an_empty_one_rank_as_without_years(with_years):
    matrix = community_matrix(graded=False)
    plain = Engine(cold_start_weight=300.0, **FIXED).fit(matrix)
    long_rows = matrix[np.diff(matrix.indptr) >= 20]
    assert long_rows.shape[0] > 5
    a, _ = with_years.recommend(long_rows, k=10, diversity=0.0)
    b, _ = plain.recommend(long_rows, k=10, diversity=0.0)
    assert (a == b).mean() > 0.9  # the prior weighs 300 / n**3 there
    empty = sp.csr_matrix((1, 80))
    np.testing.assert_array_equal(
        with_years.recommend(empty, k=5, diversity=0.0)[0],
        plain.recommend(empty, k=5, diversity=0.0)[0],
    )


def test_confidences_weigh_the_era_and_their_scale_does_not_matter(with_years):
    two = sp.csr_matrix(([5.0, 1.0], ([0, 0], [0, 9])), shape=(1, 80))  # 1950 loved, 2013 not
    prior = with_years._components(two, ["popularity"])["popularity"][0]
    scaled = with_years._components(two * 10.0, ["popularity"])["popularity"][0]
    np.testing.assert_allclose(prior, scaled, rtol=1e-5)
    old, new = np.argmax(YEARS == 1950.0), np.argmax(YEARS == 2013.0)
    share = with_years.popularity_share
    assert prior[old] / share[old] > prior[new] / share[new]


def test_the_years_are_saved_with_the_model(with_years, tmp_path):
    with_years.save(tmp_path / "model.npz")
    loaded = Engine.load(tmp_path / "model.npz")
    np.testing.assert_array_equal(loaded.era.years, YEARS)
    rows = community_matrix(graded=False)[:30]
    np.testing.assert_array_equal(with_years.recommend(rows)[0], loaded.recommend(rows)[0])


def test_unknown_years_count_as_the_median_and_bad_years_are_refused():
    years = YEARS.copy()
    years[:10] = np.nan
    era = Era.of(years, 80)
    affinity = era.affinity(one_title_row(20))[0]
    median = np.median(YEARS[10:]).round()
    np.testing.assert_allclose(
        affinity[:10], np.exp(-abs(median - YEARS[20]) / ERA_YEARS), rtol=1e-5
    )
    assert Era.of(None, 80) is None
    assert Era.of(np.full(80, np.nan), 80) is None
    with pytest.raises(ValueError, match="one value per title"):
        Engine(**FIXED).fit(community_matrix(), item_years=YEARS[:-1])
    with pytest.raises(ValueError, match="negative"):
        Era.of(-YEARS, 80)


def test_a_block_of_rows_gets_each_rows_own_affinity(with_years):
    rows = sp.vstack([one_title_row(4), sp.csr_matrix((1, 80)), one_title_row(9, 3.0)]).tocsr()
    block = with_years.era.affinity(rows)
    for offset in range(3):
        np.testing.assert_allclose(block[offset], with_years.era.affinity(rows[offset])[0])
    np.testing.assert_array_equal(block[1], np.ones(80))  # an empty row: popularity unchanged
