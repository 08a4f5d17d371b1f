"""`{{ result.marked_title|marked }}`: a text whose matched words search.results.mark set
between START and STOP, escaped, with those words in `<mark>`; the only markup added."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.results import START, STOP

register = template.Library()


@register.filter
def marked(text: str | None) -> SafeString:
    escaped = escape(str(text or ""))
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))
