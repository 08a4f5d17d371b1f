"""Charts drawn on the server as SVG: a text alternative, and the same numbers for a table.

A chart is plain data (`Chart`): its title, what it says in one sentence (the SVG's
accessible name), and its rows, each (label, value, text as printed, source note number).
`bars()` and `range_bar()` build them from facts; the template includes/_chart.html draws
the SVG from the geometry computed here and prints the rows as a table. No script, no
inline style: the Content-Security-Policy stays strict.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 230
BAR_HEIGHT = 26
GAP = 12
PAD = 8


@dataclass
class Row:
    label: str
    value: float
    text: str
    note: int | None = None
    # Geometry, set by the chart.
    y: float = 0
    x: float = 0
    width: float = 0
    soft: bool = False
    label_x: float = 0
    text_y: float = 0
    value_x: float = 0
    short_label: str = ""


@dataclass
class Chart:
    key: str
    title: str
    summary: str
    rows: list
    kind: str = "bars"  # or "range"
    height: float = 0
    median_x: float = 0
    marks: list = field(default_factory=list)  # (x, value as printed, label) of a range
    bar: Row | None = None

    @property
    def plot_x(self) -> float:
        return LABEL_WIDTH

    @property
    def plot_width(self) -> float:
        return WIDTH - LABEL_WIDTH - 90

    @property
    def width(self) -> float:
        return WIDTH


def bars(
    key: str, title: str, summary: str, rows: list[Row], soft: Iterable[str] = ()
) -> Chart | None:
    """Horizontal bars, one a row, scaled to the largest value; `soft` rows lighter."""
    rows = [row for row in rows if row.value is not None]
    if not rows:
        return None
    chart = Chart(key=key, title=title, summary=summary, rows=rows)
    top = max(row.value for row in rows) or 1
    for n, row in enumerate(rows):
        row.y = PAD + n * (BAR_HEIGHT + GAP)
        row.x = chart.plot_x
        row.width = max(2.0, chart.plot_width * row.value / top)
        row.soft = row.label in soft
        row.label_x, row.text_y = chart.plot_x - 8, row.y + BAR_HEIGHT * 0.68
        row.value_x = row.x + row.width + 6
        row.short_label = row.label if len(row.label) <= 32 else row.label[:31] + "…"
    chart.height = PAD * 2 + len(rows) * (BAR_HEIGHT + GAP) - GAP
    return chart


def range_bar(key: str, title: str, summary: str, low: Row, median: Row, high: Row) -> Chart | None:
    """One bar from `low` to `high` (rows), the `median` (a row) marked across it."""
    known = [row for row in (low, median, high) if row is not None and row.value is not None]
    if median is None or median.value is None or len(known) < 2:
        return None
    smallest, largest = min(r.value for r in known), max(r.value for r in known)
    span = (largest - smallest) or 1
    chart = Chart(key=key, title=title, summary=summary, rows=known, kind="range")
    left, width = 60, WIDTH - 120

    def x(value):
        return left + width * (value - smallest) / span

    chart.height = 96
    chart.bar = Row(label="range", value=largest, text="")
    chart.bar.x, chart.bar.width = x(smallest), max(2.0, x(largest) - x(smallest))
    chart.bar.y = 24
    chart.median_x = x(median.value)
    chart.marks = [(x(row.value), row.text, row.label) for row in known]
    return chart
