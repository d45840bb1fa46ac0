"""Bar charts drawn on the server as SVG, with their figures as a table (the text
alternative). The frame is templates/profiles/dashboard/_chart.html; the bars are written here,
escaped, because a template loop over every bar of seven charts cost the dashboard more time
than all its queries (bench/dashboard.py)."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

HEIGHT = 140
BASELINE = 118  # y of the axis; labels sit below it
TOP = 14  # room for the value above the tallest bar
MIN_WIDTH = 320


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
        """The bars, their values and their labels, as SVG elements (numbers formatted here,
        text escaped)."""
        parts = []
        for bar in self.bars:
            parts.append(
                f'<g class="chart-bar"><rect x="{bar.x:.1f}" y="{bar.y:.1f}" '
                f'width="{bar.width:.1f}" height="{bar.height:.1f}" rx="2">'
                f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>"
            )
            if bar.value:
                parts.append(
                    f'<text class="chart-value" x="{bar.x:.1f}" y="{bar.y - 3:.1f}">'
                    f"{bar.value:g}</text>"
                )
            if bar.show_label:
                parts.append(
                    f'<text class="chart-label" x="{bar.x:.1f}" y="{self.height - 8}">'
                    f"{escape(bar.label[:10])}</text>"
                )
            parts.append("</g>")
        return mark_safe("".join(parts))  # nosec B308 B703: every text above is escaped

    def table_rows(self) -> SafeString:
        return mark_safe(  # nosec B308 B703: every text is escaped
            "".join(
                f"<tr><td>{escape(b.label)}</td><td>{escape(b.text)}</td></tr>" for b in self.bars
            )
        )


def bar_chart(
    key: str, title: str, items: list[tuple[str, float]], *, unit: str = "",
    label_every: int = 1, slot: int = 36,
) -> Chart:  # fmt: skip
    """One bar per (label, value); the tallest bar fills the chart."""
    top = max((value for _, value in items), default=0) or 1
    width = max(len(items) * slot, MIN_WIDTH)  # few bars stay bars, not posters
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
