"""The admin of the library: what every app's admin builds on (`sourced`: citations beside
each fact, history, publication; `imports`: spreadsheets in and out), and the library's own
models: sources and figures, imports, readers' corrections, the catalogue report."""

from core.admin import corrections, sources  # noqa: F401  (they register their models)
from core.admin.imports import ImportRecordAdmin, SpreadsheetAdmin
from core.admin.reports import catalogue_report_view, recheck_view
from core.admin.sourced import (
    CitationInline,
    HistoryAdmin,
    PublishableAdmin,
    SourcedAdmin,
    SourcedTypeFilter,
)

__all__ = [
    "CitationInline",
    "HistoryAdmin",
    "ImportRecordAdmin",
    "PublishableAdmin",
    "SourcedAdmin",
    "SourcedTypeFilter",
    "SpreadsheetAdmin",
    "catalogue_report_view",
    "recheck_view",
]
