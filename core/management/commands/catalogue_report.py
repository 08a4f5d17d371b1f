from django.core.management.base import BaseCommand

from core.quality import catalogue_report, report_lines


class Command(BaseCommand):
    help = (
        "The editors' to-do list: facts missing per entry, figures older than "
        "DJANGO_STALE_AFTER_MONTHS (18), citations whose source has no URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, help="Older than this many months is stale.")

    def handle(self, *args, months=None, **options):
        for line in report_lines(catalogue_report(stale_after_months=months)):
            self.stdout.write(line)
