from django.conf import settings
from django.shortcuts import render

from core.cache import public_or_preview, whole_page
from core.listing import listing_context
from programs.filters import ProgramFilter
from programs.models import Program


@whole_page(ProgramFilter.query_params)
def program_list(request):
    programs = Program.objects.published().for_listing().order_by(*ProgramFilter.default_ordering())
    filterset = ProgramFilter(request.GET, queryset=programs)
    context = listing_context(request, filterset, settings.LIST_PAGE_SIZE)
    return render(request, "programs/program_list.html", context)


# `reviews` is the page of alumni reviews, which the reviews app shows on the page.
@whole_page(("reviews",))
def program_detail(request, slug):
    program = public_or_preview(request, Program, slug)
    return render(request, "programs/program_detail.html", {"program": program})
