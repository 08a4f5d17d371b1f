from django.urls import path

from core.views import comparison_urls
from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    *comparison_urls("programs"),
    path("<slug:slug>/", views.program_detail, name="detail"),
]

institution_patterns = (
    [path("<slug:slug>/", views.institution_detail, name="detail")],
    "institutions",
)
