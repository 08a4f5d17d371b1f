from django.conf import settings
from django.shortcuts import get_object_or_404, render

from portal.listing import listing_context
from portal.views import comparison_csv, comparison_page
from programs.comparison import PROGRAMS
from programs.filters import ProgramFilter
from programs.models import Program


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
    program = get_object_or_404(Program.objects.visible_to(request.user).for_detail(), slug=slug)
    return render(request, "programs/program_detail.html", {"program": program})
