from django.contrib import admin

from search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """The readers' words: a search for either side finds what is written with the other."""

    list_display = ["term", "means"]
    search_fields = ["term", "means"]
    fields = ["term", "means"]
