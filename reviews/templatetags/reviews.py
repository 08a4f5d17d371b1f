"""The alumni reviews of a program, for its page: `{% load reviews %}{% program_reviews program %}`.

The program page belongs to the programs app, which knows nothing of reviews; its template
asks for them here. The page of reviews comes from the `reviews` query parameter.
"""

from django import template
from django.conf import settings
from django.core.paginator import InvalidPage
from django.http import Http404

from core.cache import cached
from reviews.forms import ReportForm

register = template.Library()


@register.inclusion_tag("reviews/_program_reviews.html", takes_context=True)
def program_reviews(context, program):
    number = context["request"].GET.get("reviews", "1")
    try:
        reviews = cached(
            f"reviews:{program.pk}:{number[:20]}",
            lambda: program.reviews.page(number, settings.REVIEWS_PER_PAGE, program.review_count),
        )
    except InvalidPage:
        raise Http404("No such page of reviews.") from None
    for review in reviews:
        # Each review's report form has its own field ids on the page.
        review.report_form = ReportForm(auto_id=f"id_report_{review.pk}_%s")
    # The report forms need the page's CSRF token; {% querystring %} needs the request.
    return {
        "program": program,
        "reviews": reviews,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
