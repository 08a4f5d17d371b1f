"""A page's head: its title at a length search results show, and text captured once to be used
twice (the title and description, for the page and for shared links). `{% load pages %}`."""

import html

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

SITE_NAME = "AI Degree Portal"
TITLE_MAX = 60


@register.filter
def fit_title(title):
    """“Title · AI Degree Portal” where it fits in TITLE_MAX characters; the title alone where
    only it fits; else the title cut at a word, with “…”. Counted as readers see it (an
    escaped apostrophe is one character), and escaped again."""
    title = " ".join(html.unescape(str(title)).split())
    full = f"{title} · {SITE_NAME}"
    if len(full) <= TITLE_MAX:
        return escape(full)
    if len(title) <= TITLE_MAX:
        return escape(title)
    cut = title[: TITLE_MAX - 1]
    if title[TITLE_MAX - 1] != " ":  # a word cut in two: leave it out
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,:;–-")
    return escape(f"{cut}…")


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Rendered (and escaped) once; kept safe so that it is not escaped twice.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: renders nothing, puts the text in `name`."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
