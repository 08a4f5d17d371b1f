from django.urls import path

from core.views import comparison_urls
from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    *comparison_urls("programs"),
    path("deadlines.ics", views.deadlines_ics, name="deadlines_ics"),
    path("reminders/confirm/<str:token>/", views.reminder_confirm, name="reminder_confirm"),
    path("reminders/stop/<str:token>/", views.reminder_stop, name="reminder_stop"),
    path("<slug:slug>/", views.program_detail, name="detail"),
    path("<slug:slug>/deadline.ics", views.deadline_ics, name="deadline_ics"),
    path("<slug:slug>/remind/", views.reminder_request, name="reminder_request"),
]

institution_patterns = (
    [
        path("", views.institution_list, name="list"),
        path("<slug:slug>/", views.institution_detail, name="detail"),
        path("<slug:slug>/update/", views.institution_update_request, name="update_request"),
        path("<slug:slug>/update/<str:token>/", views.institution_update, name="update"),
        path(
            "<slug:slug>/update/<str:token>/programs/<slug:program>/",
            views.program_proposal,
            name="proposal",
        ),
    ],
    "institutions",
)

fit_patterns = [
    path("", views.fit_page, name="fit"),
    path("forget/", views.fit_forget, name="fit_forget"),
]
