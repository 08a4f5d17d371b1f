from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from programs.filters import SORTS, ProgramFilter
from programs.models import Program


def program_list(request):
    programs = Program.objects.published().for_listing().order_by(*SORTS["name"][1], "pk")
    filterset = ProgramFilter(request.GET, queryset=programs)
    paginator = Paginator(filterset.qs, settings.PROGRAMS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page of programs.") from None
    return render(
        request,
        "programs/program_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "programs": page.object_list,
            "ignored": filterset.ignored(),
            "is_filtered": any(
                key != "page" and any(values) for key, values in request.GET.lists()
            ),
        },
    )


def program_detail(request, slug):
    program = get_object_or_404(Program.objects.visible_to(request.user).for_detail(), slug=slug)
    return render(request, "programs/program_detail.html", {"program": program})
