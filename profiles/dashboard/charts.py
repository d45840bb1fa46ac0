"""Bar charts drawn on the server as SVG, with their figures as a table (the text
alternative). The frame is templates/profiles/dashboard/_chart.html; the bars are written here,
escaped, because a template loop over every bar of seven charts cost the dashboard more time
than all its queries (bench/dashboard.py)."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

HEIGHT = 140
BASELINE = 118  # y of the axis; labels sit below it
TOP = 14  # room for the value above the tallest bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown ("42 min", "3")
    x: float
    y: float
    width: float
    height: float
    show_label: bool


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int = HEIGHT
    baseline: int = BASELINE

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)

    def svg_bars(self) -> SafeString:
        """The bars, their values and their labels, as SVG elements."""
        return format_html_join("", "{}", ((self._bar(bar),) for bar in self.bars))

    def _bar(self, bar: Bar) -> SafeString:
        value = label = ""
        if bar.value:
            value = format_html(
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                f"{bar.x:.1f}", f"{bar.y - 3:.1f}", f"{bar.value:g}",
            )  # fmt: skip
        if bar.show_label:
            label = format_html(
                '<text class="chart-label" x="{}" y="{}">{}</text>',
                f"{bar.x:.1f}", self.height - 8, bar.label[:10],
            )  # fmt: skip
        return format_html(
            '<g class="chart-bar"><rect x="{}" y="{}" width="{}" height="{}" rx="2">'
            "<title>{}: {}</title></rect>{}{}</g>",
            f"{bar.x:.1f}", f"{bar.y:.1f}", f"{bar.width:.1f}", f"{bar.height:.1f}", bar.label,
            bar.text, value, label,
        )  # fmt: skip

    def table_rows(self) -> SafeString:
        return format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((b.label, b.text) for b in self.bars)
        )


def bar_chart(
    key: str, title: str, items: list[tuple[str, float]], *, unit: str = "",
    label_every: int = 1, slot: int = 36,
) -> Chart:  # fmt: skip
    """One bar per (label, value); the tallest bar fills the chart."""
    top = max((value for _, value in items), default=0) or 1
    width = max(len(items) * slot, slot)
    bars = []
    for index, (label, value) in enumerate(items):
        height = (BASELINE - TOP) * value / top
        text = f"{value:g}{' ' + unit if unit else ''}"
        bars.append(
            Bar(label, value, text, index * slot + slot * 0.15, BASELINE - height, slot * 0.7,
                height, index % label_every == 0)
        )  # fmt: skip
    total = sum(value for _, value in items)
    description = f"{title}: " + ", ".join(f"{b.label} {b.text}" for b in bars if b.value)
    if not total:
        description = f"{title}: nothing yet."
    return Chart(key, title, description, bars, width)
