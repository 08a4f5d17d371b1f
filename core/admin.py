import contextlib

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import BaseGenericInlineFormSet, GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateformat import format as format_date
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm

from core.facts import SourcedModel, format_money
from core.models import Citation, Source, Statistic, Synonym, cite
from core.publication import Status
from core.quality import catalogue_report
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
    fields = ["field", "source", "as_of", "checked_on", "note"]
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


class SourcedAdmin(admin.ModelAdmin):
    """Admin for a model with sourced facts: their sources are edited inline.

    Problems found across the whole form (a fact without a source) would otherwise be
    printed far below, under the inline; they are repeated at the top of the page.
    """

    form = SourcedAdminForm
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
class SourceAdmin(admin.ModelAdmin):
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
class CitationAdmin(admin.ModelAdmin):
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
        """The confirmed import; its upload is removed whatever happens."""
        try:
            return super().process_import(request, **kwargs)
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
