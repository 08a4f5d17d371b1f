from django.shortcuts import render

from careers.models import Career, Certification
from portal.models import Source, Statistic
from programs.models import Program


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "statistics": Statistic.objects.for_home(),
            "program_count": Program.objects.published().count(),
            "career_count": Career.objects.published().count(),
            "certification_count": Certification.objects.published().count(),
        },
    )


def about(request):
    return render(request, "portal/about.html", {"sources": Source.objects.all()})
