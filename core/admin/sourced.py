"""Editing what has sources: citations beside each fact, the history of every change,
publication, and the list filter by kind of record."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.translation import ngettext
from reversion import create_revision, set_comment, set_user
from reversion.admin import VersionAdmin
from reversion.models import Version

from core import history
from core.admin.actions import action_page
from core.facts import SourcedModel, format_money
from core.models import (
    Citation,
    Source,
    cite,
)
from core.publication import Publishable, Status


class CitationInlineFormSet(BaseGenericInlineFormSet):
    """Each fact cited at most once, and no fact saved with a value but without a source.

    The facts still without a source can all be cited to one source at once, through the
    record's form ("One source for the rest", SourcedAdminForm): the first save lists them,
    the second, confirmed, cites them.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        cited = []
        for form in self.forms:
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                cited.append(form.cleaned_data["field"])
        labels = dict(self.instance.sourced_field_choices())
        repeated = sorted({name for name in cited if cited.count(name) > 1})
        if repeated:
            raise ValidationError(
                "Each fact takes one source; these have several: "
                + ", ".join(str(labels[name]) for name in repeated)
                + "."
            )
        parent = getattr(self.instance, "_admin_form", None)
        data = parent.cleaned_data if parent is not None and hasattr(parent, "cleaned_data") else {}
        missing = [name for name in labels if self.holds(name, data) and name not in cited]
        if not missing:
            return
        listed = ", ".join(str(labels[name]) for name in missing)
        source, checked_on = data.get("cite_rest_with"), data.get("cite_rest_checked_on")
        as_of = data.get("cite_rest_as_of")
        if source and checked_on and data.get("cite_rest_confirmed"):
            note = data.get("cite_rest_note", "")
            self.instance._cite_rest = (missing, source, as_of, checked_on, note)
            return
        if source and checked_on:
            dated = f"as of {as_of:%-d %B %Y}" if as_of else "a page that states no date"
            raise ValidationError(
                f"These facts will cite “{source}” ({dated}, checked on "
                f"{checked_on:%-d %B %Y}): {listed}. Tick “Yes, cite these” under “One source "
                "for the rest” and save again."
            )
        raise ValidationError(
            f"These facts have a value but no source: {listed}. Add a source for each "
            "below, or choose one source for all of them under “One source for the rest”, "
            "or clear the value: a fact without a source is shown to readers as “not reported”."
        )

    def holds(self, name: str, data: dict[str, Any]) -> bool:
        """Whether fact `name` has a value in what is being saved (many-to-many: the form)."""
        if self.instance._meta.get_field(name).many_to_many and name in data:
            return bool(data[name])
        return self.instance.has_value(name)


class SourcedAdminForm(forms.ModelForm):
    """A record's form with "One source for the rest": one source and date for every fact
    that has a value but no source yet (CitationInlineFormSet lists them first)."""

    cite_rest_with = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        label="Source",
        help_text="Cite this source for every fact above that has a value but no source yet.",
    )
    cite_rest_as_of = forms.DateField(
        required=False,
        label="As of",
        help_text="The date the figures describe, as the page states it; empty if it states none.",
    )
    cite_rest_checked_on = forms.DateField(
        required=False,
        label="Checked on",
        help_text="The day you read the page and found the figures there.",
    )
    cite_rest_note = forms.CharField(
        required=False,
        max_length=300,
        label="Note",
        help_text="Optional: what readers should know about the figures' source.",
    )
    cite_rest_confirmed = forms.BooleanField(
        required=False,
        label="Yes, cite these",
        help_text="Tick once the list of facts shown at the top of the page is right.",
    )
    CITE_REST_FIELDS = [
        "cite_rest_with",
        "cite_rest_as_of",
        "cite_rest_checked_on",
        "cite_rest_note",
        "cite_rest_confirmed",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The sources formset reads this form's many-to-many values and "one source" choice.
        self.instance._admin_form = self
        self.fields["cite_rest_as_of"].widget = AdminDateWidget()
        self.fields["cite_rest_checked_on"].widget = AdminDateWidget()

    def clean(self) -> dict[str, Any] | None:
        cleaned_data = super().clean() or {}
        if cleaned_data.get("cite_rest_with") and not cleaned_data.get("cite_rest_checked_on"):
            self.add_error("cite_rest_checked_on", "Give the day you read the page.")
        return cleaned_data


class CitationInline(GenericTabularInline):
    """Sources of a record's figures, edited on the record itself."""

    model = Citation
    formset = CitationInlineFormSet  # type: ignore[assignment]  # a generic inline's formset
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["field", "source", "as_of", "checked_on", "note", "confirmed_on", "check_again"]
    readonly_fields = ["check_again"]
    verbose_name = "source of a figure"
    verbose_name_plural = "sources of the figures above (one per figure that has a value)"

    def get_formset(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["field"] = forms.ChoiceField(
            label="Figure",
            choices=[("", "---------"), *self.parent_model.sourced_field_choices()],
            help_text="Which figure this source supports.",
        )
        return formset

    @admin.display(description="still true?")
    def check_again(self, citation: Citation) -> str:
        """One click: the page still says so today (core.quality.check_again). A button of the
        entry's own form, sent to the check's address instead: unsaved changes are not kept."""
        if citation.pk is None:
            return "—"
        opts = self.parent_model._meta
        back = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[citation.object_id]
        )
        return format_html(
            '<button type="submit" formaction="{}?{}" formnovalidate name="recheck_citation" '
            'value="{}" title="Sets checked on to today; keeps as of">Checked again today'
            "</button>",
            reverse("catalogue_recheck"),
            urlencode({"next": back}),
            citation.pk,
        )


class HistoryAdmin(VersionAdmin):
    """Every save is a revision (core.history); the history page lists each version with the
    fields it changed, old → new, and restores one, inlines included, in one action."""

    object_history_template = "admin/core/object_history.html"

    def get_urls(self) -> list[URLPattern]:
        restore = path(
            "<path:object_id>/history/<int:version_id>/restore/",
            self.admin_site.admin_view(self.restore_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_restore",
        )
        return [restore, *super().get_urls()]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        versions = list(
            Version.objects.get_for_object_reference(self.model, object_id)
            .select_related("revision__user")
            .order_by("pk")
        )
        rows = []
        for n, version in enumerate(versions):
            inlines = history.inline_versions(version)
            rows.append(
                {
                    "version": version,
                    "revision": version.revision,
                    "changes": history.changes(version, versions[n - 1] if n else None),
                    "inlines": sorted({str(v._model._meta.verbose_name_plural) for v in inlines}),
                    "latest": n == len(versions) - 1,
                }
            )
        context = {"versions": list(reversed(rows)), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def restore_view(self, request: HttpRequest, object_id: str, version_id: str) -> HttpResponse:
        version = (
            Version.objects.get_for_object_reference(self.model, object_id)
            .filter(pk=version_id)
            .first()
        )
        obj = self.get_object(request, object_id)
        if version is None or obj is None:
            raise Http404("No such version.")
        if request.method != "POST" or not self.has_change_permission(request, obj):
            raise PermissionDenied
        history.restore(version, request.user)
        self.message_user(
            request,
            f"Restored “{obj}” as it was on {history.when(version.revision)}, with its "
            "sources, courses and other rows of that version.",
            messages.SUCCESS,
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)


class SourcedAdmin(HistoryAdmin):
    """Admin for a model with sourced facts: their sources are edited inline, and checked
    again in one click (one fact, or all of them, on the change page).

    Problems found across the whole form (a fact without a source) would otherwise be
    printed far below, under the inline; they are repeated at the top of the page.
    """

    form = SourcedAdminForm
    change_form_template = "admin/core/sourced_change_form.html"
    cite_rest_fieldset = (
        "One source for the rest",
        {"classes": ["collapse"], "fields": SourcedAdminForm.CITE_REST_FIELDS},
    )

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [*super().get_fieldsets(request, obj), self.cite_rest_fieldset]

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        pending = getattr(form.instance, "_cite_rest", None)
        if pending:
            names, source, as_of, checked_on, note = pending
            cite(form.instance, names, source, as_of, note, checked_on=checked_on)
            labels = dict(form.instance.sourced_field_choices())
            messages.success(
                request,
                f"Cited “{source}” for: " + ", ".join(str(labels[n]) for n in names) + ".",
            )

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        for inline in context.get("inline_admin_formsets", []):
            for error in inline.formset.non_form_errors():
                messages.error(request, error)
        return super().render_change_form(request, context, *args, **kwargs)


class PublishableAdmin(SourcedAdmin):
    """Admin for programs, careers and certifications: publication state at a glance."""

    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "published_at"
    publication_fieldset = (
        "Publication",
        {"fields": ["status", "published_at", "created_at", "updated_at"]},
    )

    sources_note = (
        "Each figure with a value needs a source in “sources of the figures” at the bottom of "
        "the page."
    )

    @classmethod
    def fact_fieldsets(cls, model: type[SourcedModel]) -> list[tuple[str, dict[str, Any]]]:
        """One fieldset per group of the model's declared facts (core.facts)."""
        return model.facts.fieldsets(description=cls.sources_note)

    actions = ["publish_now", "unpublish", "schedule"]

    def change_publication(
        self,
        request: HttpRequest,
        queryset: Iterable[Publishable],
        status: str,
        published_at: datetime.datetime | None,
        comment: str,
    ) -> int:
        """Give each entry of `queryset` a state and time, one save each (so every rule,
        cache retirement and the search index follow), as one revision. Returns the count."""
        changed = 0
        with create_revision():
            set_user(request.user)
            set_comment(comment)
            for entry in queryset:
                if (entry.status, entry.published_at) == (status, published_at):
                    continue
                entry.status, entry.published_at = status, published_at
                entry.save()
                changed += 1
        return changed

    @admin.action(permissions=["change"], description="Publish selected entries now")
    def publish_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self.change_publication(
            request, queryset, Status.PUBLISHED, timezone.now(), "Published now."
        )
        self.message_user(request, publication_message(count, "published now"), messages.SUCCESS)

    @admin.action(permissions=["change"], description="Unpublish selected entries (drafts)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self.change_publication(request, queryset, Status.DRAFT, None, "Unpublished.")
        self.message_user(
            request, publication_message(count, "made drafts again"), messages.SUCCESS
        )

    @admin.action(permissions=["change"], description="Schedule selected entries…")
    def schedule(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        entries = list(queryset)
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            when = form.cleaned_data["published_at"]
            count = self.change_publication(
                request, entries, Status.PUBLISHED, when, f"Scheduled for {when:%Y-%m-%d %H:%M}."
            )
            shown = format_date(timezone.localtime(when), "j M Y, H:i")
            self.message_user(
                request, publication_message(count, f"scheduled for {shown}"), messages.SUCCESS
            )
            return None
        return action_page(
            self,
            request,
            "admin/core/schedule.html",
            "Schedule entries",
            form,
            entries=entries,
        )

    @admin.display(description="publication", ordering="published_at")
    def publication_state(self, entry: Publishable) -> str:
        if entry.status != Status.PUBLISHED or entry.published_at is None:
            return "Draft"
        when = format_date(timezone.localtime(entry.published_at), "j M Y, H:i")
        if entry.published_at > timezone.now():
            return f"Scheduled for {when}"
        return f"Public since {when}"

    @staticmethod
    def money(amount: Decimal | None, currency: str = "USD") -> str:
        return format_money(amount, currency) if amount is not None else "—"


def publication_message(count: int, what: str) -> str:
    return ngettext("%(count)d entry %(what)s.", "%(count)d entries %(what)s.", count) % {
        "count": count,
        "what": what,
    }


class ScheduleForm(forms.Form):
    published_at = forms.SplitDateTimeField(
        label="Publication time",
        widget=AdminSplitDateTime,
        help_text="The entries become public at this minute, on every page.",
    )

    def clean_published_at(self) -> datetime.datetime:
        when = self.cleaned_data["published_at"]
        if when <= timezone.now():
            raise ValidationError("Choose a time to come; to publish now, use “Publish now”.")
        return when


class SourcedTypeFilter(admin.SimpleListFilter):
    title = "kind of record"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        sourced = [model for model in apps.get_models() if issubclass(model, SourcedModel)]
        types = ContentType.objects.get_for_models(*sourced)
        return [(str(types[model].pk), str(model._meta.verbose_name)) for model in sourced]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(content_type_id=self.value())
        return queryset
