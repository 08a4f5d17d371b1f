from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from careers.filters import CareerFilter, CertificationFilter
from careers.models import US_STATES, Career, Certification
from careers.payback import PaybackForm, tax_free_limit, work_out
from careers.structured import career_data, certification_data
from core import registry
from core.cache import public_or_preview, whole_page
from core.comparison import choose_items
from core.listing import listing_context
from programs.fit import Profile
from programs.models import Program


@whole_page(CareerFilter.query_params)
def career_list(request: HttpRequest) -> HttpResponse:
    careers = Career.objects.published().for_listing().order_by(*CareerFilter.default_ordering())
    filterset = CareerFilter(request.GET, queryset=careers)
    context = listing_context(request, filterset, settings.LIST_PAGE_SIZE)
    return render(request, "careers/career_list.html", context)


@whole_page(["state"])
def career_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A career's page; with `?state=Ohio`, its pay in that state beside the national pay."""
    career = public_or_preview(request, Career, slug)
    context = {
        "career": career,
        "states": US_STATES,
        "state": "",
        "state_pay": None,
        "structured_data": career_data(career, request.build_absolute_uri),
    }
    asked = request.GET.get("state", "").strip()
    if asked in US_STATES:
        context["state"] = asked
        context["state_pay"] = career.pay_in(asked)
    elif asked:
        context["state_ignored"] = asked[:60]
    return render(request, "careers/career_detail.html", context)


@whole_page(CertificationFilter.query_params)
def certification_list(request: HttpRequest) -> HttpResponse:
    certifications = (
        Certification.objects.published()
        .for_listing()
        .order_by(*CertificationFilter.default_ordering())
    )
    filterset = CertificationFilter(request.GET, queryset=certifications)
    context = listing_context(request, filterset, settings.LIST_PAGE_SIZE)
    return render(request, "careers/certification_list.html", context)


@whole_page()
def certification_detail(request: HttpRequest, slug: str) -> HttpResponse:
    certification = public_or_preview(request, Certification, slug)
    return render(
        request,
        "careers/certification_detail.html",
        {
            "certification": certification,
            "structured_data": certification_data(certification, request.build_absolute_uri),
        },
    )


def payback_form(request: HttpRequest, programs: list[Program]) -> PaybackForm:
    """The payback form for `programs`: the published careers they lead to first, then the
    others; bound once the reader has asked (their salary is in the query string)."""
    public = Career.objects.published().for_listing().order_by("title")
    leading = Q(program_links__program__in=programs) | Q(fields_of_study__programs__in=programs)
    careers = list(public.filter(leading).distinct())
    others = list(public.exclude(pk__in=[career.pk for career in careers]))
    initial = {"pace": Profile.from_session(request.session).pace or "part_time"}
    data = request.GET if "salary" in request.GET else None
    return PaybackForm(data, careers=careers, other_careers=others, initial=initial)


def program_payback(request: HttpRequest, slug: str) -> HttpResponse:
    """What the program costs the reader and how the target career pays it back."""
    program = public_or_preview(request, Program, slug)
    form = payback_form(request, [program])
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = work_out(
            program,
            form.chosen_career(),
            data["salary"],
            data["pace"],
            data["assistance"],
            data["state"],
        )
    return render(
        request,
        "careers/payback.html",
        {
            "program": program,
            "form": form,
            "result": result,
            "limit": tax_free_limit(),
            "leads_to": form.leads_to,
        },
    )


def compare_payback(request: HttpRequest) -> HttpResponse:
    """The payback of each compared program (?p=…), for one reader and one target career."""
    kind = registry.comparable("programs")
    programs, notices = choose_items(kind, kind.compared(), request.GET.getlist(kind.param))
    if not programs:
        raise Http404("No programs to compare.")
    form = payback_form(request, programs)
    results = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        career = form.chosen_career()
        results = [
            work_out(
                program, career, data["salary"], data["pace"], data["assistance"], data["state"]
            )
            for program in programs
        ]
    return render(
        request,
        "careers/compare_payback.html",
        {
            "programs": programs,
            "notices": notices,
            "form": form,
            "results": results,
            "limit": tax_free_limit(),
            "query": urlencode([(kind.param, program.slug) for program in programs]),
            "hidden": [(kind.param, program.slug) for program in programs],
        },
    )
