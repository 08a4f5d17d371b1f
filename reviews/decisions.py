"""Telling a reviewer what the moderators decided, through the mail queue (core.mail).

An approved review's writer gets the link to it; a rejected one's gets the reason, in the
words of the published policy, and where to read that policy. The message is written in the
transaction of the decision, so a decision and its message are stored together or not at all.
"""

from django.urls import reverse

from core.mail import queue_email
from reviews.models import Review


def decision_email(review, site):
    """(subject, body) telling the writer of `review` its decision; `site` is the root URL."""
    site = site.rstrip("/")
    program = review.program
    where = f"{program.title} at {program.institution.name}"
    if review.status == Review.Status.APPROVED:
        link = f"{site}{program.get_absolute_url()}#review-{review.pk}"
        return (
            f"Your review of {program.title} is published",
            f"A moderator read your review “{review.title}” of {where} and approved it.\n\n"
            f"It is on the program's page now:\n{link}\n\n"
            "Thank you for helping other healthcare professionals choose.",
        )
    policy = f"{site}{reverse('reviews:policy')}"
    return (
        f"Your review of {program.title} was not published",
        f"A moderator read your review “{review.title}” of {where} and did not publish "
        f"it, for this reason:\n\n  {review.get_rejection_reason_display()}\n\n"
        "Moderators judge conduct, never opinion: a critical review that keeps the rules is "
        f"published. The rules, and how many reviews each is applied to:\n{policy}\n\n"
        "You are welcome to write a new review that keeps them.",
    )


def tell_reviewer(request, review):
    """Queue the e-mail that tells the reviewer the decision just made on `review`."""
    if review.status not in (Review.Status.APPROVED, Review.Status.REJECTED):
        return
    subject, body = decision_email(review, request.build_absolute_uri("/"))
    queue_email(to=review.email, subject=subject, body=body)
