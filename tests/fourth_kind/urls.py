"""The site's URLs with the fourth kind's pages, as the new app's URLs would add them."""

from django.shortcuts import get_object_or_404, render
from django.urls import include, path

from core.cache import whole_page
from core.views import comparison_urls
from portal.urls import urlpatterns as site_urlpatterns
from tests.fourth_kind.models import Bootcamp


@whole_page()
def bootcamp_list(request):
    return render(request, "fourth_kind/bootcamp.html", {"bootcamps": Bootcamp.objects.published()})


@whole_page()
def bootcamp_detail(request, slug):
    bootcamp = get_object_or_404(Bootcamp.objects.published(), slug=slug)
    return render(request, "fourth_kind/bootcamp.html", {"bootcamps": [bootcamp]})


bootcamp_patterns = (
    [
        path("", bootcamp_list, name="list"),
        *comparison_urls("bootcamps"),
        path("<slug:slug>/", bootcamp_detail, name="detail"),
    ],
    "bootcamps",
)

urlpatterns = [path("bootcamps/", include(bootcamp_patterns)), *site_urlpatterns]
handler500 = "portal.views.server_error"
