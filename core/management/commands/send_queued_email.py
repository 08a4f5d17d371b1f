import time

from django.core.management.base import BaseCommand

from core.mail import retry_all_now, send_due


class Command(BaseCommand):
    help = (
        "Send the queued e-mails that are due (confirmation links), retrying failed ones. "
        "Run it every minute (cron, a systemd timer), or once with --loop beside the server."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Try every waiting message now, without waiting for its next attempt time "
            "(after the mail server is repaired).",
        )
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Keep running, sending what is due every SECONDS seconds.",
        )

    def handle(self, *args, loop=None, now=False, **options) -> None:
        if now:
            retry_all_now()
        while True:
            sent, waiting = send_due()
            if sent or waiting or options["verbosity"] > 1:
                self.stdout.write(f"{sent} sent, {waiting} not sent (will be tried again).")
            if not loop:
                return
            time.sleep(loop)
