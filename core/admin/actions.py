"""The page an admin action shows before it applies (a reason, a time, pages' titles, the one
to keep): the admin's frame, the chosen rows' keys and the action's form, on
admin/core/action_page.html."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse


def action_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    template: str,
    title: str,
    form: forms.Form,
    **context: Any,
) -> TemplateResponse:
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": model_admin.opts,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": model_admin.media + form.media,
            **context,
        },
    )
