"""The columns of an editors' spreadsheet that are not facts: the Sources sheet and a row's
source columns."""

SOURCES_SHEET = "Sources"
SOURCE_SHEET_COLUMNS = ["key", "title", "author", "publisher", "year", "url"]
ROW_SOURCE_COLUMNS = [
    "source",
    "source title",
    "source author",
    "source publisher",
    "source year",
    "source URL",
    "as of",
    "checked on",
    "note",
]
OVERRIDE_SUFFIXES = ("source", "as of", "checked on", "note")
