"""A whole catalogue imported at once, in one transaction and one revision."""

import contextlib
from typing import Any

from django.db import transaction
from reversion import create_revision

from core.history import record_import
from core.spreadsheets.bounds import Budget, FileError, check_size, open_workbook
from core.spreadsheets.columns import SOURCES_SHEET
from core.spreadsheets.formats import csv_dataset, decode, sheet_dataset, sources_sheet
from core.spreadsheets.sources import SourceBook

# A whole catalogue: a workbook with a sheet per kind, or a CSV file of one kind.


def import_file(
    name: str,
    data: bytes,
    kinds: list[tuple[str, Any]],
    dry_run: bool = False,
    kind: str | None = None,
) -> list[tuple[str, Any]]:
    """Import a file in one transaction: all of it, or, at the first wrong row, none of it.

    `kinds` lists (sheet, resource class) in the order to import them (vocabularies before
    the entries naming them). An XLSX workbook may hold any of these sheets and a Sources
    sheet; a CSV file holds one kind, the sheet `kind` or the one its columns fit.
    Returns [(sheet, result)]; raises FileError for a file that cannot be read as a whole.
    """
    sheets = dict(kinds)
    check_size(len(data))
    if name.lower().endswith(".xlsx"):
        book = open_workbook(data)
        unknown = [n for n in book.sheetnames if n not in sheets and n != SOURCES_SHEET]
        if unknown:
            raise FileError(
                [
                    "Unknown sheets: "
                    + ", ".join(f"“{n}”" for n in unknown)
                    + ". Sheets are named: "
                    + ", ".join([*sheets, SOURCES_SHEET])
                    + "."
                ]
            )
        sources = SourceBook(sources_sheet(book))
        work = [
            (sheet, sheets[sheet], sheet_dataset(book[sheet]))
            for sheet, _ in kinds
            if sheet in book.sheetnames
        ]
    elif name.lower().endswith(".csv"):
        dataset = csv_dataset(decode(data), Budget())
        dataset.sources = None
        sheet = kind or fitting_sheet(dataset.headers or [], kinds)
        if sheet not in sheets:
            raise FileError(
                [f"Say which kind of entries this file holds: one of {', '.join(sheets)}."]
            )
        sources, work = SourceBook(), [(sheet, sheets[sheet], dataset)]
    else:
        raise FileError(["Import a .csv or .xlsx file."])
    results = []
    # A real import is one revision (core.history), so that it can be undone as a whole.
    revision = contextlib.nullcontext() if dry_run else create_revision()
    with transaction.atomic(), revision:
        if not dry_run:
            record_import(name)
        for sheet, resource_class, dataset in work:
            result = resource_class(sources=sources).import_data(
                dataset,
                dry_run=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                raise_errors=False,
            )
            results.append((sheet, result))
            if failed(result):
                break  # what follows may name entries of this sheet
        if dry_run or any(failed(result) for _, result in results):
            transaction.set_rollback(True)
    return results


def fitting_sheet(headers: list[str], kinds: list[tuple[str, Any]]) -> str | None:
    """The kind whose required columns a CSV file has, and whose columns hold all of its own."""
    fits = [
        sheet
        for sheet, resource_class in kinds
        if set(resource_class.required) <= set(headers)
        and set(headers) <= set(resource_class().known_columns())
    ]
    return fits[0] if len(fits) == 1 else None


def failed(result: Any) -> bool:
    return result.has_errors() or result.has_validation_errors()


def report(sheet: str, result: Any) -> list[str]:
    """What an import did or would do to one sheet, in lines a person reads."""
    if result.base_errors:
        lines: list[str] = []
        for error in result.base_errors:
            problems = getattr(error.error, "problems", None) or [str(error.error)]
            lines.extend(f"{sheet}: {problem}" for problem in problems)
        return lines
    lines = [
        f"{sheet}, row {number + 1}: {error.error}"
        for number, errors in result.row_errors()
        for error in errors
    ]
    for row in result.invalid_rows:
        for column, messages in row.field_specific_errors.items():
            lines.append(f"{sheet}, row {row.number + 1}, column “{column}”: {' '.join(messages)}")
        for message in row.non_field_specific_errors:
            lines.append(f"{sheet}, row {row.number + 1}: {message}")
    if lines:
        return lines
    totals = result.totals
    lines = [
        f"{sheet}: {totals['new']} new, {totals['update']} changed, {totals['skip']} unchanged."
    ]
    for row in result.valid_rows():
        for column, old, new in getattr(row, "changes", []):
            lines.append(f"  {row.object_repr}: {column}: {old or '(empty)'} → {new or '(empty)'}")
    return lines
