"""An experiment's results, as its page shows them: read-only, a handful of queries.

Per variant: households, impressions, clicks, CTR with its 95% Wilson interval, the difference
from control with an interval and a p-value, and downstream rates (of the titles clicked from
the experiment's rails, the share then added to My List, started and finished by the same
household, read from the viewers' own signals). Over the whole experiment: the sample-ratio
mismatch alarm and a minimum-sample note. CTR over time is cumulative, per variant.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncDay, TruncHour

from curator import stats
from curator.models import Assignment, Experiment, ExperimentEvent, Variant
from profiles.models import Interaction, WatchEvent

CHART_WIDTH, CHART_HEIGHT = 600, 200
MIN_RELATIVE_CHANGE = 0.10  # the minimum-sample note: trials to see a 10% relative change


@dataclass
class VariantResult:
    variant: Variant
    households: int = 0
    impressions: int = 0
    clicks: int = 0
    low: float = 0.0
    high: float = 1.0
    difference: stats.Difference | None = None
    downstream: dict[str, float | None] = field(default_factory=dict)

    @property
    def ctr(self) -> float | None:
        return self.clicks / self.impressions if self.impressions else None


@dataclass
class Results:
    experiment: Experiment
    variants: list[VariantResult]
    srm_p: float | None
    sample_needed: int | None
    chart: list[dict]  # per variant: name, points ("x,y ...")
    chart_labels: tuple[str, str] = ("", "")
    chart_top: float = 0.0

    @property
    def srm_alarm(self) -> bool:
        return self.srm_p is not None and self.srm_p < stats.SRM_ALPHA

    @property
    def enough_data(self) -> bool:
        return self.sample_needed is not None and all(
            v.impressions >= self.sample_needed for v in self.variants
        )


def experiment_results(experiment: Experiment) -> Results:
    variants = list(experiment.variants.order_by("-is_control", "pk"))
    rows = {v.pk: VariantResult(v) for v in variants}
    counts = (
        ExperimentEvent.objects.filter(experiment=experiment)
        .values_list("variant_id", "kind")
        .annotate(n=Count("id"))
    )
    for variant_id, kind, n in counts:
        if kind == ExperimentEvent.Kind.IMPRESSION:
            rows[variant_id].impressions = n
        else:
            rows[variant_id].clicks = n
    households = (
        Assignment.objects.filter(experiment=experiment)
        .values_list("variant_id")
        .annotate(n=Count("id"))
    )
    for variant_id, n in households:
        rows[variant_id].households = n
    control = next((rows[v.pk] for v in variants if v.is_control), None)
    for row in rows.values():
        row.low, row.high = stats.wilson(row.clicks, row.impressions)
        if control is not None and row is not control:
            row.difference = stats.difference(
                row.clicks, row.impressions, control.clicks, control.impressions
            )
    _downstream(experiment, rows)
    srm_p = stats.sample_ratio_p(
        [rows[v.pk].households for v in variants], [v.weight for v in variants]
    )
    base = control.ctr if control is not None else None
    needed = stats.sample_needed(base, MIN_RELATIVE_CHANGE) if base else None
    results = Results(experiment, [rows[v.pk] for v in variants], srm_p, needed, [])
    _chart(results)
    return results


DOWNSTREAM = {"my_list": "added to My List", "start": "started", "finish": "finished"}


def _downstream(experiment: Experiment, rows: dict[int, VariantResult]) -> None:
    """Of each variant's clicked titles, the share its household then saved, started, finished."""
    clicks = list(
        ExperimentEvent.objects.filter(
            experiment=experiment, kind=ExperimentEvent.Kind.CLICK
        ).values_list("variant_id", "household_id", "title_id", "created_at")
    )
    households = {c[1] for c in clicks}
    titles = {c[2] for c in clicks}
    outcomes: dict[str, dict[tuple[int, int], list]] = {k: defaultdict(list) for k in DOWNSTREAM}
    saved = Interaction.objects.filter(
        kind=Interaction.Kind.WATCHLIST_ADD, profile__household_id__in=households,
        title_id__in=titles,
    ).values_list("profile__household_id", "title_id", "created_at")  # fmt: skip
    watched = WatchEvent.objects.filter(
        event__in=[WatchEvent.Event.START, WatchEvent.Event.COMPLETE],
        profile__household_id__in=households, title_id__in=titles,
    ).values_list("profile__household_id", "title_id", "created_at", "event")  # fmt: skip
    for household, title, at in saved:
        outcomes["my_list"][household, title].append(at)
    for household, title, at, event in watched:
        kind = "start" if event == WatchEvent.Event.START else "finish"
        outcomes[kind][household, title].append(at)
    for row in rows.values():
        mine = [c for c in clicks if c[0] == row.variant.pk]
        for kind in DOWNSTREAM:
            done = sum(
                any(at >= clicked for at in outcomes[kind].get((h, t), ()))
                for _, h, t, clicked in mine
            )
            row.downstream[kind] = done / len(mine) if mine else None


def _chart(results: Results) -> None:
    """Cumulative CTR per variant by hour (by day past three days), as SVG polyline points."""
    experiment = results.experiment
    events = ExperimentEvent.objects.filter(experiment=experiment)
    first, last = (
        events.order_by("created_at").values_list("created_at", flat=True).first(),
        events.order_by("-created_at").values_list("created_at", flat=True).first(),
    )
    if first is None:
        return
    by_day = (last - first).days >= 3
    period = TruncDay("created_at") if by_day else TruncHour("created_at")
    buckets = list(
        events.annotate(period=period)
        .values_list("period", "variant_id", "kind")
        .annotate(n=Count("id"))
        .order_by("period")
    )
    periods = sorted({b[0] for b in buckets})
    index = {p: i for i, p in enumerate(periods)}
    series: dict[int, list[list[int]]] = {
        r.variant.pk: [[0, 0] for _ in periods] for r in results.variants
    }
    for period_start, variant_id, kind, n in buckets:
        series[variant_id][index[period_start]][kind == ExperimentEvent.Kind.CLICK] += n
    curves = {}
    for variant_id, cells in series.items():
        shown = clicked = 0
        curve = []
        for shown_now, clicked_now in cells:
            shown, clicked = shown + shown_now, clicked + clicked_now
            curve.append(clicked / shown if shown else None)
        curves[variant_id] = curve
    top = min(max((y for c in curves.values() for y in c if y is not None), default=0), 1 / 1.1)
    top = top or 0.01
    step = CHART_WIDTH / max(len(periods) - 1, 1)
    for row in results.variants:
        points = [
            (round(i * step, 1), round(CHART_HEIGHT - CHART_HEIGHT * y / (top * 1.1), 1))
            for i, y in enumerate(curves[row.variant.pk])
            if y is not None
        ]
        results.chart.append({
            "name": row.variant.name, "points": " ".join(f"{x},{y}" for x, y in points),
            "last": points[-1] if points else None,
        })  # fmt: skip
    fmt = "%d %b" if by_day else "%d %b %H:00"
    results.chart_labels = (periods[0].strftime(fmt), periods[-1].strftime(fmt))
    results.chart_top = top * 1.1
