"""Reviews' e-mail confirmation: a signed link, sent through the configured e-mail backend."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse

SALT = "programs.review.confirm-email"


def confirmation_token(review):
    return signing.dumps({"review": review.pk, "email": review.email}, salt=SALT)


def review_from_token(token, reviews):
    """The review a token confirms, or None if the token is forged, altered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.REVIEW_CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return reviews.filter(pk=data.get("review"), email=data.get("email")).first()


def send_confirmation(request, review):
    link = request.build_absolute_uri(
        reverse("reviews:confirm", kwargs={"token": confirmation_token(review)})
    )
    send_mail(
        subject=f"Confirm your review of {review.program.title}",
        message=(
            f"Thank you for reviewing {review.program.title} at "
            f"{review.program.institution.name}.\n\n"
            f"Please confirm this is your e-mail address by opening this link:\n{link}\n\n"
            "Confirmed reviews carry a “confirmed e-mail” mark. Every review is read by a "
            "moderator before it is published.\n\n"
            "If you did not write a review, ignore this message."
        ),
        from_email=None,
        recipient_list=[review.email],
    )
