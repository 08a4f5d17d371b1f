"""The `q` box of a public list: the words searched by the site-wide search, best match first.

A filter of its own (core.listing.ListingFilterSet asks it what only it knows): the words
are parsed once a page; while the search's ranking holds every match (no more than
settings.SEARCH_CANDIDATES), the list and each option's count use its keys and never search
again; past that, the index's condition finds every match.

Words that name one of the list's filters ("online", "no GRE", "under $30,000", "cheapest":
search.phrases) apply that filter, before anything is validated (`interpret`); a filter the
visitor chose explicitly wins over words that contradict it, and the page says so.
"""

from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict

from search import query as words_query
from search import results
from search.index import kind_of
from search.phrases import Applied, understand

MAX_LENGTH = 200


class WordsFilter(django_filters.CharFilter):
    sorts_first = True  # searching for words sorts by best match, unless asked otherwise

    def __init__(self, help_text: str = "", listing: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label", "Search")
        super().__init__(max_length=MAX_LENGTH, help_text=help_text, **kwargs)
        self.listing = listing  # whose filter words it reads (search.models.FilterWord)
        # Parsed once a page: django-filter gives each FilterSet a deep copy of its filters.
        self._parsed: dict[tuple[str, str], Any] = {}

    def _once(self, what: str, value: str, compute):
        key = (what, value)
        if key not in self._parsed:
            self._parsed[key] = compute()
        return self._parsed[key]

    def parsed(self, value: str) -> words_query.Query:
        return self._once("query", value, lambda: words_query.parse(value or ""))

    def in_use(self, value: str) -> bool:
        return bool(words_query.words(value))

    def describe(self, value: str) -> str:
        return f"Words: “{value}”"

    def ranking(self, value: str) -> tuple[list[int], bool]:
        """The search's own ranking of the words (search.results.ranked): (keys, more)."""
        model = self.parent.queryset.model
        return self._once(
            "ranking", value, lambda: results.ranked(kind_of(model), self.parsed(value))
        )

    def condition(self, value: str) -> Q:
        keys, more = self.ranking(value)
        if more:
            return results.matching(self.parent.queryset.model, self.parsed(value))
        # No keys: a condition SQL can still say (counts are written as SQL of their own).
        return Q(pk__in=keys) if keys else Q(pk__isnull=True)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        """Entries matching the words of `value`, each with its `search_rank`."""
        query = self.parsed(value)
        if not query:
            return queryset
        return queryset.filter(self.condition(value)).annotate(
            search_rank=results.rank(queryset.model, query)
        )

    def meant(self, value: str) -> tuple[str, Q] | None:
        """The words probably meant, and the condition they find, when these find nothing."""
        corrected = words_query.correction(self.parsed(value))
        if not corrected:
            return None
        model = self.parent.queryset.model
        return corrected, results.matching(model, words_query.parse(corrected))

    def interpret(
        self, name: str, data: QueryDict, filters: dict[str, Any]
    ) -> tuple[QueryDict, list["Reading"]]:
        """`data` with the filters its words name applied and those words taken out of the
        search; and what was read, for the page to say (`Reading`)."""
        if not self.listing:
            return data, []
        understood = understand(data.get(name, "")[:MAX_LENGTH], self.listing)
        if not understood.applied:
            return data, []
        asked, data, readings = data, data.copy(), []
        for applied in understood.applied:
            filter_ = filters.get(applied.parameter)
            if filter_ is None:
                continue
            explicit = [value for value in asked.getlist(applied.parameter) if value]
            if explicit and applied.value not in explicit:
                readings.append(Reading(applied, applied=False))  # the visitor's choice wins
                continue
            if not explicit:
                many = isinstance(filter_, django_filters.MultipleChoiceFilter)
                before = [v for v in data.getlist(applied.parameter) if v]
                if before and not many:
                    readings.append(Reading(applied, applied=False))  # other words came first
                    continue
                data.setlist(applied.parameter, [*before, applied.value])
            readings.append(Reading(applied, applied=True))
        data[name] = understood.rest
        return data, readings


@dataclass(frozen=True)
class Reading:
    """Words read as a filter: applied, or not (a filter chosen explicitly said otherwise)."""

    words: Applied
    applied: bool
