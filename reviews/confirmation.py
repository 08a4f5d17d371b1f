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

from core.mail import queue_composed, queue_email
from reviews.models import Review

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


def confirmation_message(reviews, site):
    """(subject, body) of the e-mail that asks to confirm the address of `reviews` (one or a
    few, all written with it); `site` is the site's root URL."""
    days = settings.REVIEW_CONFIRMATION_MAX_AGE // (24 * 3600)
    resend = site.rstrip("/") + reverse("reviews:resend")
    links = [
        site.rstrip("/") + reverse("reviews:confirm", kwargs={"token": confirmation_token(review)})
        for review in reviews
    ]
    if len(reviews) == 1:
        review = reviews[0]
        subject = f"Confirm your review of {review.program.title}"
        opening = (
            f"Thank you for reviewing {review.program.title} at "
            f"{review.program.institution.name}.\n\n"
            f"Please confirm this is your e-mail address by opening this link:\n{links[0]}"
        )
    else:
        subject = "Confirm your reviews"
        opening = "Please confirm this is your e-mail address by opening each link:\n" + (
            "\n".join(
                f"- {review.program.title} ({review.program.institution.name}): {link}"
                for review, link in zip(reviews, links, strict=True)
            )
        )
    body = (
        f"{opening}\n\n"
        "Confirmed reviews carry a “confirmed e-mail” mark. Every review is read by a "
        "moderator before it is published.\n\n"
        f"The link works for {days} days; after that, ask for a new one at {resend}\n\n"
        "If you did not write a review, ignore this message."
    )
    return subject, body


def send_confirmation(request, review):
    """Queue the confirmation e-mail of a review being stored (in its transaction)."""
    subject, body = confirmation_message([review], request.build_absolute_uri("/"))
    queue_email(to=review.email, subject=subject, body=body)


RESEND = "reviews.confirmation-again"


def queue_confirmation_again(request, email):
    """Queue the confirmation link again for whatever reviews `email` wrote and has not
    confirmed. The request does the same work whether it wrote any: the message is composed
    (or dropped) when it is sent, outside the request (compose_confirmation_again)."""
    queue_composed(RESEND, email, site=request.build_absolute_uri("/"))


def compose_confirmation_again(email, context):
    """The message queue_confirmation_again asked for, or None if the address has no review
    awaiting confirmation."""
    reviews = list(Review.objects.awaiting_confirmation(email))
    return confirmation_message(reviews, context["site"]) if reviews else None
