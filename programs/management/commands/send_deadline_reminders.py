from django.core.management.base import BaseCommand

from programs.reminders import send_due


class Command(BaseCommand):
    help = (
        "Queue the deadline reminders due today (30 and 7 days before each deadline) and "
        "delete the addresses no reminder waits for. Run it once a day (cron, a systemd timer); "
        "send_queued_email sends what it queues."
    )

    def handle(self, *args, **options) -> None:
        counts = send_due()
        self.stdout.write(
            f"Deadline reminders: {counts['sent']} queued, {counts['deleted']} addresses deleted."
        )
