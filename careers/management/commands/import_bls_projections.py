import datetime

from django.core.management.base import CommandError

from careers import bls
from careers.management.commands._bls import BlsImportCommand


class Command(BlsImportCommand):
    help = (
        "Set each career's ten-year outlook (percent change in employment, openings a year) "
        "from table 1.2 of BLS's Employment Projections workbook (occupation.xlsx, from "
        "https://www.bls.gov/emp/tables.htm), each figure cited to BLS as of the day it was "
        "released."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--released",
            required=True,
            help="The day BLS released these projections, as its release page says "
            "(2025-08-28 for 2024–34): the figures are cited as of that day.",
        )

    def read(self, file, released, **options):
        try:
            day = datetime.date.fromisoformat(released)
        except ValueError:
            raise CommandError(
                f"--released: “{released}” is not a date such as 2025-08-28."
            ) from None
        return bls.read_projections(file, day)
