"""The statistics of an experiment's results page: no Django, only scipy.

- CTR intervals are Wilson score intervals (they stay inside 0..1 and behave at small counts).
- The difference from control has Newcombe's hybrid score interval (built from the two Wilson
  intervals, method 10 of Newcombe 1998) and the pooled two-proportion z-test's p-value.
- The sample-ratio mismatch alarm is Pearson's chi-squared test of the observed households per
  variant against the traffic split, raised at p < 0.001.
"""

from dataclasses import dataclass
from math import sqrt

from scipy.stats import chisquare, norm

Z95 = float(norm.ppf(0.975))
SRM_ALPHA = 0.001


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of successes/trials; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    k = min(successes, trials)
    p = k / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Difference:
    value: float  # treatment rate - control rate
    low: float
    high: float
    p_value: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def difference(k1: int, n1: int, k0: int, n0: int, z: float = Z95) -> Difference | None:
    """Treatment (k1/n1) minus control (k0/n0); None until both have trials."""
    if n1 <= 0 or n0 <= 0:
        return None
    k1, k0 = min(k1, n1), min(k0, n0)
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = wilson(k1, n1, z)
    l0, u0 = wilson(k0, n0, z)
    delta = p1 - p0
    low = delta - sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = delta + sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    pooled = (k1 + k0) / (n1 + n0)
    se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    p_value = 1.0 if se == 0 else float(2 * norm.sf(abs(delta) / se))
    return Difference(delta, low, high, p_value)


def sample_ratio_p(observed: list[int], weights: list[float]) -> float | None:
    """Chi-squared p-value of observed counts against the expected split; None without data."""
    total, weight_sum = sum(observed), sum(weights)
    if total == 0 or weight_sum <= 0 or len(observed) < 2:
        return None
    expected = [total * w / weight_sum for w in weights]
    return float(chisquare(observed, expected).pvalue)


def sample_needed(rate: float, relative_change: float = 0.1, power: float = 0.8) -> int | None:
    """Trials per variant to detect this relative change of `rate` (two-sided, 5%)."""
    if not 0 < rate < 1:
        return None
    other = min(rate * (1 + relative_change), 0.999999)
    spread = rate * (1 - rate) + other * (1 - other)
    return int((Z95 + float(norm.ppf(power))) ** 2 * spread / (other - rate) ** 2) + 1
