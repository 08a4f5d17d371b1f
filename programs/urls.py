from django.urls import path

from core.views import comparison_urls
from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    *comparison_urls("programs"),
    path("<slug:slug>/", views.program_detail, name="detail"),
    path("<slug:slug>/reviews/new/", views.review_new, name="review_new"),
]

review_patterns = (
    [
        path("policy/", views.review_policy, name="policy"),
        path("resend/", views.review_resend, name="resend"),
        path("confirm/<str:token>/", views.review_confirm, name="confirm"),
        path("<int:pk>/report/", views.review_report, name="report"),
    ],
    "reviews",
)
