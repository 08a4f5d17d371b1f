from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import BaseGenericInlineFormSet, GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.dateformat import format as format_date

from core.facts import SourcedModel, format_money
from core.models import Citation, Source, Statistic
from core.publication import Status


class CitationInlineFormSet(BaseGenericInlineFormSet):
    """Each figure cited at most once, and no figure saved with a value but without a source."""

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
                "Each figure takes one source; these have several: "
                + ", ".join(str(labels[name]) for name in repeated)
                + "."
            )
        missing = [
            str(label)
            for name, label in labels.items()
            if getattr(self.instance, name) not in (None, "") and name not in cited
        ]
        if missing:
            raise ValidationError(
                "These figures have a value but no source: "
                + ", ".join(missing)
                + ". Add a source for each below, or clear the value: a figure without a "
                "source is shown to readers as “not reported”."
            )


class CitationInline(GenericTabularInline):
    """Sources of a record's figures, edited on the record itself."""

    model = Citation
    formset = CitationInlineFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["field", "source", "as_of", "note"]
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
    """Admin for a model with sourced figures: their sources are edited inline.

    Problems found across the whole form (a figure without a source) would otherwise be
    printed far below, under the inline; they are repeated at the top of the page.
    """

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


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["record", "figure", "source", "as_of"]
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
