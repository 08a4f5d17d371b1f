from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("includes/_figure.html")
def figure(obj, name, label=None):
    """A figure of a sourced model with its source and as-of date, or "not reported"."""
    item = obj.figure(name)
    return {"figure": item, "label": label if label is not None else item.label}


@register.inclusion_tag("includes/_source.html")
def source_of(citation):
    """The source line for a citation (used for statistics and other single figures)."""
    return {"citation": citation}


@register.filter
def or_not_reported(value):
    """The value, or a styled "Not reported" when it is empty."""
    if value in (None, ""):
        return mark_safe('<span class="not-reported">Not reported</span>')
    return conditional_escape(value)


@register.filter
def stars(rating):
    """A rating out of 5 drawn as stars, for the eye only (the number is always printed too)."""
    if rating in (None, ""):
        return ""
    filled = max(0, min(5, round(float(rating))))
    return "★" * filled + "☆" * (5 - filled)
