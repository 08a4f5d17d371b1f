from django.urls import path

from careers import views

career_patterns = (
    [
        path("", views.career_list, name="list"),
        path("compare/", views.career_compare, name="compare"),
        path("compare.csv", views.career_compare_csv, name="compare_csv"),
        path("<slug:slug>/", views.career_detail, name="detail"),
    ],
    "careers",
)

certification_patterns = (
    [
        path("", views.certification_list, name="list"),
        path("compare/", views.certification_compare, name="compare"),
        path("compare.csv", views.certification_compare_csv, name="compare_csv"),
        path("<slug:slug>/", views.certification_detail, name="detail"),
    ],
    "certifications",
)
