"""Formats: UTF-8 CSV, and XLSX workbooks that may carry a Sources sheet."""

import csv
import io
from typing import Any

import tablib
from import_export.formats import base_formats

from core.spreadsheets.bounds import Budget, FileError, open_workbook
from core.spreadsheets.columns import SOURCE_SHEET_COLUMNS, SOURCES_SHEET
from core.text import safe_cell

# Formats: UTF-8 CSV, and XLSX workbooks that may carry a Sources sheet.


class CSV(base_formats.CSV):
    def create_dataset(self, in_stream: str | bytes) -> tablib.Dataset:
        if isinstance(in_stream, bytes):
            in_stream = decode(in_stream)
        dataset = csv_dataset(in_stream, Budget())
        dataset.sources = None
        return dataset


def decode_problem() -> str:
    return (
        "This file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” (or as an "
        "Excel workbook, .xlsx) and upload it again."
    )


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError([decode_problem()]) from None


class XLSX(base_formats.XLSX):
    """A workbook: the sheet named `sheet` (or the first), and the Sources sheet if any."""

    sheet = ""

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        book = open_workbook(in_stream)
        names = [name for name in book.sheetnames if name != SOURCES_SHEET]
        if not names:
            raise FileError(["The workbook has no sheet of entries."])
        name = self.sheet if self.sheet in names else names[0]
        dataset = sheet_dataset(book[name])
        dataset.title = name
        dataset.sources = sources_sheet(book)
        return dataset

    def export_book(
        self, datasets: list[tablib.Dataset], sources: list[dict[str, str]] | None = None
    ) -> bytes:
        """A workbook of several sheets (each dataset's title) and a Sources sheet."""
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for dataset in datasets:
            write_sheet(book.create_sheet(), dataset, dataset.title)
        if sources is not None and len(sources):
            write_sheet(book.create_sheet(), sources, SOURCES_SHEET)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        import openpyxl

        book = openpyxl.Workbook()
        write_sheet(book.active, dataset, dataset.title or self.sheet or "Entries")
        sources = getattr(dataset, "sources", None)
        if sources:
            write_sheet(book.create_sheet(SOURCES_SHEET), sources_dataset(sources), SOURCES_SHEET)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def xlsx_for(sheet: str) -> type:
    """The XLSX format reading the sheet `sheet` of a workbook."""
    return type(f"XLSX{sheet.title().replace(' ', '')}", (XLSX,), {"sheet": sheet})


def sheet_dataset(sheet: Any) -> tablib.Dataset:
    """The rows of a worksheet of a workbook opened by open_workbook (so measured)."""
    # The cells themselves say how wide a row is, whatever the sheet's <dimension> claims.
    sheet.reset_dimensions()
    try:
        rows = iter(list(sheet.iter_rows(values_only=True)))
    except Exception:  # whatever openpyxl meets in a damaged sheet
        raise FileError(
            [f"The sheet “{sheet.title}” cannot be read: save the workbook again and retry."]
        ) from None
    dataset = tablib.Dataset()
    try:
        headers = list(next(rows))
    except StopIteration:
        return dataset
    while headers and headers[-1] in (None, ""):
        headers.pop()
    dataset.headers = [("" if header is None else str(header)).strip() for header in headers]
    for row in rows:
        values = list(row[: len(headers)]) + [None] * (len(headers) - len(row))
        if any(value not in (None, "") for value in values):
            dataset.append(values)
    return dataset


def sources_sheet(book: Any) -> list[dict[str, Any]] | None:
    if SOURCES_SHEET not in book.sheetnames:
        return None
    return sheet_dataset(book[SOURCES_SHEET]).dict


def csv_dataset(text: str, budget: Budget) -> tablib.Dataset:
    """The rows of a CSV text (the first names the columns), read within the limits."""
    dataset = tablib.Dataset()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            budget.row("This file", number, len(row))
            if number == 1:
                dataset.headers = row
            elif row:
                extra = row[dataset.width :]
                if any(cell.strip() for cell in extra):
                    raise FileError(
                        [f"Row {number} has more cells than the first row has column names."]
                    )
                dataset.append(row[: dataset.width] + [""] * (dataset.width - len(row)))
    except csv.Error as error:
        raise FileError(
            [
                f"Row {reader.line_num} cannot be read as CSV ({error}). Save the file again as "
                "“CSV UTF-8” from your spreadsheet."
            ]
        ) from None
    return dataset


def write_sheet(sheet: Any, dataset: tablib.Dataset, title: str) -> None:
    sheet.title = title[:31]
    sheet.append(list(dataset.headers or []))
    for row in dataset:
        sheet.append(["" if value is None else value for value in row])


def sources_dataset(sources: list[dict[str, str]]) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=SOURCE_SHEET_COLUMNS)
    for source in sources:
        dataset.append([safe_cell(source.get(column, "")) for column in SOURCE_SHEET_COLUMNS])
    return dataset


def formats_for(sheet: str) -> list[type]:
    return [CSV, xlsx_for(sheet)]
