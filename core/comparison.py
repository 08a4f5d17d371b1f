"""Side-by-side comparison of programs, careers or certifications.

An app builds its comparison from its model's declared facts (`fact_groups`: a `FactRow` per
fact), adding rows for what is not a fact (`TextRow` for a text, `ListRow` for a set of names,
such as linked careers); `Comparison` turns the chosen items into a table
whose cells carry a footnote number for their source. Which rows differ, and which cell is the
best, is decided here, never in a template: an unknown value is never a difference, and "best"
is marked only where the row says what best means and at least two known values differ.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

from core.facts import NOT_REPORTED, Fact, SourcedModel, SourceNotes
from core.text import safe_cell

MAX_ITEMS = 4
MIN_ITEMS = 2
MAX_SLUG_LENGTH = 200
UNKNOWN = NOT_REPORTED.capitalize()


@dataclass
class Cell:
    text: str
    value: Any = None  # what is compared: a number, a text, a set of names
    citation: Any = None  # core.models.Citation
    note: int | None = None
    best: bool = False
    # Text an editor or an import wrote (a name, a choice's words), shown inside <bdi>.
    isolated: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def age(self) -> str:
        """Beside a figure that may no longer hold (core.models.Citation.age_label)."""
        return self.citation.age_label() if self.citation is not None else ""

    @property
    def csv_text(self) -> str:
        text = f"{self.text} [{self.note}]" if self.note else self.text
        return f"{text} ({self.age})" if self.age else text


@dataclass
class Row:
    label: str
    cells: list
    best_word: str = ""

    @property
    def differs(self) -> bool:
        known = {cell.value for cell in self.cells if cell.known}
        return len(known) > 1


@dataclass
class Group:
    title: str
    rows: list


class FactRow:
    """A declared fact (core.facts), with its source; "best" where the fact says what it is."""

    def __init__(self, fact: Fact) -> None:
        self.fact = fact

    def row(self, items: list) -> Row:
        fact = self.fact
        values = [item.fact(fact.name) for item in items]
        cells = []
        for value in values:
            if not value.reported:
                cells.append(Cell(UNKNOWN))
            elif value.is_number:
                cells.append(Cell(value.text, value.value, value.citation))
            elif value.items:
                names = frozenset(text for text, _ in value.items)
                cells.append(Cell(value.text, names, value.citation, isolated=True))
            else:
                cells.append(Cell(value.text, value.text, value.citation, isolated=True))
        row = Row(fact.label_for(type(items[0])), cells, fact.best_word)
        currencies = {getattr(item, item.currency_field, None) for item in items}
        if fact.best and fact.kind.is_number and row.differs and len(currencies) == 1:
            known = [cell.value for cell in cells if cell.known]
            target = min(known) if fact.best == "min" else max(known)
            for cell in cells:
                cell.best = cell.known and cell.value == target
        return row


def fact_groups(
    model: type[SourcedModel],
    add: dict[str, list] | None = None,
    then: Iterable[tuple[str, list]] = (),
) -> list[tuple[str, list]]:
    """The comparison's groups of rows: one per group of `model.facts`, a row per fact, with
    the rows `add[slug]` after a group's facts and the groups `then` after them all."""
    add = add or {}
    return [
        *(
            (group.title, [*(FactRow(fact) for fact in group.facts), *add.get(group.slug, [])])
            for group in model.facts.groups
        ),
        *then,
    ]


class TextRow:
    """A fact that is not a figure: `get(item)` returns its text, or "" when it is unknown."""

    def __init__(self, label: str, get: Callable[[Any], Any], empty: str = UNKNOWN) -> None:
        self.label, self.get, self.empty = label, get, empty

    def row(self, items: list) -> Row:
        cells = []
        for item in items:
            text = self.get(item)
            cells.append(Cell(str(text), str(text)) if text else Cell(self.empty))
        return Row(self.label, cells)


class ListRow:
    """A set of names (specializations, skills, careers): `get(item)` returns the names."""

    def __init__(self, label: str, get: Callable[[Any], Any], empty: str = UNKNOWN) -> None:
        self.label, self.get, self.empty = label, get, empty

    def row(self, items: list) -> Row:
        cells = []
        for item in items:
            names = [str(name) for name in self.get(item)]
            if names:
                cells.append(Cell("; ".join(names), frozenset(names), isolated=True))
            else:
                cells.append(Cell(self.empty))
        return Row(self.label, cells)


def requested_slugs(values: list[str]) -> tuple[list[str], list[str]]:
    """Clean the slugs asked for: (unique slugs in order, messages about what was dropped)."""
    slugs, messages, seen_twice = [], [], []
    for raw in values:
        slug = "".join(ch for ch in raw.strip() if ch.isprintable())[:MAX_SLUG_LENGTH]
        if not slug:
            continue
        if slug in slugs:
            if slug not in seen_twice:
                seen_twice.append(slug)
            continue
        slugs.append(slug)
    if seen_twice:
        messages.append(
            "Listed more than once, shown once: " + ", ".join(f"“{s}”" for s in seen_twice) + "."
        )
    return slugs, messages


@dataclass(frozen=True)
class Comparable:
    """A kind of thing compared side by side (programs, careers…), registered by its app.

    `namespace` is its URL namespace (its pages are `<namespace>:list`, `:compare`…), `param`
    the query parameter naming the chosen items, `compared()` the published entries shaped
    for a comparison, `named()` the published entries shaped for showing their names.
    `tools` are further pages for the same items: (URL name, label), each given the
    comparison's query string (a calendar of deadlines, a payback).
    """

    noun: str
    param: str
    namespace: str
    model: type[Model]
    groups: list
    compared: Callable[[], QuerySet]
    named: Callable[[], QuerySet]
    column_title: Callable[[Any], str]
    column_subtitle: Callable[[Any], str] | None = None
    tools: tuple = ()

    @property
    def plural(self) -> str:
        return f"{self.noun}s"

    @property
    def query_params(self) -> set[str]:
        """The query parameters a comparison page reads."""
        return {self.param, "highlight"}


def choose_items(kind: Comparable, queryset: QuerySet, values: list[str]) -> tuple[list, list[str]]:
    """The items asked for, in order, at most MAX_ITEMS, and what the visitor should be told."""
    slugs, messages = requested_slugs(values)
    looked_up = slugs[: MAX_ITEMS * 5]
    found = {item.slug: item for item in queryset.filter(slug__in=looked_up)}
    missing = [slug for slug in looked_up if slug not in found]
    if missing:
        messages.append(
            "Not found, so left out (unknown, or not published): "
            + ", ".join(f"“{slug[:60]}”" for slug in missing)
            + "."
        )
    items = [found[slug] for slug in looked_up if slug in found]
    if len(slugs) > len(looked_up) or len(items) > MAX_ITEMS:
        messages.append(
            f"At most {MAX_ITEMS} {kind.plural} fit side by side; showing the first {MAX_ITEMS}."
        )
        items = items[:MAX_ITEMS]
    if not items:
        messages.append(f"Choose two to four {kind.plural} to compare.")
    elif len(items) < MIN_ITEMS:
        messages.append(f"Add at least one more {kind.noun} to compare it with.")
    return items, messages


@dataclass
class Comparison:
    """The comparison of `items` (in the order asked) described by `groups` of row specs."""

    kind: Comparable
    items: list
    highlight: bool = False
    messages: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.groups = (
            [
                Group(title, [row_spec.row(self.items) for row_spec in rows])
                for title, rows in self.kind.groups
            ]
            if self.items
            else []
        )
        self.notes = self._number_sources()

    def _number_sources(self):
        """Give each distinct source line a number, in reading order."""
        notes = SourceNotes()
        for group in self.groups:
            for row in group.rows:
                for cell in row.cells:
                    if cell.citation is not None:
                        cell.note = notes.number(cell.citation)
        return notes.items

    @property
    def differing_rows(self) -> int:
        return sum(row.differs for group in self.groups for row in group.rows)

    @property
    def columns(self) -> list[dict[str, Any]]:
        kind = self.kind
        return [
            {
                "item": item,
                "title": kind.column_title(item),
                "subtitle": kind.column_subtitle(item) if kind.column_subtitle else "",
            }
            for item in self.items
        ]

    @property
    def slugs(self) -> list[str]:
        return [item.slug for item in self.items]

    def as_csv(self) -> str:
        """The same table as CSV, each sourced cell with its note number, then the sources."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        headers = [
            f"{column['title']} ({column['subtitle']})" if column["subtitle"] else column["title"]
            for column in self.columns
        ]
        writer.writerow(["Group", "Row", *[safe_cell(header) for header in headers]])
        for group in self.groups:
            for row in group.rows:
                writer.writerow(
                    [
                        safe_cell(group.title),
                        safe_cell(row.label),
                        *[safe_cell(cell.csv_text) for cell in row.cells],
                    ]
                )
        writer.writerow([])
        headers = ["Note", "Source", "Author", "Publisher", "Year", "URL", "As of", "Checked on"]
        writer.writerow([*headers, "Remark"])
        for number, citation in self.notes:
            source = citation.source
            writer.writerow(
                [
                    f"[{number}]",
                    safe_cell(source.title),
                    safe_cell(source.author),
                    safe_cell(source.publisher),
                    source.year or "",
                    safe_cell(source.url),
                    citation.as_of.isoformat() if citation.as_of else "not stated",
                    citation.checked_on.isoformat() if citation.checked_on else "",
                    safe_cell(citation.note),
                ]
            )
        return buffer.getvalue()
