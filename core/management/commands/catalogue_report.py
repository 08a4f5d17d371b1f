from django.core.management.base import BaseCommand

from core.quality import catalogue_report, coverage_lines, report_lines
from core.quality import coverage as coverage_tables


class Command(BaseCommand):
    help = (
        "The editors' to-do list: facts missing per entry, figures older than "
        "DJANGO_STALE_AFTER_MONTHS (18), citations whose source has no URL."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--months", type=int, help="Older than this many months is stale.")
        parser.add_argument(
            "--coverage",
            action="store_true",
            help="Instead: the share of published programs that report each key fact (a fact "
            "counts only with its source), as a Markdown table.",
        )

    def handle(self, *args, months=None, coverage=False, **options) -> None:
        lines = (
            coverage_lines(coverage_tables())
            if coverage
            else report_lines(catalogue_report(stale_after_months=months))
        )
        for line in lines:
            self.stdout.write(line)
