import datetime

from django.core.management.base import BaseCommand

from core.spreadsheets import UPLOADS_KEPT_FOR, clear_old_uploads


class Command(BaseCommand):
    help = (
        "Remove spreadsheet uploads whose import preview was abandoned (neither confirmed nor "
        "cancelled) more than a day ago. Run it daily from cron; each new upload does it too."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=UPLOADS_KEPT_FOR.total_seconds() / 3600,
            help="Remove uploads older than this many hours (default: 24).",
        )

    def handle(self, *args, hours, **options) -> None:
        removed = clear_old_uploads(datetime.timedelta(hours=hours))
        self.stdout.write(f"{removed} abandoned upload{'' if removed == 1 else 's'} removed.")
