"""Editors' spreadsheets: import and export of sourced records, CSV or XLSX.

Built on django-import-export 4 (its resources, its dry run and confirmation in the admin, its
transactions), with what it does not know: sources. Each row of a sourced kind names a default
source, an as-of date (the date the figure describes, empty when the page states none) and a
checked-on date (the day the page was read) for all its facts; optional columns override them
for one fact:

    slug | … facts … | source | as of | checked on | note | tuition_total source | …

A source is named by its key in the workbook's "Sources" sheet (key, title, author, publisher,
year, URL), or by its URL, or defined on the row itself by the columns "source title",
"source publisher", "source year", "source URL" (which is how a CSV file, with no second sheet,
brings new sources). A fact that names its own source takes its own as-of date and note (none
if empty); its checked-on date falls back to the row's. Every fact with a value needs a source
and a checked-on date; a fact left empty loses its citation.

The file is checked as a whole before any row: a column nobody knows, a required column
missing, a formula in a cell, the same entry twice. Each row is then new, changed (the columns
that change, old → new), unchanged, or wrong (its row, its column, in plain words). One wrong
row and nothing is saved.

The package, in the order a file goes through it: `bounds` (measured before it is read),
`formats` (CSV and XLSX), `columns` and `sources` (the Sources sheet and a row's sources),
`widgets` (values in cells), `resources` (a kind's rows), `uploads` (a file between its preview
and its confirmation) and `importing` (a whole catalogue, in one transaction and one revision).
"""

from core.spreadsheets.bounds import FileError, check_size, open_workbook
from core.spreadsheets.formats import (
    XLSX,
    decode_problem,
    formats_for,
    sheet_dataset,
    sources_dataset,
)
from core.spreadsheets.importing import failed, import_file, report
from core.spreadsheets.resources import CatalogueResource, SourcedResource
from core.spreadsheets.uploads import UPLOADS_KEPT_FOR, clear_old_uploads, discard_upload
from core.spreadsheets.widgets import NumberWidget, YesNoWidget, as_date, fact_columns, text

__all__ = [
    "UPLOADS_KEPT_FOR",
    "XLSX",
    "CatalogueResource",
    "FileError",
    "NumberWidget",
    "SourcedResource",
    "YesNoWidget",
    "as_date",
    "check_size",
    "clear_old_uploads",
    "decode_problem",
    "discard_upload",
    "fact_columns",
    "failed",
    "formats_for",
    "import_file",
    "open_workbook",
    "report",
    "sheet_dataset",
    "sources_dataset",
    "text",
]
