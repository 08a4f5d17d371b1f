"""A model field for a fact that can take several of a few fixed values (paces offered)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceSetField(models.CharField):
    """Any of `options` ([(value, label)…]), stored in their order, separated by commas.

    A few fixed values that filters read with `__contains`: no join, unlike a many-to-many
    relation, and the same on SQLite and PostgreSQL. Editors tick boxes; Python sees a list.
    """

    def __init__(self, *args, options=(), **kwargs):
        self.options = list(options)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["options"] = self.options
        return name, path, args, kwargs

    def codes(self, value):
        """The values in `value` (a list or the stored text), checked and in option order."""
        given = value.split(",") if isinstance(value, str) else list(value or [])
        given = {code.strip() for code in given if code and code.strip()}
        unknown = given - {code for code, _ in self.options}
        if unknown:
            allowed = ", ".join(code for code, _ in self.options)
            raise ValidationError(
                f"Unknown: {', '.join(sorted(unknown))}. Choose from: {allowed}.", code="invalid"
            )
        return [code for code, _ in self.options if code in given]

    def to_python(self, value):
        return ",".join(self.codes(value))

    def get_prep_value(self, value):
        return self.to_python(value)

    def labels(self, value):
        names = dict(self.options)
        return [names[code] for code in self.codes(value)]

    def save_form_data(self, instance, data):
        setattr(instance, self.attname, self.to_python(data))

    def value_from_object(self, obj):
        return self.codes(getattr(obj, self.attname))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.options,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=kwargs.get("label", self.verbose_name).capitalize(),
            help_text=self.help_text,
        )
