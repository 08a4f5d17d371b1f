"""Readers' corrections, decided one by one or accepted together."""

import copy
import re
from datetime import date
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

from core import correctable, corrections
from core.admin.actions import action_page
from core.facts import SourcedModel
from core.models import (
    Citation,
    Correction,
    Source,
    prefetch_citations,
)


class CorrectionDecisionForm(forms.ModelForm):
    """An editor's decision on a correction: accept (the value to write, the page's title,
    publisher and dates) or reject (a reason)."""

    decision = forms.ChoiceField(
        choices=[
            ("", "Not yet"),
            ("accept", "Accept: write the value below and cite the page"),
            ("reject", "Reject, for the reason below"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    source_title = forms.CharField(
        required=False,
        max_length=300,
        help_text="The page's title, as printed. Filled in when the page is already a source.",
    )
    source_publisher = forms.CharField(
        required=False, max_length=200, help_text="Who publishes the page."
    )
    as_of = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        help_text=Citation._meta.get_field("as_of").help_text,
    )
    checked_on = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        help_text="The day you read the page and found the value there.",
    )

    class Meta:
        model = Correction
        fields = ["rejection_reason"]

    target = None  # the model field the accepted value goes into, if any

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        decision = data.get("decision")
        correction = self.instance
        if decision == "reject" and not data.get("rejection_reason"):
            self.add_error("rejection_reason", "Choose a reason to reject a correction.")
        if decision != "accept" or self.target is None:
            return data
        if not data.get("checked_on"):
            self.add_error("checked_on", "Give the day you read the page.")
        known = Source.objects.filter(url=correction.source_url).exists()
        if not known and not (data.get("source_title") and data.get("source_publisher")):
            self.add_error("source_title", "Give the page's title and publisher to cite it.")
        if "new_value" in self.errors:
            return data
        if data.get("new_value") in (None, "", []):
            self.add_error("new_value", "Give the value to write, as the page states it.")
            return data
        # The entry's own rules, as its admin form applies them, before anything is written.
        entry = type(correction.entry)._default_manager.get(pk=correction.object_id)
        setattr(entry, self.target.attname, data.get("new_value"))
        try:
            entry.full_clean()
        except ValidationError as error:
            messages_ = error.message_dict if hasattr(error, "error_dict") else {}
            problems = [
                f"{name}: {' '.join(text)}" if name != self.target.name else " ".join(text)
                for name, text in messages_.items()
            ] or error.messages
            self.add_error("new_value", problems)
        return data


class InstitutionFilter(admin.SimpleListFilter):
    title = "sent by"
    parameter_name = "sent_by"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("institution", "The institution"), ("readers", "Readers")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "institution":
            return queryset.exclude(confirmed_by="")
        if self.value() == "readers":
            return queryset.filter(confirmed_by="")
        return queryset


class BulkAcceptForm(forms.Form):
    """For each page the chosen corrections cite: its title, publisher and as-of date."""

    checked_on = forms.DateField(
        label="Day you read these pages",
        widget=AdminDateWidget,
        initial=timezone.localdate,
    )

    def __init__(self, *args, pages, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pages = []
        for n, url in enumerate(pages):
            known = Source.objects.filter(url=url).first()
            self.fields[f"title_{n}"] = forms.CharField(
                label="Title", max_length=300, initial=known.title if known else ""
            )
            self.fields[f"publisher_{n}"] = forms.CharField(
                label="Publisher", max_length=200, initial=known.publisher if known else ""
            )
            self.fields[f"as_of_{n}"] = forms.DateField(
                label="As of", required=False, widget=AdminDateWidget
            )
            self.pages.append((url, self[f"title_{n}"], self[f"publisher_{n}"], self[f"as_of_{n}"]))

    def page(self, url: str) -> tuple[str, str, date | None]:
        """(title, publisher, as of) given for `url`."""
        for n, (known, *_rest) in enumerate(self.pages):
            if known == url:
                data = self.cleaned_data
                return data[f"title_{n}"], data[f"publisher_{n}"], data[f"as_of_{n}"]
        raise KeyError(url)


def accept_one(correction: Correction, form: "BulkAcceptForm", editor: Any, site: str) -> str:
    """Accept one correction of a bulk acceptance; the reason it cannot be, or ""."""
    model = correction.content_type.model_class()
    target = corrections.writable_field(model, correction.field) if model else None
    if correction.entry is None:
        return "its entry was deleted."
    if target is None:
        return "it is not a single fact: change the entry by hand, then accept it on its page."
    value = suggested_value(target, correction.value)
    if value is None:
        return f"“{correction.value}” is not a value of this fact: accept it on its page."
    title, publisher, as_of = form.page(correction.source_url)
    try:
        with transaction.atomic():
            source = corrections.source_for(correction.source_url, title, publisher)
            corrections.accept(
                correction,
                editor,
                site,
                value=value,
                source=source,
                as_of=as_of,
                checked_on=form.cleaned_data["checked_on"],
            )
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def suggested_value(model_field: Any, text: str) -> Any:
    """The suggestion as the field's value, where it reads as one ("$48,000 a year" → 48000
    for a number); None where it does not, for the editor to type."""
    attempts = [text.strip()]
    if isinstance(model_field, (models.DecimalField, models.IntegerField)):
        number = re.search(r"\d[\d,]*(\.\d+)?", text)
        attempts += [number.group().replace(",", "")] if number else []
    for attempt in attempts:
        try:
            value = model_field.to_python(attempt)
            model_field.run_validators(value)
            return value
        except (ValidationError, ValueError, TypeError):
            continue
    return None


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Readers' and institutions' corrections: what the page says now beside what is
    suggested, the page to open, and a decision (core.corrections)."""

    list_display = ["about", "current", "value", "page", "sent_by", "status", "created_at"]
    list_filter = ["status", "content_type", "relationship", InstitutionFilter]
    list_select_related = ["content_type"]
    form = CorrectionDecisionForm
    actions = ["accept_selected"]
    readonly_fields = [
        "about",
        "current",
        "value",
        "page",
        "relationship",
        "email",
        "created_at",
        "status",
        "decided",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # corrections come from the public form

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # A proposal's changes side by side: ?batch=<its id>, linked from each of them.
        return lookup == "batch" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="sent by")
    def sent_by(self, correction: Correction) -> str:
        if not correction.confirmed_by:
            return correction.get_relationship_display() or "a reader"
        changelist = reverse("admin:portal_correction_changelist")
        return format_html(
            '{} (the institution, by its signed link); <a href="{}?batch={}">the whole '
            "proposal</a>",
            correction.confirmed_by,
            changelist,
            correction.batch,
        )

    @admin.action(permissions=["change"], description="Accept selected corrections…")
    def accept_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Accept many at once (all of a proposal, or part): the title and publisher of each
        page given, once, then each value is written and cited, or said why not."""
        chosen = list(queryset.filter(status=Correction.Status.PENDING))
        pages = sorted({c.source_url for c in chosen})
        form = BulkAcceptForm(request.POST if "apply" in request.POST else None, pages=pages)
        if form.is_valid():
            accepted, problems = 0, []
            site = request.build_absolute_uri("/")
            for correction in chosen:
                problem = accept_one(correction, form, request.user, site)
                if problem:
                    problems.append(f"{correction}: {problem}")
                else:
                    accepted += 1
            self.message_user(request, f"{accepted} accepted.", messages.SUCCESS)
            for problem in problems:
                self.message_user(request, f"Not accepted: {problem}", messages.ERROR)
            return None
        return action_page(
            self,
            request,
            "admin/core/accept_corrections.html",
            "Accept corrections",
            form,
            corrections=chosen,
            rows=[(c, corrections.current_text(c)) for c in chosen],
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each entry with what its name and its facts read: no query per row.
        records = [
            model._default_manager.select_related(
                *getattr(model, "str_related", ())
            ).prefetch_related(*([prefetch_citations()] if issubclass(model, SourcedModel) else []))
            for model in apps.get_models()
            if correctable.kind_of(model) is not None
        ]
        return super().get_queryset(request).prefetch_related(GenericPrefetch("entry", records))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        decide = ["decision"]
        if obj is not None and corrections.writable_field(
            obj.content_type.model_class(), obj.field
        ):
            decide += ["new_value", "source_title", "source_publisher", "as_of", "checked_on"]
        decide.append("rejection_reason")
        return [
            ("The suggestion", {"fields": ["about", ("current", "value"), "page"]}),
            (
                "Who sent it",
                {"fields": ["relationship", "email", "created_at", "status", "decided"]},
            ),
            ("Your decision", {"fields": decide}),
        ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        target = (
            corrections.writable_field(obj.content_type.model_class(), obj.field) if obj else None
        )
        extra = {}
        if target is not None:
            entry = obj.entry
            extra["new_value"] = target.formfield(
                label="Value to write", required=False, initial=suggested_value(target, obj.value)
            )
            if entry is not None:
                extra[
                    "new_value"
                ].help_text = f"Now: {corrections.current_text(obj)}. Suggested: {obj.value}"
            source = Source.objects.filter(url=obj.source_url).first()
            base = CorrectionDecisionForm.base_fields
            for name, initial in [
                ("checked_on", timezone.localdate()),
                ("source_title", source.title if source else ""),
                ("source_publisher", source.publisher if source else ""),
            ]:
                extra[name] = copy.deepcopy(base[name])
                extra[name].initial = initial
        extra["target"] = target
        form = type("CorrectionDecision", (CorrectionDecisionForm,), extra)
        kwargs["fields"] = None
        return super().get_form(request, obj, change, form=form, **kwargs)

    @admin.display(description="about")
    def about(self, correction: Correction) -> str:
        entry = correction.entry
        if entry is None:
            return f"{correction.fact_label} of a deleted entry"
        return format_html(
            '{} of <a href="{}">{}</a>', correction.fact_label, entry.get_absolute_url(), entry
        )

    @admin.display(description="on the page now")
    def current(self, correction: Correction) -> str:
        return corrections.current_text(correction)

    @admin.display(description="the page that says so")
    def page(self, correction: Correction) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            correction.source_url,
            correction.source_url,
        )

    @admin.display(description="decided")
    def decided(self, correction: Correction) -> str:
        if correction.decided_at is None:
            return "—"
        who = correction.decided_by
        name = (who.get_full_name() or who.get_username()) if who else "—"
        return f"{name}, {format_date(timezone.localtime(correction.decided_at), 'j M Y, H:i')}"

    def save_model(self, request: HttpRequest, obj: Correction, form: Any, change: bool) -> None:
        decision = form.cleaned_data.get("decision")
        site = request.build_absolute_uri("/")
        if decision == "accept":
            data = form.cleaned_data
            source = None
            if form.target is not None:
                source = corrections.source_for(
                    obj.source_url, data["source_title"], data["source_publisher"]
                )
            corrections.accept(
                obj,
                request.user,
                site,
                value=data.get("new_value"),
                source=source,
                as_of=data.get("as_of"),
                checked_on=data.get("checked_on"),
            )
        elif decision == "reject":
            corrections.reject(obj, request.user, site, form.cleaned_data["rejection_reason"])

    def construct_change_message(  # type: ignore[override]  # a sentence, not a list
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> str:
        decision = form.cleaned_data.get("decision") or ""
        return {"accept": "Accepted.", "reject": "Rejected."}.get(decision, "No decision made.")
