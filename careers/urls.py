from django.urls import path

from careers import views
from core.views import comparison_urls

career_patterns = (
    [
        path("", views.career_list, name="list"),
        *comparison_urls("careers"),
        path("<slug:slug>/", views.career_detail, name="detail"),
    ],
    "careers",
)

certification_patterns = (
    [
        path("", views.certification_list, name="list"),
        *comparison_urls("certifications"),
        path("<slug:slug>/", views.certification_detail, name="detail"),
    ],
    "certifications",
)

# Under /programs/: what a program costs a reader and pays back (careers.payback).
payback_patterns = [
    path("compare/payback/", views.compare_payback, name="compare_payback"),
    path("<slug:slug>/payback/", views.program_payback, name="program_payback"),
]
