from django.urls import path

from core.views import comparison_urls
from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    *comparison_urls("programs"),
    path("deadlines.ics", views.deadlines_ics, name="deadlines_ics"),
    path("<slug:slug>/", views.program_detail, name="detail"),
    path("<slug:slug>/deadline.ics", views.deadline_ics, name="deadline_ics"),
]

institution_patterns = (
    [path("<slug:slug>/", views.institution_detail, name="detail")],
    "institutions",
)

fit_patterns = [
    path("", views.fit_page, name="fit"),
    path("forget/", views.fit_forget, name="fit_forget"),
]
