"""The site's URLs and one view that fails, to see how an error is logged."""

from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise ZeroDivisionError("a bug in a view")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
handler500 = "portal.views.server_error"
