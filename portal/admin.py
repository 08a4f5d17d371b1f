from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import BaseGenericInlineFormSet, GenericTabularInline
from django.core.exceptions import ValidationError
from django.db.models import Count

from portal.models import Citation, Source, Statistic


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
    list_display = ["field", "content_type", "object_id", "source", "as_of"]
    list_filter = ["content_type", "source"]
    list_select_related = ["content_type", "source"]
    search_fields = ["field", "source__title", "note"]
    autocomplete_fields = ["source"]


@admin.register(Statistic)
class StatisticAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "value_high", "unit", "on_home_page", "position"]
    list_editable = ["on_home_page", "position"]
    list_filter = ["on_home_page", "unit"]
    search_fields = ["label", "context"]
    prepopulated_fields = {"slug": ["label"]}
    inlines = [CitationInline]
