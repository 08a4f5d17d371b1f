import contextlib
import copy
import re
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.admin import BaseGenericInlineFormSet, GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm
from reversion import create_revision, set_comment, set_user
from reversion.admin import VersionAdmin
from reversion.models import Version

from core import corrections, history
from core.facts import SourcedModel, format_money
from core.models import (
    Citation,
    Correction,
    ImportRecord,
    Source,
    Statistic,
    Synonym,
    cite,
    prefetch_citations,
)
from core.publication import Publishable, Status
from core.quality import catalogue_report, check_again
from core.spreadsheets import (
    FileError,
    check_size,
    clear_old_uploads,
    decode_problem,
    discard_upload,
    formats_for,
)


class CitationInlineFormSet(BaseGenericInlineFormSet):
    """Each fact cited at most once, and no fact saved with a value but without a source.

    The facts still without a source can all be cited to one source at once, through the
    record's form ("One source for the rest", SourcedAdminForm): the first save lists them,
    the second, confirmed, cites them.
    """

    def clean(self):
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

    def holds(self, name, data):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The sources formset reads this form's many-to-many values and "one source" choice.
        self.instance._admin_form = self
        self.fields["cite_rest_as_of"].widget = admin.widgets.AdminDateWidget()
        self.fields["cite_rest_checked_on"].widget = admin.widgets.AdminDateWidget()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("cite_rest_with") and not cleaned_data.get("cite_rest_checked_on"):
            self.add_error("cite_rest_checked_on", "Give the day you read the page.")
        return cleaned_data


class CitationInline(GenericTabularInline):
    """Sources of a record's figures, edited on the record itself."""

    model = Citation
    formset = CitationInlineFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["field", "source", "as_of", "checked_on", "note", "confirmed_on", "check_again"]
    readonly_fields = ["check_again"]
    verbose_name = "source of a figure"
    verbose_name_plural = "sources of the figures above (one per figure that has a value)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["field"] = forms.ChoiceField(
            label="Figure",
            choices=[("", "---------"), *self.parent_model.sourced_field_choices()],
            help_text="Which figure this source supports.",
        )
        return formset

    @admin.display(description="still true?")
    def check_again(self, citation):
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

    def get_urls(self):
        restore = path(
            "<path:object_id>/history/<int:version_id>/restore/",
            self.admin_site.admin_view(self.restore_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_restore",
        )
        return [restore, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
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

    def restore_view(self, request, object_id, version_id):
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

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), self.cite_rest_fieldset]

    def save_related(self, request, form, formsets, change):
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

    def render_change_form(self, request, context, *args, **kwargs):
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
    def fact_fieldsets(cls, model):
        """One fieldset per group of the model's declared facts (core.facts)."""
        return model.facts.fieldsets(description=cls.sources_note)

    actions = ["publish_now", "unpublish", "schedule"]

    def change_publication(self, request, queryset, status, published_at, comment):
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
    def publish_now(self, request, queryset):
        count = self.change_publication(
            request, queryset, Status.PUBLISHED, timezone.now(), "Published now."
        )
        self.message_user(request, publication_message(count, "published now"), messages.SUCCESS)

    @admin.action(permissions=["change"], description="Unpublish selected entries (drafts)")
    def unpublish(self, request, queryset):
        count = self.change_publication(request, queryset, Status.DRAFT, None, "Unpublished.")
        self.message_user(
            request, publication_message(count, "made drafts again"), messages.SUCCESS
        )

    @admin.action(permissions=["change"], description="Schedule selected entries…")
    def schedule(self, request, queryset):
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
        context = {
            **self.admin_site.each_context(request),
            "title": "Schedule entries",
            "subtitle": None,
            "opts": self.opts,
            "entries": entries,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/schedule.html", context)

    @admin.display(description="publication", ordering="published_at")
    def publication_state(self, entry):
        if entry.status != Status.PUBLISHED:
            return "Draft"
        when = format_date(timezone.localtime(entry.published_at), "j M Y, H:i")
        if entry.published_at > timezone.now():
            return f"Scheduled for {when}"
        return f"Public since {when}"

    @staticmethod
    def money(amount, currency="USD"):
        return format_money(amount, currency) if amount is not None else "—"


def publication_message(count, what):
    return ngettext("%(count)d entry %(what)s.", "%(count)d entries %(what)s.", count) % {
        "count": count,
        "what": what,
    }


class ScheduleForm(forms.Form):
    published_at = forms.SplitDateTimeField(
        label="Publication time",
        widget=admin.widgets.AdminSplitDateTime,
        help_text="The entries become public at this minute, on every page.",
    )

    def clean_published_at(self):
        when = self.cleaned_data["published_at"]
        if when <= timezone.now():
            raise ValidationError("Choose a time to come; to publish now, use “Publish now”.")
        return when


class SourcedTypeFilter(admin.SimpleListFilter):
    title = "kind of record"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        sourced = [model for model in apps.get_models() if issubclass(model, SourcedModel)]
        types = ContentType.objects.get_for_models(*sourced)
        return [(str(types[model].pk), model._meta.verbose_name) for model in sourced]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type_id=self.value())
        return queryset


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "author", "publisher", "year", "figure_count"]
    list_filter = ["year", "publisher"]
    search_fields = ["title", "author", "publisher"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(figure_count=Count("citations"))

    @admin.display(description="figures citing it", ordering="figure_count")
    def figure_count(self, source):
        return source.figure_count


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """The readers' words: a search for either side finds what is written with the other."""

    list_display = ["term", "means"]
    search_fields = ["term", "means"]
    fields = ["term", "means"]


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    list_display = ["record", "figure", "source", "as_of", "checked_on"]
    list_filter = [SourcedTypeFilter, "source"]
    list_select_related = ["content_type", "source"]
    search_fields = ["field", "source__title", "note"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request):
        # One query per kind of record, not one per row.
        records = [
            model._default_manager.select_related(*model.str_related)
            for model in apps.get_models()
            if issubclass(model, SourcedModel)
        ]
        return (
            super()
            .get_queryset(request)
            .prefetch_related(GenericPrefetch("content_object", records))
        )

    @admin.display(description="record")
    def record(self, citation):
        return citation.content_object or "(deleted record)"

    @admin.display(description="figure", ordering="field")
    def figure(self, citation):
        model = citation.content_type.model_class()
        if model is not None and issubclass(model, SourcedModel):
            return dict(model.sourced_field_choices()).get(citation.field, citation.field)
        return citation.field


@admin.register(Statistic)
class StatisticAdmin(SourcedAdmin):
    list_display = ["label", "value", "value_high", "unit", "on_home_page", "position"]
    list_editable = ["on_home_page", "position"]
    list_filter = ["on_home_page", "unit"]
    search_fields = ["label", "context"]
    prepopulated_fields = {"slug": ["label"]}
    inlines = [CitationInline]


class SpreadsheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except FileError as error:
            raise ValidationError(error.problems) from None
        return upload


class SpreadsheetAdmin(ImportExportMixin):
    """Import and export of a kind in editors' spreadsheets, CSV or XLSX (core.spreadsheets).

    An upload is first shown as a preview (new, changed with old → new, unchanged, or wrong
    with its row and column); nothing is saved until the editor confirms it.
    """

    import_template_name = "admin/core/spreadsheet_import.html"
    import_form_class = SpreadsheetImportForm
    export_form_class = ExportForm

    def get_import_formats(self):
        return formats_for(self.resource_classes[0].sheet)

    def get_export_formats(self):
        return formats_for(self.resource_classes[0].sheet)

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, FileError):
            form.add_error("import_file", error.problems)
        elif isinstance(error, UnicodeDecodeError):
            form.add_error("import_file", decode_problem())
        else:
            form.add_error(
                "import_file",
                "This file could not be read in the format chosen: check that it is a .csv "
                "or .xlsx file as exported from this page, and that the format matches.",
            )

    def get_urls(self):
        cancel = path(
            "import/cancel/",
            self.admin_site.admin_view(self.cancel_import),
            name=f"{self.opts.app_label}_{self.opts.model_name}_cancel_import",
        )
        return [cancel, *super().get_urls()]

    def import_action(self, request, **kwargs):
        """The upload and its preview. The file waits for its confirmation only when there is
        something to confirm; leftovers of abandoned previews go after a day."""
        if request.method == "POST":
            clear_old_uploads()
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "confirm_form" not in context:
            # import-export names the stored copy on the uploaded file itself.
            upload = request.FILES.get("import_file")
            discard_upload(getattr(upload, "tmp_storage_name", None))
        return response

    def process_import(self, request, **kwargs):
        """The confirmed import, as one revision that can be undone; its upload is removed
        whatever happens."""
        try:
            with create_revision():
                history.record_import(
                    request.POST.get("original_file_name") or "a spreadsheet", request.user
                )
                response = super().process_import(request, **kwargs)
            if getattr(response, "status_code", None) == 302:
                self.message_user(
                    request,
                    format_html(
                        'To publish what it brought, or to undo it as a whole, see <a href="{}">'
                        "Imports</a>.",
                        reverse("admin:portal_importrecord_changelist"),
                    ),
                    messages.INFO,
                )
            return response
        finally:
            with contextlib.suppress(FileNotFoundError):
                discard_upload(request.POST.get("import_file_name"))

    def cancel_import(self, request):
        """“Cancel” on the preview: the upload is removed and nothing is imported."""
        if request.method != "POST" or not self.has_import_permission(request):
            raise PermissionDenied
        with contextlib.suppress(FileNotFoundError):
            discard_upload(request.POST.get("import_file_name"))
        self.message_user(request, "Import cancelled: nothing was imported.", messages.INFO)
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.resource_classes[0].sheet.lower().replace(' ', '-')}." + (
            file_format.get_extension()
        )


def recheck_view(request):
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
        citations = citations.filter(content_type_id=content_type, object_id=pk)
    citations = list(citations)
    if not citations:
        raise Http404("No such fact.")
    model = citations[0].content_type.model_class()
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
    count = check_again(citations, request.user, as_of)
    record = citations[0].content_object
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


def back_to(request):
    target = request.GET.get("next") or request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("catalogue_report")


def catalogue_report_view(request):
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


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Confirmed imports, newest first: each can be undone as a whole, and what it created
    can be published at once."""

    list_display = ["file_name", "imported_at", "imported_by", "rows", "state"]
    list_select_related = ["revision__user", "undone_by"]
    actions = ["undo_import", "publish_what_it_brought"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_undo_permission(self, request):
        # Undoing writes every kind an import may touch: for whoever may import programs.
        return request.user.has_perm("programs.change_program")

    has_publish_permission = has_undo_permission

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(row_count=Count("revision__version"))

    @admin.display(description="imported", ordering="revision__date_created")
    def imported_at(self, record):
        return history.when(record.revision)

    @admin.display(description="by")
    def imported_by(self, record):
        user = record.revision.user
        return (user.get_full_name() or user.get_username()) if user else "a command"

    @admin.display(description="rows written", ordering="row_count")
    def rows(self, record):
        return record.row_count

    @admin.display(description="state")
    def state(self, record):
        if record.undone_at:
            when = format_date(timezone.localtime(record.undone_at), "j M Y, H:i")
            return f"Undone on {when}"
        return "In place"

    @admin.action(permissions=["undo"], description="Undo the selected import")
    def undo_import(self, request, queryset):
        for record in queryset:
            if record.undone_at:
                self.message_user(request, f"“{record}” was already undone.", messages.WARNING)
                continue
            later = history.later_changes(record)
            if later:
                self.message_user(
                    request,
                    f"“{record}” was not undone: {len(later)} of its entries were changed "
                    "since (" + ", ".join(later[:5]) + (", …" if len(later) > 5 else "") + "). "
                    "Restore those from their history instead.",
                    messages.ERROR,
                )
                continue
            restored, deleted = history.undo_import(record, request.user)
            self.message_user(
                request,
                f"Undid “{record}”: {restored} entries back as they were before it, "
                f"{deleted} rows it created deleted.",
                messages.SUCCESS,
            )

    @admin.action(permissions=["publish"], description="Publish what the selected import brought")
    def publish_what_it_brought(self, request, queryset):
        published = 0
        with create_revision():
            set_user(request.user)
            set_comment("Published what an import brought.")
            for record in queryset.filter(undone_at__isnull=True):
                for model in apps.get_models():
                    if not issubclass(model, Publishable):
                        continue
                    for entry in history.imported_entries(record, model).filter(
                        status=Status.DRAFT
                    ):
                        entry.status, entry.published_at = Status.PUBLISHED, timezone.now()
                        entry.full_clean()
                        entry.save()
                        published += 1
        self.message_user(
            request, publication_message(published, "published now"), messages.SUCCESS
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
        widget=admin.widgets.AdminDateWidget,
        help_text=Citation._meta.get_field("as_of").help_text,
    )
    checked_on = forms.DateField(
        required=False,
        widget=admin.widgets.AdminDateWidget,
        help_text="The day you read the page and found the value there.",
    )

    class Meta:
        model = Correction
        fields = ["rejection_reason"]

    target = None  # the model field the accepted value goes into, if any

    def clean(self):
        data = super().clean()
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

    def lookups(self, request, model_admin):
        return [("institution", "The institution"), ("readers", "Readers")]

    def queryset(self, request, queryset):
        if self.value() == "institution":
            return queryset.exclude(confirmed_by="")
        if self.value() == "readers":
            return queryset.filter(confirmed_by="")
        return queryset


class BulkAcceptForm(forms.Form):
    """For each page the chosen corrections cite: its title, publisher and as-of date."""

    checked_on = forms.DateField(
        label="Day you read these pages",
        widget=admin.widgets.AdminDateWidget,
        initial=timezone.localdate,
    )

    def __init__(self, *args, pages, **kwargs):
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
                label="As of", required=False, widget=admin.widgets.AdminDateWidget
            )
            self.pages.append((url, self[f"title_{n}"], self[f"publisher_{n}"], self[f"as_of_{n}"]))

    def page(self, url):
        """(title, publisher, as of) given for `url`."""
        for n, (known, *_rest) in enumerate(self.pages):
            if known == url:
                data = self.cleaned_data
                return data[f"title_{n}"], data[f"publisher_{n}"], data[f"as_of_{n}"]
        raise KeyError(url)


def accept_one(correction, form, editor, site):
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


def suggested_value(model_field, text):
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

    def has_add_permission(self, request):
        return False  # corrections come from the public form

    def lookup_allowed(self, lookup, value, request=None):
        # A proposal's changes side by side: ?batch=<its id>, linked from each of them.
        return lookup == "batch" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="sent by")
    def sent_by(self, correction):
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
    def accept_selected(self, request, queryset):
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
        context = {
            **self.admin_site.each_context(request),
            "title": "Accept corrections",
            "subtitle": None,
            "opts": self.opts,
            "corrections": chosen,
            "rows": [(c, corrections.current_text(c)) for c in chosen],
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/accept_corrections.html", context)

    def get_queryset(self, request):
        # Each entry with what its name and its facts read: no query per row.
        records = [
            model._default_manager.select_related(
                *getattr(model, "str_related", ())
            ).prefetch_related(*([prefetch_citations()] if issubclass(model, SourcedModel) else []))
            for model in apps.get_models()
            if corrections.kind_of(model) is not None
        ]
        return super().get_queryset(request).prefetch_related(GenericPrefetch("entry", records))

    def get_fieldsets(self, request, obj=None):
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

    def get_form(self, request, obj=None, change=False, **kwargs):
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
    def about(self, correction):
        entry = correction.entry
        if entry is None:
            return f"{correction.fact_label} of a deleted entry"
        return format_html(
            '{} of <a href="{}">{}</a>', correction.fact_label, entry.get_absolute_url(), entry
        )

    @admin.display(description="on the page now")
    def current(self, correction):
        return corrections.current_text(correction)

    @admin.display(description="the page that says so")
    def page(self, correction):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            correction.source_url,
            correction.source_url,
        )

    @admin.display(description="decided")
    def decided(self, correction):
        if correction.decided_at is None:
            return "—"
        who = correction.decided_by
        name = (who.get_full_name() or who.get_username()) if who else "—"
        return f"{name}, {format_date(timezone.localtime(correction.decided_at), 'j M Y, H:i')}"

    def save_model(self, request, obj, form, change):
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

    def construct_change_message(self, request, form, formsets, add=False):
        decision = form.cleaned_data.get("decision")
        return {"accept": "Accepted.", "reject": "Rejected."}.get(decision, "No decision made.")
