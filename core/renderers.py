"""How form widgets are drawn (settings.FORM_RENDERER)."""

from functools import cached_property
from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class WidgetRenderer(Jinja2):
    """Django's own widget templates drawn by Jinja2: the same markup as Django's template
    language draws it, in a fraction of the time (a list's filter form has about 60 widgets
    and options). A template Jinja2 has no copy of (the admin's widgets) is drawn as before."""

    @cached_property
    def fallback(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
