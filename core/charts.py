"""Charts drawn on the server: a bar per row, beside the row's label and value as text.

A chart is plain data (`Chart`): its title, what it says in one sentence, and its rows, each
(label, value, text as printed, source note number). `bars()` and `range_bar()` build them
from facts; the template includes/_chart.html prints the rows as a table whose cells carry
their bars, drawn as SVG in percent of the cell's width: the labels and values are the page's
own text, readable at any width and text zoom. No script, no inline style: the
Content-Security-Policy stays strict.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

MIN_WIDTH = 0.5  # percent: a bar never vanishes


@dataclass
class Row:
    label: str
    value: float
    text: str
    note: int | None = None
    # Geometry, set by the chart: where the bar starts and how wide it is, in percent.
    x: float = 0
    width: float = 0
    soft: bool = False


@dataclass
class Chart:
    key: str
    title: str
    summary: str
    rows: list
    kind: str = "bars"  # or "range"
    median_x: float = 0  # percent
    marks: list = field(default_factory=list)  # (x, value as printed, label) of a range
    bar: Row | None = None


def bars(
    key: str, title: str, summary: str, rows: list[Row], soft: Iterable[str] = ()
) -> Chart | None:
    """Horizontal bars, one a row, scaled to the largest value; `soft` rows lighter."""
    rows = [row for row in rows if row.value is not None]
    if not rows:
        return None
    chart = Chart(key=key, title=title, summary=summary, rows=rows)
    top = max(row.value for row in rows) or 1
    soft = set(soft)
    for row in rows:
        row.width = max(MIN_WIDTH, 100 * row.value / top)
        row.soft = row.label in soft
    return chart


def range_bar(key: str, title: str, summary: str, low: Row, median: Row, high: Row) -> Chart | None:
    """One bar from `low` to `high` (rows), the `median` (a row) marked across it."""
    known = [row for row in (low, median, high) if row is not None and row.value is not None]
    if median is None or median.value is None or len(known) < 2:
        return None
    smallest, largest = min(r.value for r in known), max(r.value for r in known)
    span = (largest - smallest) or 1
    chart = Chart(key=key, title=title, summary=summary, rows=known, kind="range")
    left, width = 4, 92  # percent: room at both ends for the median's mark

    def x(value: float) -> float:
        return left + width * (value - smallest) / span

    chart.bar = Row(label="range", value=largest, text="")
    chart.bar.x, chart.bar.width = x(smallest), max(MIN_WIDTH, x(largest) - x(smallest))
    chart.median_x = x(median.value) - 0.4
    chart.marks = [(x(row.value), row.text, row.label) for row in known]
    return chart
