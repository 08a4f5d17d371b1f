from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from careers.urls import career_patterns, certification_patterns, payback_patterns
from core.admin import catalogue_report_view, recheck_view
from portal import views
from portal.api import api, not_an_endpoint
from portal.sitemaps import SITEMAPS
from programs.urls import fit_patterns, institution_patterns
from search import views as search_views

admin.site.site_header = "AI degree portal: editors and moderators"
admin.site.site_title = "AI degree portal admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("search/", search_views.search_page, name="search"),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("compare/tray/", views.tray_update, name="tray"),
    path(
        "corrections/<slug:kind>/<slug:slug>/",
        views.suggest_correction,
        name="suggest_correction",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("data/", views.data_page, name="data"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", not_an_endpoint),
    re_path(
        r"^data/(?P<name>[-a-z]+)\.(?P<format>csv|json)$",
        views.data_download,
        name="data_download",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("ping", views.ping, name="ping"),
    path("fit/", include(fit_patterns)),
    path("about/fit-and-payback/", views.fit_and_payback_explained, name="fit_explained"),
    path("programs/", include(payback_patterns)),
    path("programs/", include("programs.urls")),
    path("institutions/", include(institution_patterns)),
    path("", include("reviews.urls")),
    path("careers/", include(career_patterns)),
    path("certifications/", include(certification_patterns)),
    path(
        "admin/catalogue-report/",
        admin.site.admin_view(catalogue_report_view),
        name="catalogue_report",
    ),
    path(
        "admin/catalogue-report/recheck/",
        admin.site.admin_view(recheck_view),
        name="catalogue_recheck",
    ),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media_file, name="media")
    )

handler500 = "portal.views.server_error"
