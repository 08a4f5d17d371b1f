"""What the public list pages share: filters with counted options, sorting, reporting ignored
values, paging.

A list is worked out one way (`ListingFilterSet.filtered`): the queryset under every filter in
use, or every filter but one, for that filter's option counts. The form is validated once
(`cleaned`). Each filter whose options show counts is a `Facet` and counts them itself, as the
Django admin's list filters do (FacetsMixin).
"""

import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from math import ceil
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, F, Model, Q, QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.utils.functional import cached_property

from core.cache import cached
from core.summaries import summaries, summary

RELEVANCE = "relevance"


def number_widget(mode: str = "decimal") -> forms.TextInput:
    # A text box, so a value the browser would drop (a word) stays visible with its error.
    return forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"})


def sort_filter(sorts: dict) -> django_filters.ChoiceFilter:
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


class Facet(django_filters.Filter):
    """Mixed into a filter: each of its options shows how many results it would give, the
    other filters kept (see ListingFilterSet.facet_counts).

    One query a facet, however many options: a conditional count over the other filters'
    results, each option's condition being `condition(value)` when given (a condition on the
    row, which the database checks row by row; a vocabulary linked many-to-many as a list of
    keys), else the filter's own lookup, else (a filter with a method) the rows the filter
    keeps of the whole table. Options in `uncounted` keep every row: nothing to count.
    """

    def __init__(self, *args, condition=None, uncounted=(), **kwargs) -> None:
        self.condition, self.uncounted = condition, tuple(uncounted)
        super().__init__(*args, **kwargs)

    def options(self) -> list[tuple[Any, str]]:
        """(value, label) of each option that can be counted."""
        field = self.parent.form.fields[self.field_name_in_form]
        if isinstance(field, forms.BooleanField) or isinstance(self, django_filters.BooleanFilter):
            return [(True, field.label)]
        return [
            (value, label)
            for value, label in field.choices
            if value not in ("", None, *self.uncounted)
        ]

    @property
    def field_name_in_form(self) -> str:
        return next(name for name, f in self.parent.filters.items() if f is self)

    def option_condition(self, value: Any) -> Q:
        if self.condition is not None:
            return self.condition(value)
        if isinstance(self, django_filters.MultipleChoiceFilter):
            if not self.method:
                return Q(**{self.field_name: value})
            value = [value]
        elif not self.method and isinstance(self, django_filters.ChoiceFilter):
            return Q(**{f"{self.field_name}__{self.lookup_expr}": value})
        kept = self.filter(self.parent.queryset.model.objects.all(), value)
        return Q(pk__in=kept.values("pk"))

    def facet_counts(self, narrowed: QuerySet) -> dict[str, int]:
        """{option value: results it would give}, among `narrowed` (the other filters')."""
        if not self.options():
            return {}
        return count_together([self], narrowed)[self.field_name_in_form]

    def conditional_counts(self) -> dict[str, tuple[Any, Count]]:
        """{alias: (option value, its conditional count)}: the aggregates that count it."""
        name = self.field_name_in_form
        return {
            f"{name}__{n}": (value, Count("pk", filter=self.option_condition(value)))
            for n, (value, _) in enumerate(self.options())
        }


def count_together(facets: list[Facet], narrowed: QuerySet) -> dict[str, dict[str, int]]:
    """{filter name: {option value: results}} of facets counted among the same rows,
    `narrowed`: one query, one pass over the rows, however many facets and options."""
    counts = {facet.field_name_in_form: facet.conditional_counts() for facet in facets}
    aggregates = {alias: count for each in counts.values() for alias, (_, count) in each.items()}
    found = narrowed.aggregate(**aggregates) if aggregates else {}
    return {
        name: {str(value): found[alias] for alias, (value, _) in each.items()}
        for name, each in counts.items()
    }


class ChoiceFacet(Facet, django_filters.ChoiceFilter):
    pass


class MultipleChoiceFacet(Facet, django_filters.MultipleChoiceFilter):
    pass


class BooleanFacet(Facet, django_filters.BooleanFilter):
    pass


class ListingFilterSet(django_filters.FilterSet):
    """A FilterSet whose state lives in the query string of a public list page.

    A value that makes no sense fails its form field's validation; django-filter then leaves
    that filter out, and `ignored()` tells the page what was left out and why.
    Choices read from the database are set once in __init__ (see `set_choices`), so
    validating and rendering cost the same queries whatever is asked.

    A filter may say more of itself than django-filter asks: `in_use(value)` (whether a valid
    value filters anything), `describe(value)` (how a removal link names it), `sorts_first`
    (a value makes the list sort by best match unless another sort is asked),
    `ranking(value)` ((keys, more): the list's order when it is the only filter in use),
    `meant(value)` ((text, condition): what was probably meant, when nothing is found).
    """

    sorts: dict = {}
    # Parameters that are not filters: never "removed", never counted.
    NOT_FILTERS = {"sort", "page"}

    def __init__(self, data=None, *args, **kwargs) -> None:
        self.asked = data if data is not None else QueryDict()  # as the visitor sent it
        # Words that name a filter apply it (a filter's `interpret`: search.lists).
        self.readings: list = []
        for name, filter_ in self.base_filters.items():
            interpret = getattr(filter_, "interpret", None)
            if interpret is not None and data is not None and data.get(name):
                data, readings = interpret(name, data, self.base_filters)
                self.readings += [(name, reading) for reading in readings]
        # Searching for words sorts by best match, unless another sort is asked for.
        relevant = [name for name, f in self.base_filters.items() if getattr(f, "sorts_first", 0)]
        if data is not None and any(data.get(n) for n in relevant) and not data.get("sort"):
            data = data.copy()
            data["sort"] = RELEVANCE
        self._choice_sources: dict[str, Callable[[], Iterable[tuple[Any, str]]]] = {}
        super().__init__(data, *args, **kwargs)

    @cached_property
    def cleaned(self) -> dict[str, Any]:
        """The values that made sense, the form validated once for the whole page."""
        form = self.form
        form.is_valid()
        return form.cleaned_data

    # --- The list, one way ---------------------------------------------------------------

    def active(self) -> list[tuple[str, Any]]:
        """(name, value) of each filter in use with a value that made sense."""
        return [
            (name, value)
            for name, value in self.cleaned.items()
            if name not in self.NOT_FILTERS
            and value not in (None, "", [], False)
            and getattr(self.filters[name], "in_use", lambda value: True)(value)
        ]

    def filtered(self, without: str | None = None) -> QuerySet:
        """The list's queryset under every filter in use but `without`, unsorted."""
        queryset = self.queryset.all()
        for name, value in self.active():
            if name != without:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            queryset = self.filtered()
            sort = self.cleaned.get("sort")
            if sort:
                self._qs = self.sort_by(queryset, "sort", sort)
            else:
                self._qs = queryset.order_by(*self.default_ordering())
        return self._qs

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """Filter name → {option value: results it would give, the other filters kept}.

        The facets not in use all count among the list's own results: together, in one
        query (`count_together`); a facet in use in one query of its own."""
        in_use = dict(self.active())
        facets = {name: f for name, f in self.filters.items() if isinstance(f, Facet)}
        counts = {
            name: facet.facet_counts(self.filtered(without=name))
            for name, facet in facets.items()
            if name in in_use
        }
        shared = [facet for name, facet in facets.items() if name not in counts]
        counts.update(count_together([f for f in shared if f.options()], self.filtered()))
        return {name: counts.get(name, {}) for name in facets}

    def show_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """Put each option's count beside its label in the form."""
        for name, by_value in counts.items():
            field: Any = self.form.fields[name]
            if isinstance(field, forms.BooleanField):
                field.label = f"{field.label} ({by_value.get('True', 0)})"
                continue
            # Without the empty choice ("Any"), which the field adds again itself.
            field.choices = [
                (value, f"{label} ({by_value[str(value)]})" if str(value) in by_value else label)
                for value, label in field.choices
                if value not in ("", None)
            ]

    def ranked(self) -> "RankedEntries | None":
        """When the list is one filter's own ranking (words, no other filter, best match
        first): those entries in that order, as `RankedEntries`; else None, and the database
        filters and sorts the list."""
        active = self.active()
        if len(active) != 1 or self.cleaned.get("sort") != RELEVANCE:
            return None
        name, value = active[0]
        ranking = getattr(self.filters[name], "ranking", None)
        return RankedEntries(self.queryset, *ranking(value)) if ranking else None

    # --- What the page says about the filters -------------------------------------------

    def removal_links(self) -> list[tuple[str, str]]:
        """(what, query string without it) for each filter value in use, the rest kept. A
        filter read from the words says so, and its link takes those words out."""
        read = {
            (reading.words.parameter, reading.words.value): (words_name, reading)
            for words_name, reading in self.readings
            if reading.applied
        }
        links = []
        for name, value in self.active():
            values = value if isinstance(value, (list, tuple)) else [value]
            for one in values:
                found = read.get((name, str(one)))
                if found is None:
                    links.append((self.describe(name, one), self.query_without(name, one)))
                    continue
                words_name, reading = found
                links.append(
                    (
                        f"“{reading.words.typed}”: {self.describe(name, one)}",
                        self.query_without_words(words_name, reading.words.typed),
                    )
                )
        for (name, value), (words_name, reading) in read.items():
            if name in self.NOT_FILTERS and self.cleaned.get(name) == value:  # a sort
                links.append(
                    (
                        f"“{reading.words.typed}”: {self.describe(name, value)}",
                        self.query_without_words(words_name, reading.words.typed),
                    )
                )
        return links

    def query_without_words(self, name: str, typed: str) -> str:
        """The visitor's query string with the words `typed` taken out of the box `name`."""
        data = self.asked.copy()
        data.pop("page", None)
        text = data.get(name, "")
        at = text.lower().find(typed.lower())
        rest = text[:at] + text[at + len(typed) :] if at >= 0 else text
        if rest.split():
            data[name] = " ".join(rest.split())
        else:
            data.pop(name, None)
        return data.urlencode()

    def words_not_applied(self) -> list[str]:
        """What the page says of words that name a filter the visitor set otherwise."""
        return [
            f"“{reading.words.typed}” was not applied: "
            f"{self.describe_filter(reading.words.parameter)} is what the filters say."
            for _, reading in self.readings
            if not reading.applied and reading.words.parameter in dict(self.active())
        ]

    def describe(self, name: str, value: Any) -> str:
        described = getattr(self.filters[name], "describe", None)
        if described is not None:
            return described(value)
        field = self.form.fields[name]
        if isinstance(field, forms.BooleanField):
            return str(field.label)
        choices = dict(getattr(field, "choices", ()))
        shown = choices.get(value, choices.get(str(value), value))
        if isinstance(shown, Decimal):
            shown = f"{shown:,.0f}" if shown == shown.to_integral() else f"{shown:,}"
        return f"{field.label}: {shown}"

    def query_without(self, name: str, value: Any = None) -> str:
        """The visitor's query string without filter `name` (or only its `value`), page 1."""
        data = self.asked.copy()
        data.pop("page", None)
        if value is None or len(data.getlist(name)) <= 1:
            data.pop(name, None)
        else:
            data.setlist(name, [v for v in data.getlist(name) if v != str(value)])
        return data.urlencode()

    def best_removal(self) -> tuple[str, str, int] | None:
        """With nothing found: the one filter whose removal finds the most, as
        (what, query string without it, how many); None if removing one finds nothing.
        One query a filter in use."""
        best = None
        for name in dict(self.active()):
            found = self.filtered(without=name).count()
            if found and (best is None or found > best[2]):
                best = (self.describe_filter(name), self.query_without(name), found)
        return best

    def spelling(self) -> tuple[str, str, int] | None:
        """With nothing found: what the visitor probably meant, if it finds something with
        the other filters, as (text, query string, how many); else None."""
        for name, value in self.active():
            meant = getattr(self.filters[name], "meant", None)
            found = meant(value) if meant else None
            if not found:
                continue
            text, condition = found
            count = self.filtered(without=name).filter(condition).count()
            if count:
                data = self.asked.copy()
                data.pop("page", None)
                data[name] = text
                return (text, data.urlencode(), count)
        return None

    def describe_filter(self, name: str) -> str:
        value = dict(self.active())[name]
        if isinstance(value, (list, tuple)):
            return " or ".join(self.describe(name, one) for one in value)
        return self.describe(name, value)

    @classmethod
    def query_params(cls) -> set[str]:
        """Every query parameter the list page reads: its filters, the sort and the page."""
        return {*cls.base_filters, "page"}

    @classmethod
    def default_ordering(cls) -> list:
        return [*next(iter(cls.sorts.values()))[1], "pk"]

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == RELEVANCE:
            if "search_rank" in queryset.query.annotations:
                # Equal matches in the list's usual order.
                return queryset.order_by(
                    F("search_rank").desc(nulls_last=True), *self.default_ordering()
                )
            return queryset.order_by(*self.default_ordering())
        ordering = self.sorts[value][1]
        return queryset.order_by(*(ordering() if callable(ordering) else ordering), "pk")

    def arrange(self, entries: list[Model]) -> list[Model] | None:
        """What the list shows of `entries` (filtered, sorted) when that takes more than the
        database can do; None when the database's order stands."""
        return None

    def set_choices(self, name: str, choices: Callable[[], Iterable[tuple[Any, str]]]) -> None:
        """Choices read from the database: a summary of the content (core.summaries), read
        with the other filters' when the form is first needed, in one query."""
        self._choice_sources[name] = choices

    def read_choices(self) -> None:
        sources, self._choice_sources = self._choice_sources, {}
        if not sources:
            return
        keys = {name: f"choices:{type(self).__name__}:{name}" for name in sources}
        found = summaries({keys[name]: as_pairs(choices) for name, choices in sources.items()})
        for name, key in keys.items():
            self.filters[name].extra["choices"] = [tuple(pair) for pair in found[key]]

    def set_vocabulary(self, name: str, queryset: QuerySet) -> None:
        """Choices from a vocabulary model: its slugs, labelled as the model names itself."""
        self.set_choices(name, lambda: ((item.slug, str(item)) for item in queryset))

    @property
    def form(self) -> forms.Form:
        self.read_choices()
        form = super().form
        if not hasattr(self, "_plain_messages"):
            for field in form.fields.values():
                field.error_messages.update(ERROR_MESSAGES)
            self._plain_messages = True
        return form

    def ignored(self) -> list[tuple[Any, Any]]:
        """(label, messages) for each value that made no sense and was left out."""
        form = self.form
        return [(form.fields[field].label, errors) for field, errors in form.errors.items()]

    def is_filtered(self) -> bool:
        return any(key != "page" and any(values) for key, values in self.data.lists())


def as_pairs(choices: Callable[[], Iterable[tuple[Any, str]]]) -> Callable[[], list[list]]:
    """`choices` as a function giving [value, label] lists, as JSON keeps them."""
    return lambda: [list(pair) for pair in choices()]


class RankedEntries:
    """Entries of `queryset` in the order of `pks`, as a sequence a paginator can page: the
    count is the number of keys (with `more`: more than that match), and a page is read by
    its keys alone, in one query."""

    def __init__(self, queryset: QuerySet, pks: list[int], more: bool) -> None:
        self.queryset, self.pks, self.more = queryset, pks, more

    def count(self) -> int:
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
    def all_pages(self) -> int:
        hits = max(1, self.count - self.orphans) if self.allow_empty_first_page else self.count
        return ceil(hits / self.per_page) if self.count else int(self.allow_empty_first_page)

    @cached_property
    def num_pages(self) -> int:
        return min(self.all_pages, settings.LIST_MAX_PAGES)

    @property
    def capped(self) -> bool:
        return self.all_pages > self.num_pages


def whole_list(filterset: ListingFilterSet) -> tuple[int, dict[str, dict[str, int]]]:
    """(how many, the options' counts) of a list with no filter in use, the same for every
    visitor: a summary of the content (core.summaries), worked out once per version. A
    FilterSet class always lists the same queryset (the published entries of its kind)."""

    def compute():
        count = filterset.filtered().count()
        return [count, filterset.facet_counts() if facets_counted(count, False) else {}]

    count, facets = summary(f"whole-list:{type(filterset).__name__}", compute)
    return count, facets


def page_or_404(
    request: HttpRequest, queryset: Any, per_page: int, count: int | None = None
) -> Page:
    """The requested page of `queryset` (of `count` entries, counted when not given); a page
    that does not exist is a 404."""
    paginator = CappedPaginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page.") from None


def query_digest(request: HttpRequest, params: Iterable[str]) -> str:
    """A short, stable name for the parameters `params` of the query string."""
    query = urlencode(sorted((k, v) for k, v in request.GET.lists() if k in params), doseq=True)
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def facets_counted(count: int, more: bool) -> bool:
    """Whether the filter options show their counts: while few enough results match."""
    return not more and count <= settings.LIST_FACET_COUNT_LIMIT


def listing_context(
    request: HttpRequest, filterset: ListingFilterSet, per_page: int, arranged_by: str = ""
) -> dict[str, Any]:
    """The page of results, cached by query string until content changes.

    A FilterSet may `arrange(entries)` what the database found, in Python (the program list
    by a reader's fit): then every entry the filters keep is read, arranged, and paged;
    `arranged_by` names what the arrangement depends on beyond the query string.
    """

    def compute():
        ranked = None if arranged_by else filterset.ranked()
        arranged = filterset.arrange(list(filterset.qs)) if arranged_by else None
        entries = ranked if ranked is not None else arranged
        whole = None if entries is not None or filterset.active() else whole_list(filterset)
        page = page_or_404(
            request,
            filterset.qs if entries is None else entries,
            per_page,
            None if whole is None else whole[0],
        )
        count = page.paginator.count
        more = ranked is not None and ranked.more
        if whole is not None:
            facets = whole[1]
        else:
            facets = filterset.facet_counts() if facets_counted(count, more) else {}
        return {
            "count": count,
            "more": more,
            "number": page.number,
            "items": list(page.object_list),
            "facets": facets,
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
    # Named by the options' labels, before their counts are added to them.
    removal_links = filterset.removal_links()
    words_not_applied = filterset.words_not_applied()
    filterset.show_counts(data["facets"])
    return {
        "filter": filterset,
        "page_obj": page,
        "ignored": filterset.ignored(),
        "is_filtered": filterset.is_filtered(),
        "removal_links": removal_links,
        "words_not_applied": words_not_applied,
        "facets_counted": facets_counted(data["count"], paginator.more),
        "facet_count_limit": f"{settings.LIST_FACET_COUNT_LIMIT:,}",
        "best_removal": data["best_removal"],
        "spelling": data["spelling"],
    }


class MoreCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose first `shown` options show, the rest folded behind "More …" (open when
    one of them is ticked: `folds_a_ticked`), drawn by includes/_filter_form.html. The options
    come in the order they are given (most used first, for a vocabulary)."""

    def __init__(self, *args: Any, shown: int = 8, more_label: str = "More", **kwargs: Any):
        self.shown, self.more_label = shown, more_label
        super().__init__(*args, **kwargs)

    def folds_a_ticked(self, value: Any) -> bool:
        later = {str(option) for option, _ in list(self.choices)[self.shown :]}
        return bool(later & {str(one) for one in (value or [])})
