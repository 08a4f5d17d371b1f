"""Who is asking: the visitor's address, behind the proxies the site is told to trust.

Every per-address rule (the review and report limits, report counting, the admin lock-out)
reads `client_address(request)`. `X-Forwarded-For` is believed only when the connection
itself comes from a trusted proxy (`DJANGO_TRUSTED_PROXIES`), and then only up to the first
address, from the right, that no trusted proxy wrote: anything further left was sent by the
visitor and can be forged.
"""

import ipaddress
from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def parse_networks(values: Iterable[str]) -> list[IPv4Network | IPv6Network]:
    """`["10.0.0.1", "172.16.0.0/12"]` → networks; a value that is not one stops the start-up."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"DJANGO_TRUSTED_PROXIES: “{value}” is not an address or a network "
                "(write e.g. 10.0.0.5 or 10.0.0.0/24, separated by commas)."
            ) from None
    return networks


def _address(text):
    try:
        return ipaddress.ip_address(text.strip().removeprefix("[").split("]")[0])
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the connection itself comes from one of the trusted proxies."""
    return _trusted(_address(request.META.get("REMOTE_ADDR", "")), settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address as text, or None when the request has none (a request built in
    code); also django-axes' AXES_CLIENT_IP_CALLABLE."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    networks = settings.TRUSTED_PROXIES
    if not _trusted(remote, networks):
        return str(remote) if remote is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            # A trusted proxy writes addresses; anything else came from the visitor's side.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def exposed_bind(bind: str, networks: Iterable[IPv4Network | IPv6Network]) -> bool:
    """Whether a server bound to `bind` (gunicorn's form: host:port, [v6]:port, unix:path)
    may be reached by more than this machine while proxies are trusted. Then a client that
    reaches the port without the proxy, from an address in `networks`, names any visitor it
    likes in X-Forwarded-For: only the proxy may reach the port."""
    if not networks or bind.startswith(("unix:", "fd://")):
        return False
    host = bind.rpartition(":")[0] if ":" in bind else bind
    host = host.strip("[]")
    if host == "localhost":
        return False
    address = _address(host)
    return address is None or not address.is_loopback
