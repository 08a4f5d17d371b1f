"""What the public list pages share: sorting, reporting ignored values, paging."""

import hashlib
from math import ceil
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.functional import cached_property

from core.cache import cached

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10


def search_filter(help_text):
    """A `q` box; the FilterSet's `search` method gets the value, split by `search_words`."""
    return django_filters.CharFilter(
        label="Search", method="search", max_length=SEARCH_MAX_LENGTH, help_text=help_text
    )


def search_words(value):
    return value.split()[:SEARCH_MAX_WORDS]


def number_widget(mode="decimal"):
    # A text box, so a value the browser would drop (a word) stays visible with its error.
    return forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"})


def sort_filter(sorts):
    """A `sort` choice over `sorts`: {key: (label, ordering)}; an unknown key is ignored."""
    return django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in sorts.items()],
        method="sort_by",
        empty_label=None,
    )


# Plain words for a visitor, and never an echo of what was typed (which may hold anything).
ERROR_MESSAGES = {
    "invalid_choice": "That is not one of the options.",
    "invalid": "Enter a number using digits only, such as 45000.",
    "min_value": "Enter %(limit_value)s or more.",
    "max_value": "That number is too large.",
    "max_digits": "That number is too large.",
    "max_whole_digits": "That number is too large.",
    "max_decimal_places": "That number has too many decimal places.",
    "max_length": "Too long: at most %(limit_value)d characters.",
    "null_characters_not_allowed": "Contains a character that cannot be searched for.",
}


class ListingFilterSet(django_filters.FilterSet):
    """A FilterSet whose state lives in the query string of a public list page.

    A value that makes no sense fails its form field's validation; django-filter then leaves
    that filter out, and `ignored()` tells the page what was left out and why.
    Choices read from the database are set once in __init__ (see `choices_from`), so
    validating and rendering cost the same queries whatever is asked.
    """

    sorts = {}

    @classmethod
    def query_params(cls):
        """Every query parameter the list page reads: its filters, the sort and the page."""
        return {*cls.base_filters, "page"}

    @classmethod
    def default_ordering(cls):
        return [*next(iter(cls.sorts.values()))[1], "pk"]

    def sort_by(self, queryset, name, value):
        ordering = self.sorts[value][1]
        return queryset.order_by(*(ordering() if callable(ordering) else ordering), "pk")

    def set_choices(self, name, choices):
        """Choices read from the database, cached until content changes."""
        key = f"choices:{type(self).__name__}:{name}"
        self.filters[name].extra["choices"] = cached(key, lambda: list(choices()))

    def set_vocabulary(self, name, queryset):
        """Choices from a vocabulary model: its slugs, labelled as the model names itself."""
        self.set_choices(name, lambda: ((item.slug, str(item)) for item in queryset))

    @property
    def form(self):
        form = super().form
        if not hasattr(self, "_plain_messages"):
            for field in form.fields.values():
                field.error_messages.update(ERROR_MESSAGES)
            self._plain_messages = True
        return form

    def ignored(self):
        """(label, messages) for each value that made no sense and was left out."""
        form = self.form
        return [(form.fields[field].label, errors) for field, errors in form.errors.items()]

    def is_filtered(self):
        return any(key != "page" and any(values) for key, values in self.data.lists())


class CappedPaginator(Paginator):
    """Pages up to settings.LIST_MAX_PAGES: deeper pages cost the database more with every
    page, and nobody reads them; the count still says how many match."""

    @cached_property
    def all_pages(self):
        hits = max(1, self.count - self.orphans) if self.allow_empty_first_page else self.count
        return ceil(hits / self.per_page) if self.count else int(self.allow_empty_first_page)

    @cached_property
    def num_pages(self):
        return min(self.all_pages, settings.LIST_MAX_PAGES)

    @property
    def capped(self):
        return self.all_pages > self.num_pages


def page_or_404(request, queryset, per_page):
    """The requested page of `queryset`; a page that does not exist is a 404."""
    paginator = CappedPaginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page.") from None


def query_digest(request, params):
    """A short, stable name for the parameters `params` of the query string."""
    query = urlencode(sorted((k, v) for k, v in request.GET.lists() if k in params), doseq=True)
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def listing_context(request, filterset, per_page):
    """The page of results, cached by query string until content changes."""

    def compute():
        page = page_or_404(request, filterset.qs, per_page)
        return {
            "count": page.paginator.count,
            "number": page.number,
            "items": list(page.object_list),
        }

    data = cached(f"list:{request.path}:{query_digest(request, filterset.query_params())}", compute)
    paginator = CappedPaginator([], per_page)
    paginator.count = data["count"]
    page = Page(data["items"], data["number"], paginator)
    return {
        "filter": filterset,
        "page_obj": page,
        "ignored": filterset.ignored(),
        "is_filtered": filterset.is_filtered(),
    }
