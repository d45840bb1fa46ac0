"""The results page's statistics against values worked out by hand."""

import pytest

from curator.stats import SRM_ALPHA, difference, sample_needed, sample_ratio_p, wilson


def test_wilson_interval_matches_the_hand_computed_value():
    # 10 clicks in 100 impressions, z = 1.96: centre 0.114799, half-width 0.059569.
    low, high = wilson(10, 100)
    assert low == pytest.approx(0.05523, abs=1e-4)
    assert high == pytest.approx(0.17437, abs=1e-4)


def test_wilson_interval_stays_inside_zero_and_one():
    assert wilson(0, 20)[0] == 0.0 and wilson(0, 20)[1] == pytest.approx(0.16113, abs=1e-4)
    assert wilson(20, 20)[1] == 1.0 and wilson(20, 20)[0] == pytest.approx(0.83887, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_difference_has_newcombe_interval_and_two_proportion_p_value():
    # 60/1000 vs 40/1000: pooled 0.05, se = sqrt(0.05 * 0.95 * 0.002) = 0.0097468,
    # z = 0.02 / 0.0097468 = 2.0520, p = 0.04016.
    result = difference(60, 1000, 40, 1000)
    assert result.value == pytest.approx(0.02)
    assert result.p_value == pytest.approx(0.04016, abs=2e-4)
    # Newcombe (hybrid score) from the Wilson limits of both proportions.
    assert result.low == pytest.approx(0.00071, abs=2e-4)
    assert result.high == pytest.approx(0.03928, abs=3e-4)
    assert result.excludes_zero


def test_no_difference_without_trials():
    assert difference(1, 0, 1, 10) is None


def test_srm_alarm_rises_on_a_skewed_split_and_not_on_a_fair_one():
    assert sample_ratio_p([5000, 5050], [50, 50]) > 0.5
    assert sample_ratio_p([5000, 5400], [50, 50]) < SRM_ALPHA
    assert sample_ratio_p([8000, 2000], [80, 20]) == pytest.approx(1.0)
    assert sample_ratio_p([0, 0], [50, 50]) is None


def test_minimum_sample_for_a_ten_percent_change_at_five_percent_ctr():
    # (1.95996 + 0.84162)^2 * (0.05*0.95 + 0.055*0.945) / 0.005^2 = 31,231
    assert sample_needed(0.05) == pytest.approx(31231, abs=5)
    assert sample_needed(0.0) is None
