from django.contrib import admin

from search.models import FilterWord, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """The readers' words: a search for either side finds what is written with the other."""

    list_display = ["term", "means"]
    search_fields = ["term", "means"]
    fields = ["term", "means"]


@admin.register(FilterWord)
class FilterWordAdmin(admin.ModelAdmin):
    """Words readers type for a list's filter: “online”, “no GRE”, “under {amount}”."""

    list_display = ["phrase", "listing", "parameter", "value"]
    list_filter = ["listing"]
    search_fields = ["phrase", "parameter", "value"]
    fields = ["phrase", "listing", "parameter", "value"]
