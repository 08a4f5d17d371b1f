"""The catalogue as one file: every kind editors import, in the order they name each other."""

from pathlib import Path

from careers.resources import (
    CareerResource,
    CertificationResource,
    EmployerTypeResource,
    IssuingBodyResource,
    SkillResource,
    StatePayResource,
)
from core.spreadsheets import check_size, import_file
from programs.resources import (
    AccreditorResource,
    FieldOfStudyResource,
    InstitutionResource,
    ProgramResource,
    SpecializationResource,
)

KINDS = [
    (resource.sheet, resource)
    for resource in (
        AccreditorResource,
        FieldOfStudyResource,
        SpecializationResource,
        SkillResource,
        EmployerTypeResource,
        IssuingBodyResource,
        InstitutionResource,
        ProgramResource,
        CareerResource,
        StatePayResource,
        CertificationResource,
    )
]

# The real catalogue the portal ships, each fact cited to the page it comes from.
SHIPPED = Path(__file__).resolve().parent / "catalogue.xlsx"


def import_catalogue(path, dry_run=False, kind=None):
    """Import a file from disk, refused as the admin refuses an upload when it is too large."""
    path = Path(path)
    check_size(path.stat().st_size)
    return import_file(path.name, path.read_bytes(), KINDS, dry_run=dry_run, kind=kind)


def export_catalogue(path):
    """Every kind, a sheet each, and every source they cite in a Sources sheet."""
    from core.spreadsheets import XLSX, sources_dataset

    book, sources = [], {}
    for _, resource_class in KINDS:
        dataset = resource_class().export()
        for source in getattr(dataset, "sources", None) or []:
            sources[source["key"]] = source
        book.append(dataset)
    Path(path).write_bytes(XLSX().export_book(book, sources_dataset(sources.values())))
