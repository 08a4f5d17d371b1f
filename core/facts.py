"""Facts: what a model tells readers, declared once, each with its source.

A model declares its facts once, in groups, as `facts = Facts(Group(...), ...)`: the field,
its kind, its label and where "best" lies. The detail page's sections, the comparison's rows
(and so its CSV) and the admin's fieldsets are built from that declaration, and
`manage.py check` fails when it names a field that does not exist.

Facts are sourced: editors attach a Citation (core.models) to each, numbers and choices
alike, and only a few editorial classifications are declared `sourced=False`.
`obj.fact("field")` gives the value, its text and its citation, or "not reported" when the
value or, for a sourced fact, its source is missing. A value is never shown without its
source.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst

NOT_REPORTED = "not reported"


class FactKind(StrEnum):
    # Numbers (and a date): stored as numbers, always cited.
    MONEY = "money"
    MONEY_BILLIONS = "money_billions"
    PERCENT = "percent"
    MONTHS = "months"
    YEARS = "years"
    MINUTES = "minutes"
    HOURS = "hours"
    GPA = "gpa"
    RATING = "rating"
    COUNT = "count"
    DATE = "date"
    # Facts that are not numbers.
    CHOICE = "choice"  # a field with choices: its label is shown
    CHOICES = "choices"  # several of a field's options (core.fields.ChoiceSetField)
    BOOLEAN = "boolean"  # yes, no or unknown, in the fact's own words
    TEXT = "text"  # a line of text as an editor wrote it
    LINES = "lines"  # text, one item per line
    NAMES = "names"  # a many-to-many relation: the names of the related entries

    @property
    def is_number(self) -> bool:
        return self in NUMBERS


NUMBERS = {
    FactKind.MONEY,
    FactKind.MONEY_BILLIONS,
    FactKind.PERCENT,
    FactKind.MONTHS,
    FactKind.YEARS,
    FactKind.MINUTES,
    FactKind.HOURS,
    FactKind.GPA,
    FactKind.RATING,
    FactKind.COUNT,
    FactKind.DATE,
}


@dataclass(frozen=True)
class Fact:
    """One fact of a model: the field `name`, its kind, how readers see it.

    label: what readers see; by default the field's verbose name.
    sourced: whether it takes a citation: every fact does, unless it is the editors' own
        classification (a degree read off the title, a vocabulary link).
    best: "min" or "max" where lower or higher is plainly better (comparisons mark it).
    words: for a yes/no fact, what yes and no mean, e.g. ("Required", "Not required").
    show: a model attribute that gives the text, where the field alone does not say it all.
    links: for names, the list page and query parameter each name links to.
    admin_with: fields an editor fills in beside this one (a currency, a period).
    """

    name: str
    kind: FactKind
    label: str = ""
    sourced: bool = True
    best: str = ""
    words: tuple = ("Yes", "No")
    show: str = ""
    links: tuple = ()
    admin_with: tuple = ()

    @property
    def is_sourced(self) -> bool:
        return self.sourced is not False

    @property
    def best_word(self) -> str:
        if self.kind in {FactKind.MONTHS, FactKind.YEARS}:
            return {"min": "Shortest", "max": "Longest"}.get(self.best, "")
        return {"min": "Lowest", "max": "Highest"}.get(self.best, "")

    def label_for(self, model: type[models.Model]) -> str:
        if self.label:
            return self.label
        field: Any = model._meta.get_field(self.name)
        return str(capfirst(field.verbose_name))


@dataclass(frozen=True)
class Group:
    """Facts shown together: a section of the detail page, a group of comparison rows and a
    fieldset of the admin. `template` adds what is not a fact to the section (a table of
    courses); `note` is a sentence for readers under the facts."""

    title: str
    slug: str
    facts: tuple
    template: str = ""
    note: str = ""


class Facts:
    """A model's facts, in groups, in the order readers meet them."""

    def __init__(self, *groups) -> None:
        self.groups = tuple(groups)

    def __iter__(self):
        return (fact for group in self.groups for fact in group.facts)

    def __getitem__(self, name):
        for fact in self:
            if fact.name == name:
                return fact
        raise KeyError(name)

    def group(self, slug: str) -> Group:
        return next(group for group in self.groups if group.slug == slug)

    def sourced(self) -> dict[str, FactKind]:
        """Name → kind of every fact that takes a citation."""
        return {fact.name: fact.kind for fact in self if fact.is_sourced}

    def fieldsets(self, description: str = "") -> list[tuple[str, dict[str, Any]]]:
        """The admin's fieldsets, one per group, each fact with the fields that go beside it."""
        return [
            (
                group.title,
                {
                    **({"description": description} if description and n == 0 else {}),
                    "fields": [
                        (fact.name, *fact.admin_with) if fact.admin_with else fact.name
                        for fact in group.facts
                    ],
                },
            )
            for n, group in enumerate(self.groups)
        ]


def period_text(day: date) -> str:
    """What an as-of date stands for, as readers see it. Editors enter 1 January for a year
    alone, 1 September for an academic year (2016–17 is 2016-09-01), the 1st for a month."""
    if day.month == 1 and day.day == 1:
        return str(day.year)
    if day.month == 9 and day.day == 1:
        return f"{day.year}–{(day.year + 1) % 100:02d}"
    if day.day == 1:
        return format_date(day, "F Y")
    return format_date(day, "j F Y")


def short_date(day: date) -> str:
    """1 Dec 2026."""
    return format_date(day, "j M Y")


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, 28))


def plain_number(value: Decimal | int | float) -> str:
    """2.50 → "2.5", 45000.00 → "45,000": no trailing zeros, thousands separated."""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return intcomma(value, use_l10n=False)


def format_money(amount: Decimal | int | float, currency: str = "USD") -> str:
    if currency == "USD":
        return f"${plain_number(amount)}"
    return f"{plain_number(amount)} {currency}"


def _unit(value, unit):
    return f"{plain_number(value)} {unit}" if value == 1 else f"{plain_number(value)} {unit}s"


def format_value(value: Any, kind: FactKind, currency: str = "USD", high: Any = None) -> str:
    """The one formatter of numbers: `value` (or `value` to `high`) as readers see it."""
    if high is not None and high != value:
        if kind in {FactKind.MONTHS, FactKind.YEARS, FactKind.MINUTES, FactKind.HOURS}:
            return f"{plain_number(value)} to {format_value(high, kind, currency)}"
        return f"{format_value(value, kind, currency)} to {format_value(high, kind, currency)}"
    match kind:
        case FactKind.MONEY:
            return format_money(value, currency)
        case FactKind.MONEY_BILLIONS:
            return f"{format_money(value, currency)} billion"
        case FactKind.PERCENT:
            return f"{plain_number(value)}%"
        case FactKind.MONTHS | FactKind.YEARS | FactKind.MINUTES | FactKind.HOURS:
            return _unit(value, kind.value.removesuffix("s"))
        case FactKind.GPA:
            return f"{value:.1f}" if value == round(value, 1) else f"{value:.2f}"
        case FactKind.RATING:
            return f"{plain_number(value)} out of 5"
        case FactKind.DATE:
            return format_date(value, "j F Y") if isinstance(value, date) else str(value)
        case _:
            return plain_number(value)


@dataclass(frozen=True)
class FactValue:
    """A fact of one entry as readers see it."""

    name: str
    label: str
    kind: FactKind
    value: Any  # as stored: a number, a date, a text, the linked entries
    text: str
    citation: Any  # core.models.Citation, or None
    items: tuple = ()  # names and lines: each (text, link or "")
    note: int | None = None  # its source's number among the page's notes, if it has them

    @property
    def reported(self) -> bool:
        return self.text != NOT_REPORTED

    @property
    def age(self) -> str:
        """Beside the figure, where it may no longer hold: "2016–17 figure; may have changed"
        (core.models.Citation.age_label); empty for a recent figure or one not reported."""
        return self.citation.age_label() if self.reported and self.citation else ""

    @property
    def is_number(self) -> bool:
        return self.kind.is_number


class SourceNotes:
    """Numbered source notes for one page: each distinct source line (source, as-of date,
    note) gets a number in reading order; the page lists them once, under its content."""

    def __init__(self) -> None:
        self._numbers: dict[tuple, int] = {}
        self.items: list[tuple[int, Any]] = []  # (number, citation), in order

    def number(self, citation: Any) -> int | None:
        if citation is None:
            return None
        key = (
            citation.source_id,
            citation.as_of,
            citation.checked_on,
            citation.note,
            citation.confirmed_on,
        )
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            self.items.append((self._numbers[key], citation))
        return self._numbers[key]

    def __bool__(self) -> bool:
        return bool(self.items)


class SourcedModel(models.Model):
    """Base for models that declare their facts (`facts = Facts(...)`).

    Subclasses declare `citations = GenericRelation("portal.Citation")`. Prefetch them with
    core.models.prefetch_citations() in the QuerySet that shapes a page, so reading facts
    costs no query per fact; prefetch the relations of `names` facts too.
    """

    facts = Facts()
    # Name → kind of every fact that takes a citation; set from `facts` for each subclass.
    sourced_fields: dict[str, FactKind] = {}
    currency_field = "currency"
    # Relations that str() reads, joined wherever records are listed by name.
    str_related: tuple[str, ...] = ()

    citations: Any  # the GenericRelation each subclass declares

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.sourced_fields = cls.facts.sourced()

    def citations_by_field(self) -> dict[str, Any]:
        if not hasattr(self, "_citations_by_field"):
            self._citations_by_field = {c.field: c for c in self.citations.all()}
        return self._citations_by_field

    def fact(self, name: str, label: str | None = None) -> FactValue:
        """The fact `name` with its citation; a sourced fact without a source is not reported."""
        fact = self.facts[name]
        value, text, items = self._read(fact)
        citation = self.citations_by_field().get(name) if fact.is_sourced else None
        if text == "" or (fact.is_sourced and citation is None):
            text, items, citation = NOT_REPORTED, (), None
        return FactValue(
            name=name,
            label=label or fact.label_for(type(self)),
            kind=fact.kind,
            value=value,
            text=text,
            citation=citation,
            items=items,
        )

    def has_value(self, name: str) -> bool:
        """Whether the fact `name` holds something (a link to at least one entry, for names)."""
        field: Any = self._meta.get_field(name)
        if field.many_to_many:
            return self.pk is not None and getattr(self, name).exists()
        return getattr(self, field.attname) not in (None, "")

    def uncited(self, having: Callable[[str], bool] | None = None) -> list[str]:
        """Names of the sourced facts that hold a value but have no citation.

        `having(name)` says whether a fact holds a value, where that differs from what is
        stored (a form about to save other values).
        """
        having = having or self.has_value
        cited = set(self.citations_by_field()) if self.pk else set()
        return [name for name in self.sourced_fields if having(name) and name not in cited]

    def facts_of(self, group_slug: str) -> list[FactValue]:
        """The facts of one group, in order, as readers see them."""
        return [self.fact(fact.name) for fact in self.facts.group(group_slug).facts]

    def format_number(self, fact: Fact, value: Any) -> str:
        """How a number of this entry reads; a model whose unit is data overrides this."""
        return format_value(value, fact.kind, getattr(self, self.currency_field, "USD"))

    def _read(self, fact):
        """(value, text, items) of `fact`; the text is "" when nothing is known."""
        if fact.show:
            shown = getattr(self, fact.show)
            return shown, shown or "", ()
        value = getattr(self, fact.name)
        match fact.kind:
            case FactKind.CHOICE:
                return value, getattr(self, f"get_{fact.name}_display")() if value else "", ()
            case FactKind.CHOICES:
                labels = self._meta.get_field(fact.name).labels(value)
                return value, ", ".join(labels), tuple((label, "") for label in labels)
            case FactKind.BOOLEAN:
                yes, no = fact.words
                return value, "" if value is None else (yes if value else no), ()
            case FactKind.TEXT:
                return value, value or "", ()
            case FactKind.LINES:
                lines = tuple(line.strip() for line in (value or "").splitlines() if line.strip())
                return lines, "; ".join(lines), tuple((line, "") for line in lines)
            case FactKind.NAMES:
                related = list(value.all())
                items = tuple((str(item), self._link(fact, item)) for item in related)
                return related, "; ".join(text for text, _ in items), items
        if value is None or value == "":
            return value, "", ()
        return value, self.format_number(fact, value), ()

    @staticmethod
    def _link(fact, item) -> str:
        if not fact.links:
            return ""
        url_name, param = fact.links
        return f"{reverse(url_name)}?{urlencode({param: item.slug})}"

    @classmethod
    def sourced_field_choices(cls) -> list[tuple[str, str]]:
        return [(name, cls.facts[name].label_for(cls)) for name in cls.sourced_fields]
