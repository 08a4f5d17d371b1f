from django.conf import settings
from django.core.management.base import BaseCommand

from core.clients import exposed_bind


class Command(BaseCommand):
    help = (
        "Warn (without stopping anything) when the server would listen beyond this machine "
        "while DJANGO_TRUSTED_PROXIES is set. `make serve` runs it with its BIND."
    )

    def add_arguments(self, parser):
        parser.add_argument("bind", help="The address the server binds, as gunicorn's --bind.")

    def handle(self, *args, bind, **options):
        if exposed_bind(bind, settings.TRUSTED_PROXIES):
            proxies = ", ".join(str(network) for network in settings.TRUSTED_PROXIES)
            self.stderr.write(
                f"WARNING: the portal listens on {bind}, beyond this machine, and trusts "
                f"X-Forwarded-For from {proxies}. Only the proxy may reach this port: "
                "firewall it (or bind 127.0.0.1 with the proxy on this machine), or anyone "
                "connecting from a trusted address can choose the visitor address that the "
                "review limits and the admin lock-out count."
            )
