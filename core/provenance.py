"""Provenance: every figure the portal shows carries its source and as-of date.

A model lists its figures in `sourced_fields` (field name → kind) and subclasses SourcedModel;
editors attach a Citation (core.models) to each figure. Pages ask `obj.figure("field")` and get
the value, its formatted text and its citation, or "not reported" when either is missing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.utils.dateformat import format as format_date

NOT_REPORTED = "not reported"


class FigureKind(StrEnum):
    MONEY = "money"
    PERCENT = "percent"
    MONTHS = "months"
    YEARS = "years"
    MINUTES = "minutes"
    HOURS = "hours"
    GPA = "gpa"
    RATING = "rating"
    COUNT = "count"
    DATE = "date"
    STATISTIC = "statistic"


def plain_number(value):
    """2.50 → "2.5", 45000.00 → "45,000": no trailing zeros, thousands separated."""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return intcomma(value, use_l10n=False)


def format_money(amount, currency="USD"):
    if currency == "USD":
        return f"${plain_number(amount)}"
    return f"{plain_number(amount)} {currency}"


def format_value(value, kind, currency="USD"):
    match kind:
        case FigureKind.MONEY:
            return format_money(value, currency)
        case FigureKind.PERCENT:
            return f"{plain_number(value)}%"
        case FigureKind.MONTHS:
            return f"{value} month" if value == 1 else f"{value} months"
        case FigureKind.YEARS | FigureKind.MINUTES | FigureKind.HOURS:
            unit = kind.value.removesuffix("s")
            return f"{value} {unit}" if value == 1 else f"{value} {unit}s"
        case FigureKind.GPA:
            return f"{value:.1f}" if value == round(value, 1) else f"{value:.2f}"
        case FigureKind.RATING:
            return f"{plain_number(value)} out of 5"
        case FigureKind.DATE:
            return format_date(value, "j F Y") if isinstance(value, date) else str(value)
        case _:
            return plain_number(value)


def format_statistic(statistic):
    unit = statistic.unit

    def one(value):
        match unit:
            case "percent":
                return f"{plain_number(value)}%"
            case "usd":
                return format_money(value)
            case "usd_billion":
                return f"${plain_number(value)} billion"
            case "rating":
                return f"{plain_number(value)} out of 5"
            case "months" | "years":
                return f"{plain_number(value)} {unit}"
            case "gpa":
                return f"{value:.1f}"
        return plain_number(value)

    if statistic.value_high is not None and statistic.value_high != statistic.value:
        if unit in {"months", "years"}:
            return f"{plain_number(statistic.value)} to {one(statistic.value_high)}"
        return f"{one(statistic.value)} to {one(statistic.value_high)}"
    return one(statistic.value)


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    value: object
    text: str
    citation: object

    @property
    def reported(self):
        return self.citation is not None and self.value is not None


class SourcedModel(models.Model):
    """Base for models whose figures cite sources.

    Subclasses declare `citations = GenericRelation("portal.Citation")` and `sourced_fields`.
    Prefetch them with core.models.prefetch_citations() in the QuerySet that shapes a page,
    so reading figures costs no query per figure.
    """

    sourced_fields: dict[str, FigureKind] = {}
    currency_field = "currency"
    # Relations that str() reads, joined wherever records are listed by name.
    str_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def citations_by_field(self):
        if not hasattr(self, "_citations_by_field"):
            self._citations_by_field = {c.field: c for c in self.citations.all()}
        return self._citations_by_field

    def figure(self, name):
        """The figure `name` with its citation. A value without a source is not reported."""
        kind = self.sourced_fields[name]
        value = getattr(self, name)
        citation = self.citations_by_field().get(name)
        if value is None or value == "" or citation is None:
            text = NOT_REPORTED
        elif kind == FigureKind.STATISTIC:
            text = format_statistic(self)
        else:
            text = format_value(value, kind, getattr(self, self.currency_field, "USD"))
        return Figure(
            name=name,
            label=self._meta.get_field(name).verbose_name,
            value=value,
            text=text,
            citation=citation if text != NOT_REPORTED else None,
        )

    @classmethod
    def sourced_field_choices(cls):
        return [(name, cls._meta.get_field(name).verbose_name) for name in cls.sourced_fields]
