from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal import ratelimit
from portal.cache import cached, public_or_preview
from portal.listing import listing_context
from portal.views import comparison_csv, comparison_page
from programs.comparison import PROGRAMS
from programs.filters import ProgramFilter
from programs.forms import ReportForm, ReviewForm
from programs.models import Program, Review
from programs.reviews import review_from_token, send_confirmation


def program_list(request):
    programs = Program.objects.published().for_listing().order_by(*ProgramFilter.default_ordering())
    filterset = ProgramFilter(request.GET, queryset=programs)
    context = listing_context(request, filterset, settings.LIST_PAGE_SIZE)
    return render(request, "programs/program_list.html", context)


def program_compare(request):
    return comparison_page(request, PROGRAMS, Program.objects.published().for_comparison())


def program_compare_csv(request):
    return comparison_csv(request, PROGRAMS, Program.objects.published().for_comparison())


def program_detail(request, slug):
    program = public_or_preview(request, Program, slug)
    number = request.GET.get("reviews", "1")
    try:
        reviews = cached(
            f"reviews:{program.pk}:{number[:20]}",
            lambda: program.approved_reviews_page(number, settings.REVIEWS_PER_PAGE),
        )
    except InvalidPage:
        raise Http404("No such page of reviews.") from None
    for review in reviews:
        # Each review's report form has its own field ids on the page.
        review.report_form = ReportForm(auto_id=f"id_report_{review.pk}_%s")
    return render(request, "programs/program_detail.html", {"program": program, "reviews": reviews})


def too_many(request, template, context):
    response = render(request, template, {**context, "too_many": True})
    response.status_code = 429
    return response


def review_new(request, slug):
    program = get_object_or_404(
        Program.objects.published().select_related("institution"), slug=slug
    )
    form = ReviewForm(request.POST or None, program=program)
    context = {"program": program, "form": form}
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, "review", settings.REVIEW_SUBMISSIONS_PER_HOUR):
            return too_many(request, "programs/review_form.html", context)
        if not form.is_bot:
            with transaction.atomic():
                review = form.save()
            send_confirmation(request, review)
        messages.success(
            request,
            "Thank you: your review was received. A moderator reads every review before it is "
            "published. We have sent you an e-mail with a link to confirm your address.",
        )
        # The page's top, where the thank-you message shows.
        return redirect(program.get_absolute_url())
    return render(request, "programs/review_form.html", context)


def review_confirm(request, token):
    review = review_from_token(token, Review.objects.select_related("program"))
    if review is None:
        response = render(request, "programs/review_confirm.html", {"invalid": True})
        response.status_code = 400
        return response
    if request.method == "POST" and review.email_confirmed_at is None:
        review.email_confirmed_at = timezone.now()
        review.save(update_fields=["email_confirmed_at"])
    return render(request, "programs/review_confirm.html", {"review": review})


@require_POST
def review_report(request, pk):
    review = get_object_or_404(
        Review.objects.approved().filter(program__in=Program.objects.published()), pk=pk
    )
    form = ReportForm(request.POST)
    context = {"review": review, "form": form}
    if not form.is_valid():
        return render(request, "programs/review_report.html", context)
    if not ratelimit.allow(request, "report", settings.REVIEW_REPORTS_PER_HOUR):
        return too_many(request, "programs/review_report.html", context)
    # One address counts once per review, so nobody can send a review back alone.
    if ratelimit.first_time(request, f"report:{review.pk}"):
        review.report(form.cleaned_data["reason"], form.cleaned_data["details"])
    messages.success(request, "Thank you: the moderators will look at your report.")
    return redirect(review.program.get_absolute_url() + f"#review-{review.pk}")


def review_policy(request):
    return render(
        request,
        "programs/review_policy.html",
        {
            "rejections": Review.rejections_by_reason(),
            "approved_count": Review.objects.approved().count(),
            "min_for_average": settings.REVIEW_MIN_FOR_AVERAGE,
            "reports_to_requeue": settings.REVIEW_REPORTS_TO_REQUEUE,
        },
    )
