from django.conf import settings
from django.shortcuts import render

from careers.filters import CareerFilter, CertificationFilter
from careers.models import Career, Certification
from core.cache import public_or_preview, whole_page
from core.listing import listing_context


@whole_page(CareerFilter.query_params)
def career_list(request):
    careers = Career.objects.published().for_listing().order_by(*CareerFilter.default_ordering())
    filterset = CareerFilter(request.GET, queryset=careers)
    context = listing_context(request, filterset, settings.LIST_PAGE_SIZE)
    return render(request, "careers/career_list.html", context)


@whole_page()
def career_detail(request, slug):
    career = public_or_preview(request, Career, slug)
    return render(request, "careers/career_detail.html", {"career": career})


@whole_page(CertificationFilter.query_params)
def certification_list(request):
    certifications = (
        Certification.objects.published()
        .for_listing()
        .order_by(*CertificationFilter.default_ordering())
    )
    filterset = CertificationFilter(request.GET, queryset=certifications)
    context = listing_context(request, filterset, settings.LIST_PAGE_SIZE)
    return render(request, "careers/certification_list.html", context)


@whole_page()
def certification_detail(request, slug):
    certification = public_or_preview(request, Certification, slug)
    return render(request, "careers/certification_detail.html", {"certification": certification})
