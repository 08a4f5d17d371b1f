from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    # Under the program it reviews (a public address: keep it stable).
    path("programs/<slug:slug>/reviews/new/", views.review_new, name="new"),
    path("reviews/policy/", views.review_policy, name="policy"),
    path("reviews/resend/", views.review_resend, name="resend"),
    path("reviews/confirm/<str:token>/", views.review_confirm, name="confirm"),
    path("reviews/<int:pk>/report/", views.review_report, name="report"),
    path(
        "institutions/<slug:slug>/update/<str:token>/reviews/",
        views.review_replies,
        name="replies",
    ),
]
