import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core import ratelimit
from core.cache import whole_page
from programs.models import Institution, Program
from programs.representatives import representative_from
from reviews.confirmation import (
    queue_confirmation_again,
    review_from_token,
    send_confirmation,
)
from reviews.forms import ReplyForm, ReportForm, ResendForm, ReviewForm
from reviews.models import Review, ReviewReply

logger = logging.getLogger(__name__)


def too_many(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, {**context, "too_many": True})
    response.status_code = 429
    return response


def not_saved(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form again, with what the visitor typed, when the database could not store it."""
    response = render(request, template, {**context, "not_saved": True})
    response.status_code = 503
    response["Retry-After"] = "30"
    return response


def review_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The review form. With the database down it comes back, whatever failed (finding the
    program, checking the text, storing it), with what the reviewer typed and a message."""
    context: dict[str, Any] = {"program": None}
    try:
        program = get_object_or_404(
            Program.objects.published().select_related("institution"), slug=slug
        )
        context["program"] = program
        context["form"] = form = ReviewForm(request.POST or None, program=program)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                if not ratelimit.allow(request, "review", settings.REVIEW_SUBMISSIONS_PER_HOUR):
                    return too_many(request, "reviews/review_form.html", context)
                if not form.is_bot:
                    # The e-mail is queued with the review; send_queued_email sends it.
                    send_confirmation(request, form.save())
            messages.success(
                request,
                format_html(
                    "Thank you: your review was received. A moderator reads every review before "
                    "it is published. We are sending you an e-mail with a link to confirm your "
                    'address; if it does not arrive, <a href="{}">ask for it again</a>.',
                    reverse("reviews:resend"),
                ),
            )
            # The page's top, where the thank-you message shows.
            return redirect(program.get_absolute_url())
    except DatabaseError:
        if request.method != "POST":
            raise
        logger.exception("A review could not be stored.")
        # What was typed, shown again unchecked: the checks need the database too.
        context["form"] = ReviewForm(initial=request.POST.dict(), program=context["program"])
        return not_saved(request, "reviews/review_form.html", context)
    return render(request, "reviews/review_form.html", context)


def review_confirm(request: HttpRequest, token: str) -> HttpResponse:
    review = review_from_token(token, Review.objects.select_related("program"))
    if review is None:
        response = render(request, "reviews/review_confirm.html", {"invalid": True})
        response.status_code = 400
        return response
    if request.method == "POST" and review.email_confirmed_at is None:
        review.email_confirmed_at = timezone.now()
        review.save(update_fields=["email_confirmed_at"])
    return render(request, "reviews/review_confirm.html", {"review": review})


def review_resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again, to an address that wrote an unconfirmed review.

    The answer is the same whether or not the address wrote one, so the page cannot be used
    to learn who reviewed what.
    """
    form = ResendForm(request.POST or None)
    context = {"form": form, "link_days": settings.REVIEW_CONFIRMATION_MAX_AGE // (24 * 3600)}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if not ratelimit.allow(request, "resend", settings.REVIEW_RESENDS_PER_HOUR):
                    return too_many(request, "reviews/review_resend.html", context)
                # The same work for any address: what to send is worked out after the answer.
                queue_confirmation_again(request, form.cleaned_data["email"])
        except DatabaseError:
            logger.exception("A confirmation e-mail could not be queued again.")
            return not_saved(request, "reviews/review_resend.html", context)
        return render(request, "reviews/review_resend.html", {**context, "sent": True})
    return render(request, "reviews/review_resend.html", context)


@require_POST
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader's report. With the database down the form comes back with what they typed."""
    form = ReportForm(request.POST)
    context = {"review": None, "form": form}
    try:
        context["review"] = review = get_object_or_404(Review.objects.public(), pk=pk)
        if not form.is_valid():
            return render(request, "reviews/review_report.html", context)
        with transaction.atomic():
            if not ratelimit.allow(request, "report", settings.REVIEW_REPORTS_PER_HOUR):
                return too_many(request, "reviews/review_report.html", context)
            review.report(
                form.cleaned_data["reason"],
                reporter=ratelimit.visitor_key(request),
                details=form.cleaned_data["details"],
            )
    except DatabaseError:
        logger.exception("A report could not be stored.")
        return not_saved(request, "reviews/review_report.html", context)
    messages.success(request, "Thank you: your report is stored, and the moderators will see it.")
    return redirect(review.program.get_absolute_url() + f"#review-{review.pk}")


@whole_page()
def review_policy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reviews/review_policy.html",
        {
            "rejections": Review.rejections_by_reason(),
            "approved_count": Review.objects.public().count(),
            "min_for_average": settings.REVIEW_MIN_FOR_AVERAGE,
            "reports_to_requeue": settings.REVIEW_REPORTS_TO_REQUEUE,
        },
    )


def review_replies(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The reviews of an institution's programs, for its representative (a signed link) to
    reply to; each reply waits for a moderator before it is shown beneath its review."""
    institution = get_object_or_404(Institution.objects.listed(), slug=slug)
    representative = representative_from(token, institution)
    template = "reviews/review_replies.html"
    context = {"institution": institution, "representative": representative, "token": token}
    if representative is None:
        response = render(request, template, context)
        response.status_code = 400
        return response
    reviews = (
        Review.objects.public()
        .filter(program__institution=institution)
        .select_related("program", "reply")
        .order_by("program__title", "-moderated_at", "-pk")
    )
    context["reviews"] = reviews
    if request.method == "POST":
        review = get_object_or_404(reviews, pk=request.POST.get("review") or 0)
        form = ReplyForm(request.POST)
        context.update(failed=review.pk, failed_form=form)
        if ReviewReply.objects.filter(review=review).exists():
            form.add_error(None, "This review already has a reply.")
        elif form.is_valid():
            with transaction.atomic():
                if not ratelimit.allow(request, "reply", settings.REVIEW_SUBMISSIONS_PER_HOUR):
                    return too_many(request, template, context)
                ReviewReply.objects.create(
                    review=review, body=form.cleaned_data["body"], sent_by=representative.email
                )
            messages.success(
                request, "Thank you: your reply is stored. A moderator reads it before it is shown."
            )
            return redirect(request.path + f"#review-{review.pk}")
    context["form"] = ReplyForm()
    return render(request, template, context)
