"""The catalogue report, and checking a source again."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from core.facts import SourcedModel
from core.models import (
    Citation,
)
from core.quality import catalogue_report, check_again


def recheck_view(request: HttpRequest) -> HttpResponse:
    """“Checked again today, still true”, for one fact (`recheck_citation`) or for every fact
    of an entry (`recheck_entry`, "content type:pk"); from the catalogue report or the entry's
    admin page, back to where it was asked. Needs the right to change the entry."""
    if request.method != "POST":
        raise PermissionDenied
    citations = Citation.objects.select_related("content_type")
    if request.POST.get("recheck_citation", "").isdigit():
        citations = citations.filter(pk=request.POST["recheck_citation"])
    else:
        content_type, _, pk = request.POST.get("recheck_entry", "").partition(":")
        if not (content_type.isdigit() and pk.isdigit()):
            raise Http404("Nothing to check.")
        citations = citations.filter(content_type_id=int(content_type), object_id=int(pk))
    found = list(citations)
    if not found:
        raise Http404("No such fact.")
    model = found[0].content_type.model_class()
    if model is None or not request.user.has_perm(
        f"{model._meta.app_label}.change_{model._meta.model_name}"
    ):
        raise PermissionDenied
    as_of = None
    if request.POST.get("as_of"):
        field = forms.DateField()
        try:
            as_of = field.clean(request.POST["as_of"])
        except ValidationError:
            messages.error(
                request, "The new as-of date is not a date (YYYY-MM-DD): nothing changed."
            )
            return redirect(back_to(request))
    count = check_again(found, request.user, as_of)
    record = found[0].content_object
    messages.success(
        request,
        ngettext(
            "%(count)d fact of “%(record)s” checked again today.",
            "%(count)d facts of “%(record)s” checked again today.",
            count,
        )
        % {"count": count, "record": record},
    )
    return redirect(back_to(request))


def back_to(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("catalogue_report")


def catalogue_report_view(request: HttpRequest) -> HttpResponse:
    """The editors' to-do list in the admin (core.quality); for staff who may view content."""
    kinds = [model for model in apps.get_models() if issubclass(model, SourcedModel)]
    if not any(
        request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        for model in kinds
    ):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "What the catalogue does not say yet",
        "report": catalogue_report(),
    }
    return TemplateResponse(request, "admin/core/catalogue_report.html", context)
