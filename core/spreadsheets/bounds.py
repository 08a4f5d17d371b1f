"""A file measured before it is read: its size, its cells, its rows and columns; refused as a
whole (FileError) with every problem in plain words."""

import io
import re
import zipfile
from collections.abc import Callable
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings


class FileError(Exception):
    """What is wrong with a file as a whole, in plain words, one message a problem."""

    def __init__(self, problems) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


# Bounds. A file is measured before it is read: an upload of a few megabytes can unpack to
# gigabytes or hold millions of cells, and reading it whole would hold a server worker until
# it is killed. Each limit is a setting (docs/configuration.md).


class Budget:
    """What is left of the limits while one file is read: rows and columns a sheet, cells in
    all. Each step past a limit raises a FileError that names it."""

    def __init__(self) -> None:
        self.max_rows = settings.IMPORT_MAX_ROWS
        self.max_columns = settings.IMPORT_MAX_COLUMNS
        self.max_cells = settings.IMPORT_MAX_CELLS
        self.cells = 0

    def row(self, where: str, number: int, width: int) -> None:
        """Row `number` (the first names the columns) of `width` cells."""
        if number > self.max_rows + 1:
            raise FileError(
                [
                    f"{where} has more than {self.max_rows:,} rows of entries; the limit is "
                    f"{self.max_rows:,} a sheet. Split it into smaller files."
                ]
            )
        self.column(where, width)
        self.cells += width
        if self.cells > self.max_cells:
            raise FileError(
                [
                    f"This file has more than {self.max_cells:,} cells; the limit is "
                    f"{self.max_cells:,}. Split it into smaller files, or delete the empty "
                    "rows and columns around the entries."
                ]
            )

    def column(self, where: str, number: int) -> None:
        if number > self.max_columns:
            raise FileError(
                [
                    f"{where} has more than {self.max_columns:,} columns; the limit is "
                    f"{self.max_columns:,}. Delete the columns that are not an export's."
                ]
            )

    def measure(self, where: str, stream: IO[bytes]) -> None:
        """Count a worksheet's rows and cells from its XML, stopping at the first limit passed.
        Rows and columns are counted where the cells place themselves (a cell in row
        9,000,000 makes the sheet that long), never as the sheet's <dimension> claims."""
        place = {"row": 0, "column": 0}

        def start(name, attributes) -> None:
            tag = name.rpartition(" ")[2]
            if tag == "row":
                place["row"] = int(attributes.get("r") or place["row"] + 1)
                place["column"] = 0
                self.row(where, place["row"], 0)
            elif tag == "c":
                letters = CELL_COLUMN.match(attributes.get("r", ""))
                place["column"] = (
                    column_number(letters.group(1)) if letters else place["column"] + 1
                )
                self.column(where, place["column"])
                self.row(where, place["row"], 1)

        scan_xml(stream, start)


CELL_COLUMN = re.compile(r"([A-Za-z]{1,3})")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


class NoDoctype(Exception):
    pass


def scan_xml(stream: IO[bytes], start: Callable[[str, dict], None] | None = None) -> None:
    """Parse XML from `stream` as it comes, calling `start(name, attributes)` on each element.
    A document type declaration is refused: no part of a workbook has one, and it is how
    entity expansion (“billion laughs”) and external entities (XXE) get in."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*args):
        raise NoDoctype

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if start:
        parser.StartElementHandler = start
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except NoDoctype:
        raise FileError(
            ["This workbook declares XML entities, which spreadsheets never do: it is refused."]
        ) from None
    except (expat.ExpatError, ValueError, zipfile.BadZipFile):
        raise FileError(["This file is not an Excel workbook (.xlsx) that can be read."]) from None


def open_workbook(data: bytes) -> Any:
    """The workbook in `data`, opened to be read row by row once every part is measured: what
    they unpack to in all, no XML entities in any, and each sheet's rows, columns and cells.
    All of it before openpyxl reads a sheet, which it does whole to find its size when the
    sheet does not state it."""
    import openpyxl

    unreadable = FileError(["This file is not an Excel workbook (.xlsx) that can be read."])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    # Python's zipfile never unpacks more than a part declares, so the declared sizes bound it.
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit:
        raise FileError(
            [
                f"This workbook unpacks to {unpacked / 1_000_000:,.0f} MB; the limit is "
                f"{limit / 1_000_000:,.0f} MB. Delete the empty rows and columns around the "
                "entries, or split it into smaller files."
            ]
        )
    sheets = sheet_parts(archive)
    budget = Budget()
    for part in parts:
        if not part.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(part) as stream:
            if part.filename in sheets:
                budget.measure(f"The sheet “{sheets[part.filename]}”", stream)
            else:
                scan_xml(stream)
    try:
        # Not data_only: a formula must be seen as one, not as its last computed value.
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:
        raise unreadable from None


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name, as the workbook and its relationships say."""
    names, targets = {}, {}

    def sheet(name, attributes) -> None:
        if name.endswith(" sheet"):
            key = next((v for k, v in attributes.items() if k.endswith(" id")), None)
            names[key] = attributes.get("name", "")

    def relationship(name, attributes) -> None:
        if name.endswith(" Relationship"):
            targets[attributes.get("Id")] = attributes.get("Target", "")

    try:
        with archive.open("xl/workbook.xml") as stream:
            scan_xml(stream, sheet)
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            scan_xml(stream, relationship)
    except KeyError:
        raise FileError(["This file is not an Excel workbook (.xlsx) that can be read."]) from None
    parts = {}
    for key, title in names.items():
        target = targets.get(key, "")
        parts[target.lstrip("/") if target.startswith("/") else f"xl/{target}"] = title
    return parts


def check_size(size: int) -> None:
    """A file larger than settings.IMPORT_MAX_BYTES is refused before it is read."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise FileError(
            [
                f"This file is {size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.0f} MB. Split it into smaller files."
            ]
        )
