"""The catalogue as open data: each published entry with its facts, each fact with its source.

A kind that is published as data registers itself
(`core.registry.register_open_data(OpenData(…))`, from its app's ready()): its
name in the addresses, its model, its public entries shaped for reading, and its plain fields
(those that are not declared facts). The /data/ downloads and the JSON API both read entries
through `entry_record`, so a fact is written the same way everywhere: its value (a number, a
date, a code, a list of names), the text readers see, and its source with both dates; a fact
not reported is null, never guessed.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet

from core import registry
from core.facts import Fact, FactKind, SourcedModel
from core.text import safe_cell


@dataclass(frozen=True)
class OpenData:
    name: str  # "programs": /data/programs.csv, /api/v1/programs
    model: type[Model]
    public: Callable[
        [], QuerySet
    ]  # the public entries, shaped to read their facts in a few queries
    fields: tuple = field(default=())  # (name, description) of plain fields, before the facts


def kinds() -> dict[str, OpenData]:
    return registry.open_data_kinds()


def kind(name: str) -> OpenData | None:
    return registry.open_data(name)


def plain(value: Any) -> Any:
    """A value as JSON holds it: Decimal as a number, a date as ISO 8601, names as a list."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "all") and callable(value.all):
        return [str(item) for item in value.all()]
    if hasattr(value, "_meta"):  # a related entry: its name
        return str(value)
    return value


def source_record(citation: Any) -> dict[str, Any] | None:
    if citation is None:
        return None
    source = citation.source
    return {
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url or None,
        "as_of": citation.as_of.isoformat() if citation.as_of else None,
        "checked_on": citation.checked_on.isoformat() if citation.checked_on else None,
        "confirmed_by_institution_on": (
            citation.confirmed_on.isoformat() if citation.confirmed_on else None
        ),
    }


def fact_record(entry: SourcedModel, fact: Fact) -> dict[str, Any]:
    """{value, text, source} of one fact; value and source null when it is not reported."""
    shown = entry.fact(fact.name)
    if not shown.reported:
        return {"value": None, "text": None, "source": None}
    raw = getattr(entry, fact.name)
    if fact.kind == FactKind.NAMES:
        value = [text for text, _ in shown.items]
    elif fact.kind == FactKind.CHOICES:
        value = list(shown.value)
    else:
        value = plain(raw)
    return {"value": value, "text": shown.text, "source": source_record(shown.citation)}


def entry_record(data_kind: OpenData, entry: Any, absolute: Callable[[str], str]) -> dict[str, Any]:
    """One entry: its plain fields, its page, and (for a kind with facts) each fact."""
    record = {"slug": entry.slug}
    for name, _ in data_kind.fields:
        record[name] = plain(getattr(entry, name))
    record["url"] = absolute(entry.get_absolute_url())
    if issubclass(data_kind.model, SourcedModel):
        record["facts"] = {fact.name: fact_record(entry, fact) for fact in entry.facts}
    return record


def dictionary(data_kind: OpenData) -> list[tuple[str, str]]:
    """[(column, meaning)] of a kind's records, for the data dictionary."""
    model = data_kind.model
    rows = [("slug", "Identifier in the portal's addresses.")]
    rows += list(data_kind.fields)
    rows.append(("url", "The entry's page on the portal."))
    if issubclass(model, SourcedModel):
        for fact in model.facts:
            model_field: Any = model._meta.get_field(fact.name)
            meaning = str(model_field.help_text) or str(fact.label_for(model))
            unit = f" ({fact.kind.value})" if fact.kind.is_number else ""
            rows.append((fact.name, f"{fact.label_for(model)}{unit}: {meaning}"))
    return rows


def as_csv(data_kind: OpenData, records: list[dict[str, Any]]) -> str:
    """One row per entry, a column per field and per fact (its value; lists joined by “; ”).
    Sources are in citations.csv. Cells that a spreadsheet would run are written as text."""
    columns = [name for name, _ in dictionary(data_kind)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for record in records:
        facts = record.get("facts", {})
        row = []
        for name in columns:
            value = facts[name]["value"] if name in facts else record.get(name)
            if isinstance(value, list):
                value = "; ".join(str(item) for item in value)
            row.append(safe_cell("" if value is None else str(value)))
        writer.writerow(row)
    return buffer.getvalue()


CITATION_COLUMNS = [
    "kind",
    "slug",
    "fact",
    "text",
    "source_title",
    "publisher",
    "source_url",
    "as_of",
    "checked_on",
    "confirmed_by_institution_on",
]


def citation_rows(
    records_by_kind: dict[str, list[dict[str, Any]]],
) -> Iterator[dict[str, Any]]:
    """Every reported fact of every entry with its source, as rows of CITATION_COLUMNS."""
    for kind_name, records in records_by_kind.items():
        for record in records:
            for name, fact in record.get("facts", {}).items():
                source = fact["source"]
                if source is None:
                    continue
                yield {
                    "kind": kind_name,
                    "slug": record["slug"],
                    "fact": name,
                    "text": fact["text"],
                    "source_title": source["title"],
                    "publisher": source["publisher"],
                    "source_url": source["url"],
                    "as_of": source["as_of"],
                    "checked_on": source["checked_on"],
                    "confirmed_by_institution_on": source["confirmed_by_institution_on"],
                }


def citations_csv(rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CITATION_COLUMNS)
    for row in rows:
        writer.writerow(
            [safe_cell("" if row[c] is None else str(row[c])) for c in CITATION_COLUMNS]
        )
    return buffer.getvalue()
