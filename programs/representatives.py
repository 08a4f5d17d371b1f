"""Institutions update their own listings, through signed links rather than accounts.

A representative gives an address on the institution's own domain (the domain of its website,
`on_domain`); a signed, opaque link is sent there (`link_for`), and opening it is the proof that
they read that mailbox. For `settings.REPRESENTATIVE_LINK_MAX_AGE` it lets them propose changes
to the institution's programs (each changed fact with a page on the same domain) and reply to
reviews of them; editors and moderators decide before anything is public.

Why links and not staff accounts limited to one institution: nobody has a password to keep or
lose, nothing is left to revoke when someone leaves (the link expires; each new one needs the
mailbox again), editors create no accounts, and the admin stays for the portal's own staff (it
has no per-institution permissions to hold an account to one listing).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from core.mail import queue_email
from programs.models import Representative

SALT = "programs.representative-link"
# Second-level suffixes under which a university's own domain is one label deeper.
DEEP_SUFFIXES = {"ac.uk", "edu.au", "ac.nz", "edu.sg", "ac.jp", "edu.hk", "ac.in", "edu.cn"}


def registrable(host):
    """The institution-wide domain of a host: "www.med.harbor.edu" → "harbor.edu"."""
    labels = (host or "").lower().rstrip(".").split(".")
    if len(labels) < 2:
        return ""
    depth = 3 if ".".join(labels[-2:]) in DEEP_SUFFIXES else 2
    return ".".join(labels[-depth:])


def domain_of(website):
    return registrable(urlsplit(website or "").hostname or "")


def on_domain(host, website):
    """Whether `host` is the institution's domain (its website's) or under it."""
    domain = domain_of(website)
    host = (host or "").lower().rstrip(".")
    return bool(domain) and (host == domain or host.endswith("." + domain))


def email_on_domain(email, website):
    return on_domain(email.rpartition("@")[2], website)


def url_on_domain(url, website):
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and on_domain(parts.hostname, website)


def token_for(representative):
    return signing.TimestampSigner(salt=SALT).sign(representative.key)


def representative_from(token, institution):
    """The representative a link names for `institution`, or None: forged, altered, expired,
    or for another institution."""
    try:
        key = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.REPRESENTATIVE_LINK_MAX_AGE
        )
    except signing.BadSignature:
        return None
    found = Representative.objects.filter(key=key, institution=institution).first()
    if found is not None and found.confirmed_at is None:
        found.confirmed_at = timezone.now()
        found.save(update_fields=["confirmed_at"])
    return found


def send_link(request, institution, email):
    """Queue the signed link to `email` (in the caller's transaction)."""
    representative = Representative.objects.create(institution=institution, email=email)
    link = request.build_absolute_uri(
        reverse(
            "institutions:update",
            kwargs={"slug": institution.slug, "token": token_for(representative)},
        )
    )
    days = settings.REPRESENTATIVE_LINK_MAX_AGE // (24 * 3600)
    queue_email(
        to=email,
        subject=f"Update the listing of {institution.name}",
        body=(
            f"Someone, we hope you, asked to update the listing of {institution.name} on the "
            f"AI degree portal with this address.\n\nOpen this link to propose changes to its "
            f"programs and to reply to their reviews:\n{link}\n\n"
            f"It works for {days} days. Editors check each change against the page you give "
            "before it is published.\n\nIf you did not ask for it, ignore this message."
        ),
    )
    return representative
