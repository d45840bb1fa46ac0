"""Bar charts drawn on the server as SVG: the geometry here, the markup in
templates/profiles/dashboard/_chart.html, which also writes the figures out as a table (the
chart's text alternative)."""

from dataclasses import dataclass

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
