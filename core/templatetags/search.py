"""Marking the words a search matched: `{{ text|highlight:terms }}`, `{{ text|excerpt:terms }}`.

`terms` is core.search.highlight_terms(query). Everything is escaped; only the `<mark>`
elements added here are markup.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.search import WORD, marks

register = template.Library()

EXCERPT_CHARS = 220


@register.filter
def highlight(text, terms):
    text = str(text or "")
    if not terms:
        return escape(text)
    parts, at = [], 0
    for match in WORD.finditer(text):
        if marks(match.group(), terms):
            parts.append(escape(text[at : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            at = match.end()
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))


@register.filter
def excerpt(text, terms):
    """About EXCERPT_CHARS characters of `text` around its first matched word, marked."""
    text = " ".join(str(text or "").split())
    if len(text) <= EXCERPT_CHARS:
        return highlight(text, terms)
    first = next((m.start() for m in WORD.finditer(text) if marks(m.group(), terms)), 0)
    start = max(0, first - EXCERPT_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + EXCERPT_CHARS
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    piece = text[start:end]
    return mark_safe(
        ("… " if start else "") + highlight(piece, terms) + (" …" if end < len(text) else "")
    )
