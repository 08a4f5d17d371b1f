from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("compare/", views.program_compare, name="compare"),
    path("compare.csv", views.program_compare_csv, name="compare_csv"),
    path("<slug:slug>/", views.program_detail, name="detail"),
]
