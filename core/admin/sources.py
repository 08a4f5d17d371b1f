"""The sources, their citations and the site-wide figures."""

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core.admin.sourced import CitationInline, HistoryAdmin, SourcedAdmin, SourcedTypeFilter
from core.facts import SourcedModel
from core.models import (
    Citation,
    Source,
    Statistic,
)


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "author", "publisher", "year", "figure_count"]
    list_filter = ["year", "publisher"]
    search_fields = ["title", "author", "publisher"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(figure_count=Count("citations"))

    @admin.display(description="figures citing it", ordering="figure_count")
    def figure_count(self, source: Any) -> int:
        return source.figure_count


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    list_display = ["record", "figure", "source", "as_of", "checked_on"]
    list_filter = [SourcedTypeFilter, "source"]
    list_select_related = ["content_type", "source"]
    search_fields = ["field", "source__title", "note"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
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
    def record(self, citation: Citation) -> str:
        return citation.content_object or "(deleted record)"

    @admin.display(description="figure", ordering="field")
    def figure(self, citation: Citation) -> str:
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
