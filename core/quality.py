"""The editors' to-do list: what the catalogue does not yet say, or says from old pages.

For every published or draft entry of a kind that declares facts: how many of its sourced
facts are reported and which are missing; figures whose as-of date is older than
settings.STALE_AFTER_MONTHS (or, from a page that states no date, last checked before then);
citations whose source has no URL for readers to check.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.facts import SourcedModel, months_before
from core.models import Citation, prefetch_citations


@dataclass
class EntryReport:
    kind: str
    entry: object
    reported: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.reported) + len(self.missing)


@dataclass
class Report:
    entries: list
    stale: list
    without_url: list
    cutoff: datetime.date


def label_of(model: Any, name: str) -> str:
    """What readers call fact `name` of `model`; the name itself if it is not declared."""
    try:
        return model.facts[name].label_for(model)
    except (AttributeError, KeyError):
        return name


def shown_as(record: Model | None, name: str) -> str:
    """The fact as readers see it: "$45,000 (as of 2016–17)"."""
    if not isinstance(record, SourcedModel) or name not in record.sourced_fields:
        return ""
    fact = record.fact(name)
    if not fact.reported:
        return fact.text
    return f"{fact.text} ({fact.citation.dated})"


def catalogue_report(today: date | None = None, stale_after_months: int | None = None) -> "Report":
    today = today or timezone.localdate()
    months = stale_after_months if stale_after_months is not None else settings.STALE_AFTER_MONTHS
    cutoff = months_before(today, months)
    entries = []
    kinds: list[Any] = [
        model
        for model in apps.get_models()
        if issubclass(model, SourcedModel) and hasattr(model, "published_at")
    ]
    for model in kinds:
        names = list(model.sourced_fields)
        many = [name for name in names if model._meta.get_field(name).many_to_many]
        for entry in model.objects.prefetch_related(prefetch_citations(), *many):
            row = EntryReport(str(model._meta.verbose_name), entry)
            for name in names:
                (row.reported if entry.fact(name).reported else row.missing).append(
                    model.facts[name].label_for(model)
                )
            entries.append(row)
    entries.sort(key=lambda row: (row.kind, len(row.reported) / max(row.total, 1), str(row.entry)))
    citations: list[Any] = list(
        Citation.objects.select_related("source", "content_type")
        .prefetch_related("content_object")
        .order_by(Coalesce("as_of", "checked_on").asc(nulls_first=True), "pk")
    )
    by_record: dict[tuple, dict[str, Any]] = {}
    for citation in citations:
        by_record.setdefault((citation.content_type_id, citation.object_id), {})[citation.field] = (
            citation
        )
    for citation in citations:
        citation.record = record = citation.content_object
        if record is not None:
            # What readers see of it reads these citations, not the database again.
            record._citations_by_field = by_record[(citation.content_type_id, record.pk)]
        citation.label = label_of(type(record), citation.field)
        citation.age = citation.age_label(today, months)
        citation.shown = shown_as(record, citation.field)
    return Report(
        entries=entries,
        stale=[c for c in citations if c.age],
        without_url=[c for c in citations if not c.source.url],
        cutoff=cutoff,
    )


def report_lines(report: "Report") -> list[str]:
    lines = ["Facts reported, entry by entry (fewest first):"]
    for row in report.entries:
        missing = f"; missing: {', '.join(row.missing)}" if row.missing else ""
        lines.append(f"  {row.kind}: {row.entry}: {len(row.reported)} of {row.total}{missing}")
    lines.append(
        f"Figures that may have changed: dated, or last checked, before "
        f"{report.cutoff:%-d %B %Y} ({len(report.stale)}):"
    )
    lines.extend(
        f"  {c.record}: {c.label}, {c.dated}, {c.checked or 'never checked'}: {c.source.title}"
        for c in report.stale
    )
    lines.append(f"Citations whose source has no URL ({len(report.without_url)}):")
    lines.extend(f"  {c.record}: {c.label}, {c.source}" for c in report.without_url)
    return lines


def coverage() -> list[tuple[str, int, list[tuple[str, int]]]]:
    """For each kind that declares `coverage` (label → the facts any of which count, or a
    function of an entry), the share of its published entries that report it: a fact counts
    only with its source. [(kind, count of entries, [(label, entries reporting it)])]."""
    tables = []
    for model in apps.get_models():
        declared = getattr(model, "coverage", None)
        if not declared or not issubclass(model, SourcedModel):
            continue
        manager: Any = model._default_manager
        entries = list(manager.published().for_detail())
        rows = []
        for label, rule in declared:
            if callable(rule):
                held = sum(1 for entry in entries if rule(entry))
            else:
                held = sum(1 for entry in entries if any(entry.fact(n).reported for n in rule))
            rows.append((label, held))
        tables.append((str(model._meta.verbose_name_plural), len(entries), rows))
    return tables


def coverage_lines(tables: list[tuple[str, int, list[tuple[str, int]]]]) -> list[str]:
    lines = []
    for kind, total, rows in tables:
        lines.append(f"Published {kind} reporting each key fact, with its source ({total} in all):")
        lines.append(f"| fact | {kind} | share |")
        lines.append("|---|---|---|")
        for label, held in rows:
            share = f"{100 * held / total:.0f}%" if total else "-"
            lines.append(f"| {label} | {held} | {share} |")
    return lines


def check_again(
    citations: Iterable[Citation],
    user: Any = None,
    as_of: date | None = None,
    today: date | None = None,
) -> int:
    """“Checked again today, still true”: each citation's checked-on date becomes today; its
    as-of date stays unless the editor gives a new one. One revision (core.history), by
    `user`. Returns how many citations were checked."""
    from reversion import create_revision, set_comment, set_user

    today = today or timezone.localdate()
    checked = 0
    with create_revision():
        set_user(user)
        set_comment(f"Checked again on {today:%Y-%m-%d}: still true.")
        for citation in citations:
            citation.checked_on = today
            if as_of is not None:
                citation.as_of = as_of
            citation.full_clean()
            citation.save()
            checked += 1
    return checked
