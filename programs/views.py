from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from core.cache import cached, public_or_preview, whole_page
from core.listing import listing_context
from programs.filters import ProgramFilter
from programs.models import Institution, Program


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


@whole_page()
def institution_detail(request, slug):
    """A university: where it is, its accreditation, its programs. Public while it has a
    published program; staff also see it with drafts."""
    programs = Program.objects.visible_to(request.user).for_listing().order_by("title", "pk")

    def read():
        found = (
            Institution.objects.filter(slug=slug)
            .prefetch_related("accreditations__accreditor", Prefetch("programs", queryset=programs))
            .first()
        )
        return found if found is not None and found.programs.all() else None

    if request.user.is_staff:
        institution = read()
    else:
        institution = cached(f"detail:institution:{slug[:200]}", read)
    if institution is None:
        raise Http404("No university here.")
    return render(
        request,
        "programs/institution_detail.html",
        {"institution": institution, "programs": institution.programs.all()},
    )
