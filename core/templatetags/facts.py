"""Facts with their sources in templates: `{% load facts %}`."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("includes/_fact.html")
def fact(entry, name, label=None):
    """One fact of an entry (a <dt> and a <dd>) with its source, or "not reported"."""
    return {"fact": entry.fact(name, label)}


@register.inclusion_tag("includes/_fact_section.html")
def fact_section(entry, slug):
    """A section of an entry's page: one group of its declared facts, with what the group adds
    (its template, given the entry as `entry` and under its model's name)."""
    group = entry.facts.group(slug)
    return {
        "group": group,
        "facts": entry.facts_of(slug),
        "entry": entry,
        entry._meta.model_name: entry,
    }


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
