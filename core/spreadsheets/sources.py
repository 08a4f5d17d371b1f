"""Sources named in a file, and sources written to one."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from core.models import Citation, Source
from core.spreadsheets.columns import SOURCE_SHEET_COLUMNS
from core.spreadsheets.widgets import as_int, plain, text

# Sources named in a file.


class SourceBook:
    """The sources a file names: by key in its Sources sheet, by URL, or defined on a row.

    A source found by its URL (or, without one, by title, publisher and year) is the one
    already stored; a new one is created. Creating happens inside the import's transaction,
    so a preview leaves nothing behind.
    """

    def __init__(self, sheet_rows=None) -> None:
        self.keyed: dict[str, dict] = {}
        self.problems: list[str] = []
        self._made: dict[tuple, Any] = {}
        for number, row in enumerate(sheet_rows or [], start=2):
            key = text(row.get("key"))
            if not key:
                self.problems.append(f"Sources sheet, row {number}: the column “key” is empty.")
                continue
            if key in self.keyed:
                self.problems.append(f"Sources sheet, row {number}: the key “{key}” is used twice.")
            self.keyed[key] = row

    def resolve(self, reference: str) -> Source:
        """The source a cell names, or a ValueError saying why none."""
        reference = text(reference)
        if reference in self.keyed:
            return self.define(
                **{k: self.keyed[reference].get(k) for k in SOURCE_SHEET_COLUMNS[1:]}
            )
        for row in self.keyed.values():
            if text(row.get("url")) == reference:
                return self.define(**{k: row.get(k) for k in SOURCE_SHEET_COLUMNS[1:]})
        if reference.startswith(("http://", "https://")):
            found = Source.objects.filter(url=reference).order_by("pk").first()
            if found:
                return found
        raise ValueError(
            f"No source “{reference[:80]}”: use a key of the Sources sheet, the URL of a "
            "source already in the portal, or define the source on the row."
        )

    def define(
        self,
        title: str | None = None,
        publisher: str | None = None,
        year: Any = None,
        url: str | None = None,
        author: str | None = None,
    ) -> Source:
        """The source with these details, found or made; ValueError if they are not enough."""
        title, publisher, url, author = text(title), text(publisher), text(url), text(author)
        year = as_int(year, "source year")
        if not title or not publisher:
            raise ValueError("A source needs at least a title and a publisher.")
        key = (url,) if url else (title.lower(), publisher, year)
        if key in self._made:
            return self._made[key]
        found = (
            Source.objects.filter(url=url).order_by("pk").first()
            if url
            else Source.objects.filter(title__iexact=title, publisher=publisher, year=year).first()
        )
        source = found or Source(url=url)
        details = {"title": title, "publisher": publisher, "year": year, "author": author}
        if not found or any(getattr(source, k) != v for k, v in details.items()):
            for name, value in details.items():
                setattr(source, name, value)
            try:
                source.full_clean()
            except ValidationError as error:
                raise ValueError(plain(error)) from None
            source.save()
        self._made[key] = source
        return source


@dataclass(frozen=True)
class Cited:
    """Where a row says a fact comes from: its source, the date the figure describes (None when
    the page states none), the day the page was read, and a note."""

    source: Source
    as_of: datetime.date | None
    checked_on: datetime.date | None
    note: str

    def key(self) -> tuple:
        return (self.source.pk, self.as_of, self.checked_on, self.note)

    @staticmethod
    def of(citation: Citation) -> tuple:
        """The same key for a stored citation."""
        return (citation.source_id, citation.as_of, citation.checked_on, citation.note)


def iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def source_key(source: Source) -> str:
    return f"source-{source.pk}"


def source_row(source: Source) -> dict[str, str]:
    return {
        "key": source_key(source),
        "title": source.title,
        "author": source.author,
        "publisher": source.publisher,
        "year": "" if source.year is None else str(source.year),
        "url": source.url,
    }


def citation_text(citation: Citation) -> str:
    source = citation.source
    parts = [source.title, source.publisher, source.url, citation.dated, citation.checked]
    if citation.note:
        parts.append(citation.note)
    return "; ".join(part for part in parts if part)
