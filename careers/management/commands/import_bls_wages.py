from careers import bls
from careers.management.commands._bls import BlsImportCommand


class Command(BlsImportCommand):
    help = (
        "Set each career's annual pay (10th percentile, median, 90th percentile) and national "
        "employment from BLS's OEWS national workbook (national_M2025_dl.xlsx, from "
        "https://www.bls.gov/oes/tables.htm), for the occupation its O*NET-SOC code belongs "
        "to, each figure cited to BLS."
    )

    def read(self, file, **options):
        return bls.read_wages(file)
