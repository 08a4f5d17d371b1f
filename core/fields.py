"""Model fields: one line of text (names and titles), dates within sane years, and a fact
that can take several of a few fixed values (paces offered)."""

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model

from core.text import has_control_characters, without_bidi_controls

EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def one_line(value: str) -> None:
    if has_control_characters(value):
        raise ValidationError(
            "Write this on one line: it holds a line break, a tab or another control character.",
            code="control_characters",
        )


PLACEHOLDER = re.compile(
    r"[\[\]]|not shown|placeholder|\buntitled\b|title unknown|\bTBD\b|\bTODO\b|\?\?", re.I
)


def real_title(value: str) -> None:
    """A source's title as the page prints it: never a note that it could not be read."""
    if value and PLACEHOLDER.search(value):
        raise ValidationError(
            "Give the title as the page prints it (its heading if it has no title), not a note "
            "about it: “[…]”, “not shown”, “TBD” and the like are refused.",
            code="placeholder",
        )


def sane_date(value: date | datetime | None) -> None:
    """A date (or a time) between 1900 and 2100: a deadline of 9999-12-31 is a typing slip,
    and one that no calendar can hold."""
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(
            f"Enter a date between {EARLIEST.year} and {LATEST.year}.", code="date_out_of_range"
        )


class LineField(models.CharField):
    """A name or a title: one line of text, which pages, calendars and e-mail subjects show.
    Line breaks and other control characters are refused where it is saved (the admin, the
    import); bidirectional controls are removed, as from what visitors write."""

    default_validators = [one_line]

    def to_python(self, value: Any) -> Any:
        return without_bidi_controls(super().to_python(value))


class ChoiceSetField(models.CharField):
    """Any of `options` ([(value, label)…]), stored in their order, separated by commas.

    A few fixed values that filters read with `__contains`: no join, unlike a many-to-many
    relation, and the same on SQLite and PostgreSQL. Editors tick boxes; Python sees a list.
    """

    def __init__(self, *args, options=(), **kwargs) -> None:
        self.options = list(options)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["options"] = self.options
        return name, path, args, kwargs

    def codes(self, value: str | Iterable[str] | None) -> list[str]:
        """The values in `value` (a list or the stored text), checked and in option order."""
        listed = value.split(",") if isinstance(value, str) else list(value or [])
        given = {code.strip() for code in listed if code and code.strip()}
        unknown = given - {code for code, _ in self.options}
        if unknown:
            allowed = ", ".join(code for code, _ in self.options)
            raise ValidationError(
                f"Unknown: {', '.join(sorted(unknown))}. Choose from: {allowed}.", code="invalid"
            )
        return [code for code, _ in self.options if code in given]

    def to_python(self, value: Any) -> str:
        return ",".join(self.codes(value))

    def get_prep_value(self, value: Any) -> str:
        return self.to_python(value)

    def labels(self, value: str | Iterable[str] | None) -> list[str]:
        names = dict(self.options)
        return [names[code] for code in self.codes(value)]

    def save_form_data(self, instance: Model, data: Any) -> None:
        setattr(instance, self.attname, self.to_python(data))

    def value_from_object(self, obj: Model) -> Any:  # the codes, as a list
        return self.codes(getattr(obj, self.attname))

    def value_to_string(self, obj: Model) -> str:
        # As stored, for serializers (dumpdata, the history's versions): "full_time,part_time".
        return self.to_python(getattr(obj, self.attname))

    def formfield(self, **kwargs: Any) -> Any:
        return forms.TypedMultipleChoiceField(
            choices=self.options,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=kwargs.get("label", self.verbose_name).capitalize(),
            help_text=self.help_text,
        )
