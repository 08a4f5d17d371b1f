"""What the public list pages share: sorting, reporting ignored values, paging."""

import hashlib
from decimal import Decimal
from math import ceil
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, F, Q
from django.http import Http404, QueryDict
from django.utils.functional import cached_property

from core import search
from core.cache import cached

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10


def search_filter(help_text):
    """A `q` box, searched by the site-wide search (core.search); results best match first
    unless another sort is asked for."""
    return django_filters.CharFilter(
        label="Search", method="search", max_length=SEARCH_MAX_LENGTH, help_text=help_text
    )


RELEVANCE = "relevance"


def number_widget(mode="decimal"):
    # A text box, so a value the browser would drop (a word) stays visible with its error.
    return forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"})


def sort_filter(sorts):
    """A `sort` choice over `sorts`: {key: (label, ordering)}, and "Best match" when searching;
    an unknown key is ignored."""
    return django_filters.ChoiceFilter(
        label="Sort by",
        choices=[*((key, label) for key, (label, _) in sorts.items()), (RELEVANCE, "Best match")],
        method="sort_by",
        empty_label=None,
        help_text="“Best match” applies when searching for words.",
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
    # Filters whose options show how many results each would give (see `facet_counts`).
    facets = ()
    # Parameters that are not filters: never "removed", never counted.
    NOT_FILTERS = {"sort", "page"}

    def __init__(self, data=None, *args, **kwargs):
        self.asked = data if data is not None else QueryDict()  # as the visitor sent it
        # Searching for words sorts by best match, unless another sort is asked for.
        if data is not None and data.get("q") and not data.get("sort") and "q" in self.base_filters:
            data = data.copy()
            data["sort"] = RELEVANCE
        super().__init__(data, *args, **kwargs)

    # --- Where each filter leads ---------------------------------------------------------

    def active(self):
        """(name, value) of each filter in use with a value that made sense."""
        form = self.form
        form.is_valid()  # keeps the values that made sense in cleaned_data
        return [
            (name, value)
            for name, value in form.cleaned_data.items()
            if name not in self.NOT_FILTERS
            and value not in (None, "", [], False)
            and not (name == "q" and not search.words(value))
        ]

    def narrowed(self, without=None):
        """The list's queryset under every filter in use but `without`, unsorted, unranked."""
        queryset = self.queryset.all()
        for name, value in self.active():
            if name == without:
                continue
            if name == "q":
                queryset = queryset.filter(self.words_match())
            else:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def options(self, name):
        """(value, label) of each option of filter `name` that can be counted."""
        field = self.form.fields[name]
        if isinstance(field, forms.BooleanField) or isinstance(
            self.filters[name], django_filters.BooleanFilter
        ):
            return [(True, field.label)]
        return [(value, label) for value, label in field.choices if value not in ("", None)]

    def option_condition(self, name, value):
        """A condition keeping the rows option `value` of filter `name` keeps.

        A filter with a method is applied to the whole table and matched by key, unless the
        FilterSet says the same as a condition on the row, `condition_<name>(value)`, which
        the database checks row by row instead of once per option over every row.
        """
        filter_ = self.filters[name]
        row_condition = getattr(self, f"condition_{name}", None)
        if row_condition is not None:
            return row_condition(value)
        if isinstance(filter_, django_filters.MultipleChoiceFilter):
            value = [value]
        if not filter_.method and isinstance(filter_, django_filters.ChoiceFilter):
            return Q(**{f"{filter_.field_name}__{filter_.lookup_expr}": value})
        if not filter_.method and isinstance(filter_, django_filters.MultipleChoiceFilter):
            return Q(**{filter_.field_name: value[0]})
        kept = filter_.filter(self.queryset.model.objects.all(), value)
        return Q(pk__in=kept.values("pk"))

    def facet_counts(self):
        """Filter name → {option value: results it would give, the other filters kept}.

        One query a facet, however many options it has: the count of each option is a
        conditional count over the results of the other filters. A FilterSet may count a
        facet its own way, still in one query, with `count_<name>(queryset, options)`
        (a vocabulary linked many-to-many is counted fastest by grouping its link table).
        """
        counts = {}
        for name in self.facets:
            options = self.options(name)
            if not options:
                counts[name] = {}
                continue
            narrowed = self.narrowed(without=name)
            counter = getattr(self, f"count_{name}", None)
            if counter is not None:
                found = counter(narrowed, [value for value, _ in options])
                counts[name] = {str(value): found.get(value, 0) for value, _ in options}
                continue
            found = narrowed.aggregate(
                **{
                    f"option_{n}": Count("pk", filter=self.option_condition(name, value))
                    for n, (value, _) in enumerate(options)
                }
            )
            counts[name] = {
                str(value): found[f"option_{n}"] for n, (value, _) in enumerate(options)
            }
        return counts

    def show_counts(self, counts):
        """Put each option's count beside its label in the form."""
        for name, by_value in counts.items():
            field = self.form.fields[name]
            if isinstance(field, forms.BooleanField):
                field.label = f"{field.label} ({by_value.get('True', 0)})"
                continue
            # Without the empty choice ("Any"), which the field adds again itself.
            field.choices = [
                (value, f"{label} ({by_value[str(value)]})" if str(value) in by_value else label)
                for value, label in field.choices
                if value not in ("", None)
            ]

    def removal_links(self):
        """(what, query string without it) for each filter value in use, the rest kept."""
        links = []
        for name, value in self.active():
            values = value if isinstance(value, (list, tuple)) else [value]
            for one in values:
                links.append((self.describe(name, one), self.query_without(name, one)))
        return links

    def describe(self, name, value):
        field = self.form.fields[name]
        if name == "q":
            return f"Words: “{value}”"
        if isinstance(field, forms.BooleanField):
            return str(field.label)
        choices = dict(getattr(field, "choices", ()))
        shown = choices.get(value, choices.get(str(value), value))
        if isinstance(shown, Decimal):
            shown = f"{shown:,.0f}" if shown == shown.to_integral() else f"{shown:,}"
        return f"{field.label}: {shown}"

    def query_without(self, name, value=None):
        """The visitor's query string without filter `name` (or only its `value`), page 1."""
        data = self.asked.copy()
        data.pop("page", None)
        if value is None or len(data.getlist(name)) <= 1:
            data.pop(name, None)
        else:
            data.setlist(name, [v for v in data.getlist(name) if v != str(value)])
        return data.urlencode()

    def best_removal(self):
        """With nothing found: the one filter whose removal finds the most, as
        (what, query string without it, how many); None if removing one finds nothing.
        One query a filter in use."""
        best = None
        for name in dict(self.active()):
            found = self.narrowed(without=name).count()
            if found and (best is None or found > best[2]):
                best = (self.describe_filter(name), self.query_without(name), found)
        return best

    def spelling(self):
        """With nothing found for the words searched: the words probably meant, if they find
        something with the other filters, as (words, query string, how many); else None."""
        value = dict(self.active()).get("q")
        corrected = value and search.correction(self.words_query)
        if not corrected:
            return None
        meant = search.matching(self.queryset.model, search.parse(corrected))
        found = self.narrowed(without="q").filter(meant).count()
        if not found:
            return None
        data = self.asked.copy()
        data.pop("page", None)
        data["q"] = corrected
        return (corrected, data.urlencode(), found)

    def describe_filter(self, name):
        value = dict(self.active())[name]
        if isinstance(value, (list, tuple)):
            return " or ".join(self.describe(name, one) for one in value)
        return self.describe(name, value)

    @classmethod
    def query_params(cls):
        """Every query parameter the list page reads: its filters, the sort and the page."""
        return {*cls.base_filters, "page"}

    @classmethod
    def default_ordering(cls):
        return [*next(iter(cls.sorts.values()))[1], "pk"]

    def sort_by(self, queryset, name, value):
        if value == RELEVANCE:
            if "search_rank" in queryset.query.annotations:
                # Equal matches in the list's usual order.
                return queryset.order_by(
                    F("search_rank").desc(nulls_last=True), *self.default_ordering()
                )
            return queryset
        ordering = self.sorts[value][1]
        return queryset.order_by(*(ordering() if callable(ordering) else ordering), "pk")

    @cached_property
    def words_query(self):
        """The words searched for (`q`), parsed once for every use on the page."""
        self.form.is_valid()  # keeps the values that made sense in cleaned_data
        return search.parse(self.form.cleaned_data.get("q") or "")

    def search(self, queryset, name, value):
        """Entries matching the words of `value` (core.search), each with its `search_rank`."""
        query = self.words_query
        if not query:
            return queryset
        return queryset.filter(self.words_match()).annotate(
            search_rank=search.rank(queryset.model, query)
        )

    @cached_property
    def words_found(self):
        """The search's own ranking of the words (core.search.ranked): (keys, more), read
        once for every use on the page."""
        return search.ranked(search.kind_of(self.queryset.model), self.words_query)

    def words_match(self):
        """A condition: the entry matches the words. While the search read every match (no
        more than settings.SEARCH_CANDIDATES), their keys, so that the list and each option's
        count never search again; else the search's condition, every match."""
        keys, more = self.words_found
        if more:
            return search.matching(self.queryset.model, self.words_query)
        # No keys: a condition SQL can still say (counts are written as SQL of their own).
        return Q(pk__in=keys) if keys else Q(pk__isnull=True)

    def ranked(self):
        """When the list is a search's own results (words, no other filter, best match
        first): those results, ranked by the index (core.search.ranked), as `RankedEntries`;
        else None, and the database filters and sorts the list.

        The index bounds what a broad search reads; with other filters too, the database
        counts every match exactly, since the filters may keep few of them.
        """
        if [name for name, _ in self.active()] != ["q"] or not self.words_query:
            return None
        if self.form.cleaned_data.get("sort") != RELEVANCE:
            return None
        return RankedEntries(self.queryset, *self.words_found)

    def arrange(self, entries):
        """What the list shows of `entries` (filtered, sorted) when that takes more than the
        database can do; None when the database's order stands."""
        return None

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


class RankedEntries:
    """Entries of `queryset` in the order of `pks`, as a sequence a paginator can page: the
    count is the number of keys (with `more`: more than that match), and a page is read by
    its keys alone, in one query."""

    def __init__(self, queryset, pks, more):
        self.queryset, self.pks, self.more = queryset, pks, more

    def count(self):
        return len(self.pks)

    def __getitem__(self, index):
        wanted = self.pks[index] if isinstance(index, slice) else [self.pks[index]]
        by_pk = self.queryset.in_bulk(wanted) if wanted else {}
        found = [by_pk[pk] for pk in wanted if pk in by_pk]
        return found if isinstance(index, slice) else found[0]


class CappedPaginator(Paginator):
    """Pages up to settings.LIST_MAX_PAGES: deeper pages cost the database more with every
    page, and nobody reads them; the count still says how many match (with `more`: at
    least that many, see RankedEntries)."""

    more = False

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


def facets_counted(count, more):
    """Whether the filter options show their counts: while few enough results match."""
    return not more and count <= settings.LIST_FACET_COUNT_LIMIT


def listing_context(request, filterset, per_page, arranged_by=""):
    """The page of results, cached by query string until content changes.

    A FilterSet may `arrange(entries)` what the database found, in Python (the program list
    by a reader's fit): then every entry the filters keep is read, arranged, and paged;
    `arranged_by` names what the arrangement depends on beyond the query string.
    """

    def compute():
        ranked = None if arranged_by else filterset.ranked()
        arranged = filterset.arrange(list(filterset.qs)) if arranged_by else None
        entries = ranked if ranked is not None else arranged
        page = page_or_404(request, filterset.qs if entries is None else entries, per_page)
        count = page.paginator.count
        more = ranked is not None and ranked.more
        return {
            "count": count,
            "more": more,
            "number": page.number,
            "items": list(page.object_list),
            "facets": filterset.facet_counts() if facets_counted(count, more) else {},
            "best_removal": None if count else filterset.best_removal(),
            "spelling": None if count else filterset.spelling(),
        }

    key = f"list:{request.path}:{query_digest(request, filterset.query_params())}"
    if arranged_by:
        key += ":" + hashlib.sha256(arranged_by.encode()).hexdigest()[:32]
    data = cached(key, compute)
    paginator = CappedPaginator([], per_page)
    paginator.count = data["count"]
    paginator.more = data.get("more", False)  # False in what older code cached
    page = Page(data["items"], data["number"], paginator)
    removal_links = filterset.removal_links()  # named by the options' labels, before counts
    filterset.show_counts(data["facets"])
    return {
        "filter": filterset,
        "page_obj": page,
        "ignored": filterset.ignored(),
        "is_filtered": filterset.is_filtered(),
        "removal_links": removal_links,
        "facets_counted": facets_counted(data["count"], paginator.more),
        "facet_count_limit": f"{settings.LIST_FACET_COUNT_LIMIT:,}",
        "best_removal": data["best_removal"],
        "spelling": data["spelling"],
    }
