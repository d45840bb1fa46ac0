"""What the API benchmarks share: the demo catalogue on the configured database and the
latency summary (their households come from harness.households_create)."""

import math

from harness import manage


def site_prepare(*, members: int = 200) -> None:
    """Migrate and load the demo catalogue and community (idempotent)."""
    manage("migrate", "--noinput")
    manage("load_demo", "--members", str(members), "-v0")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of the values."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
