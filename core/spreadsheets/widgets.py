"""Values in cells: read as the model stores them, written as editors read them.

import-export's own widgets do the work where theirs fits: an entry by its slug
(ForeignKeyWidget), entries by their slugs (ManyToManyWidget), a date (DateWidget). The
others are the portal's because editors type what import-export would refuse or misread, and
are told why in plain words: "yes"/"required" for a yes-or-no (BooleanWidget reads any other
word as "no"), "$45,000" for a number, a choice by its label, an ISO time ending in "Z".
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from import_export import widgets

from core.fields import sane_date
from core.text import unsafe_cell

# Values in cells.


def text(value: Any) -> str:
    """A cell's text, trimmed, as an export wrote it (safe_cell's apostrophe removed)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unsafe_cell(str(value).strip())


def as_int(value: Any, what: str) -> int | None:
    value = text(value)
    if not value:
        return None
    try:
        return int(Decimal(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"“{value[:40]}” is not a whole number ({what}).") from None


def plain(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(" ".join(messages) for messages in error.message_dict.values())
    return " ".join(error.messages)


class TextWidget(widgets.Widget):
    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        return text(value)

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    """A number written with digits (a thousands comma or a $ is forgiven)."""

    def __init__(self, integer=False, **kwargs) -> None:
        self.integer = integer
        super().__init__(**kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        raw = text(value).replace(",", "").replace("$", "").strip()
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(
                f"“{text(value)[:40]}” is not a number: use digits, like 45000."
            ) from None
        if self.integer:
            if number != number.to_integral_value():
                raise ValueError(f"“{raw}” is not a whole number.")
            return int(number)
        return number

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            value = value.normalize() if value != value.to_integral() else value.quantize(1)
            return format(value, "f")
        return str(value)


class DateWidget(widgets.DateWidget):
    """A date as 2026-12-01, within the years a fact may describe (core.fields.sane_date)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        if isinstance(value, datetime.datetime):
            value = value.date()
        elif not isinstance(value, datetime.date):
            value = text(value)[:10]
        try:
            day = super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(f"“{value[:40]}” is not a date: write it as 2026-12-01.") from None
        if day is not None:
            try:
                sane_date(day)
            except ValidationError as error:
                raise ValueError(f"{day.isoformat()}: {plain(error)}") from None
        return day


def as_date(value: Any) -> datetime.date | None:
    """A cell's date (see DateWidget), or None when it is empty."""
    return DateWidget().clean(value)


class DateTimeWidget(widgets.Widget):
    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            raw = text(value)
            if not raw:
                return None
            try:
                moment = datetime.datetime.fromisoformat(raw)
            except ValueError:
                raise ValueError(
                    f"“{raw[:40]}” is not a date and time: write it as 2026-12-01T09:00Z."
                ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if value else ""


class ChoiceWidget(widgets.Widget):
    """One of a field's choices, by its code (“online”) or its label (“Online”)."""

    def __init__(self, choices, **kwargs) -> None:
        self.choices = list(choices)
        super().__init__(**kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        raw = text(value)
        if not raw:
            return ""
        for code, label in self.choices:
            if raw.lower() in {str(code).lower(), str(label).lower()}:
                return code
        allowed = ", ".join(str(code) for code, _ in self.choices)
        raise ValueError(f"“{raw[:40]}” is not one of: {allowed}.")

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        return value or ""


class ChoiceSetWidget(ChoiceWidget):
    """Several choices, separated by commas."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        parts = [part for part in text(value).split(",") if part.strip()]
        chosen = {super(ChoiceSetWidget, self).clean(part) for part in parts}
        return ",".join(code for code, _ in self.choices if code in chosen)

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        return ", ".join(code for code in (value or "").split(",") if code)


class YesNoWidget(widgets.Widget):
    YES, NO = {"yes", "y", "true", "1", "required"}, {"no", "n", "false", "0", "not required"}

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        if isinstance(value, bool):
            return value
        raw = text(value).lower()
        if not raw:
            return None
        if raw in self.YES:
            return True
        if raw in self.NO:
            return False
        raise ValueError(f"“{text(value)[:40]}” is not yes or no.")

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        return "" if value is None else ("yes" if value else "no")


class SlugWidget(widgets.ForeignKeyWidget):
    """An entry of `model` named by its slug."""

    def __init__(self, model, **kwargs) -> None:
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        slug = text(value)
        if not slug:
            return None
        try:
            return super().clean(slug, row, **kwargs)
        except self.model.DoesNotExist:
            noun = self.model._meta.verbose_name
            raise ValueError(f"No {noun} with the slug “{slug[:60]}”.") from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Entries of `model` named by their slugs, separated by commas; every one must exist."""

    def __init__(self, model, **kwargs) -> None:
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        slugs = [slug.strip() for slug in text(value).split(",") if slug.strip()]
        found = {item.slug: item for item in self.model._default_manager.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            noun = self.model._meta.verbose_name
            raise ValueError(f"No {noun} with the slug " + ", ".join(f"“{s}”" for s in unknown))
        return [found[slug] for slug in dict.fromkeys(slugs)]

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return ", ".join(sorted(item.slug for item in value.all()))


class LinesWidget(widgets.Widget):
    """Related rows, one a line, each with its parts separated by “ | ”."""

    def __init__(self, parts, **kwargs) -> None:
        self.parts = parts
        super().__init__(**kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        lines = []
        for number, line in enumerate(text(value).splitlines(), start=1):
            if not line.strip():
                continue
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) > len(self.parts):
                raise ValueError(
                    f"Line {number} has {len(cells)} parts; write at most {len(self.parts)}: "
                    + " | ".join(self.parts)
                    + "."
                )
            lines.append(cells + [""] * (len(self.parts) - len(cells)))
        return lines

    def render(self, value: Any, obj: models.Model | None = None, **kwargs: Any) -> str:
        return "\n".join(" | ".join(cells).rstrip(" |") for cells in value or [])


def fact_columns(model: Any) -> tuple[str, ...]:
    """The columns of a model's declared facts, with the fields that go beside them."""
    return tuple(name for fact in model.facts for name in (fact.name, *fact.admin_with))


def widget_for(model: type[models.Model], name: str) -> widgets.Widget:
    """The widget that reads and writes the field `name` of `model` in a cell."""
    field: Any = model._meta.get_field(name)
    if hasattr(field, "options"):  # core.fields.ChoiceSetField
        return ChoiceSetWidget(field.options)
    if field.choices:
        return ChoiceWidget(field.choices)
    if field.many_to_many:
        return SlugsWidget(field.related_model)
    if field.is_relation:
        return SlugWidget(field.related_model)
    if isinstance(field, models.BooleanField):
        return YesNoWidget()
    if isinstance(field, models.DateTimeField):
        return DateTimeWidget()
    if isinstance(field, models.DateField):
        return DateWidget()
    if isinstance(field, models.DecimalField):
        return NumberWidget()
    if isinstance(field, models.IntegerField):
        return NumberWidget(integer=True)
    return TextWidget()
