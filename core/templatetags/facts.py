"""Facts with their sources in templates: `{% load facts %}`."""

import dataclasses
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Model
from django.template import Context
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.correctable import suggest_url
from core.facts import FactValue, SourcedModel, SourceNotes

register = template.Library()


@register.simple_tag
def source_notes() -> SourceNotes:
    """`{% source_notes as notes %}` at the top of a page: the facts below then carry a note
    number, and `{% include "includes/_notes.html" %}` lists the sources once."""
    return SourceNotes()


def numbered(fact: FactValue, notes: SourceNotes | None) -> FactValue:
    """The fact with its source's note number, where the page numbers its sources."""
    if notes is None or not fact.reported:
        return fact
    return dataclasses.replace(fact, note=notes.number(fact.citation))


@register.simple_tag(takes_context=True)
def note_number(context: Context, citation: Any) -> int | None:
    """`{% note_number citation as number %}`: the citation's number among the page's notes."""
    notes = context.get("notes")
    return notes.number(citation) if notes is not None and citation is not None else None


@register.simple_tag
def icon(name: str) -> SafeString:
    """`{% icon "calendar" %}`: a small icon from the page's sprite (includes/_icons.html),
    hidden from screen readers: the words beside it say the same."""
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="#i-{}"></use></svg>',
        name,
    )


@register.simple_tag
def note_ref(number: int | None) -> SafeString:
    """`{% note_ref fact.note %}`: the source note's number beside a figure, linking to it."""
    return format_html(
        '<a class="note-ref" href="#source-{}"><span class="visually-hidden">source </span>'
        "[{}]</a>",
        number,
        number,
    )


@register.inclusion_tag("includes/_fact.html", takes_context=True)
def fact(
    context: Context, entry: SourcedModel, name: str, label: str | None = None
) -> dict[str, Any]:
    """One fact of an entry (a <dt> and a <dd>) with its source, or "not reported"."""
    return {"fact": numbered(entry.fact(name, label), context.get("notes"))}


@register.inclusion_tag("includes/_card_facts.html", takes_context=True)
def card_facts(context: Context, entry: SourcedModel) -> dict[str, Any]:
    """The facts on an entry's card (its `card_facts()`: (name, label or None, icon) each),
    label over value, with their source notes: one template for all of them."""
    notes = context.get("notes")
    return {
        "facts": [
            (numbered(entry.fact(name, label), notes), icon)
            for name, label, icon in entry.card_facts()  # type: ignore[attr-defined]
        ]
    }


@register.inclusion_tag("includes/_key_fact.html", takes_context=True)
def key_fact(
    context: Context, entry: SourcedModel, name: str, label: str | None = None, icon: str = ""
) -> dict[str, Any]:
    """A key figure at the head of a page: large value, label, source note."""
    return {"fact": numbered(entry.fact(name, label), context.get("notes")), "icon": icon}


@register.inclusion_tag("includes/_fact_section.html", takes_context=True)
def fact_section(context: Context, entry: SourcedModel, slug: str) -> dict[str, Any]:
    """A section of an entry's page: one group of its declared facts, with what the group adds
    (its template, given the entry as `entry` and under its model's name)."""
    group = entry.facts.group(slug)
    notes = context.get("notes")
    sourced = any(fact.is_sourced for fact in group.facts)
    return {
        "group": group,
        "suggest_url": suggest_url(entry, group.slug) if sourced else "",
        "facts": [numbered(fact, notes) for fact in entry.facts_of(slug)],
        "entry": entry,
        "notes": notes,
        str(entry._meta.model_name): entry,
    }


@register.simple_tag
def correction_url(entry: Model) -> str:
    """Where readers suggest a correction to `entry` (core.corrections)."""
    return suggest_url(entry)


@register.filter
def or_not_reported(value: Any) -> Any:
    """The value, or a styled "Not reported" when it is empty."""
    if value in (None, ""):
        return mark_safe('<span class="not-reported">Not reported</span>')
    return conditional_escape(value)


@register.filter
def stars(rating: Decimal | int | None) -> str:
    """A rating out of 5 drawn as stars, for the eye only (the number is always printed too)."""
    if rating in (None, ""):
        return ""
    filled = max(0, min(5, round(float(rating))))
    return "★" * filled + "☆" * (5 - filled)


@register.filter
def folds_a_ticked(field: Any) -> bool:
    """Whether a checkbox group folds a ticked option behind "More …" (core.listing
    .MoreCheckboxes): then the fold is open."""
    widget = field.field.widget
    fold = getattr(widget, "folds_a_ticked", None)
    return bool(fold and fold(field.value()))
