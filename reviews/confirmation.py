"""Reviews' e-mail confirmation: a signed, opaque link, sent through the mail queue.

The link carries the review's random confirmation key and a keyed hash of the address, signed
with a time stamp: nothing in it can be read back (no review number, no address), so an
access log that records it reveals nothing. Changing the review's address voids the link.
"""

import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from core.mail import queue_email

SALT = "programs.review.confirm-email"


def _address_hash(email):
    return salted_hmac(SALT, email.lower(), algorithm="sha256").hexdigest()[:24]


def confirmation_token(review):
    return signing.TimestampSigner(salt=SALT).sign(
        f"{review.confirmation_key}.{_address_hash(review.email)}"
    )


def review_from_token(token, reviews):
    """The review a token confirms, or None if the token is forged, altered or expired."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.REVIEW_CONFIRMATION_MAX_AGE
        )
    except signing.BadSignature:
        return None
    key, _, address_hash = value.partition(".")
    review = reviews.filter(confirmation_key=key).first() if key else None
    if review is None or not hmac.compare_digest(address_hash, _address_hash(review.email)):
        return None
    return review


def send_confirmation(request, review):
    """Queue the confirmation e-mail; it goes once the review's transaction commits."""
    link = request.build_absolute_uri(
        reverse("reviews:confirm", kwargs={"token": confirmation_token(review)})
    )
    resend = request.build_absolute_uri(reverse("reviews:resend"))
    days = settings.REVIEW_CONFIRMATION_MAX_AGE // (24 * 3600)
    queue_email(
        to=review.email,
        subject=f"Confirm your review of {review.program.title}",
        body=(
            f"Thank you for reviewing {review.program.title} at "
            f"{review.program.institution.name}.\n\n"
            f"Please confirm this is your e-mail address by opening this link:\n{link}\n\n"
            "Confirmed reviews carry a “confirmed e-mail” mark. Every review is read by a "
            "moderator before it is published.\n\n"
            f"The link works for {days} days; after that, ask for a new one at {resend}\n\n"
            "If you did not write a review, ignore this message."
        ),
    )
