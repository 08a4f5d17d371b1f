"""A page's head: its title at a length search results show, and text captured once to be used
twice (the title and description, for the page and for shared links). `{% load pages %}`."""

import html
import json
from typing import Any

from django import template
from django.conf import settings
from django.template import Context
from django.template.base import Parser, Token
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SITE_NAME = "AI Degree Portal"
TITLE_MAX = 60


@register.filter
def fit_title(title: str) -> str:
    """“Title · AI Degree Portal” where it fits in TITLE_MAX characters; the title alone where
    only it fits; else the title cut at a word, with “…”. Counted as readers see it (an
    escaped apostrophe is one character), and escaped again."""
    title = " ".join(html.unescape(str(title)).split())
    full = f"{title} · {SITE_NAME}"
    if len(full) <= TITLE_MAX:
        return mark_safe(escape(full))
    if len(title) <= TITLE_MAX:
        return mark_safe(escape(title))
    cut = title[: TITLE_MAX - 1]
    if title[TITLE_MAX - 1] != " ":  # a word cut in two: leave it out
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,:;–-")
    return mark_safe(escape(f"{cut}…"))


def escape(text: str) -> str:
    """Escaped as element text: &, < and >; quotes need none there."""
    return html.escape(text, quote=False)


class CaptureNode(template.Node):
    def __init__(self, nodelist, name) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: Context) -> str:
        # Rendered (and escaped) once; kept safe so that it is not escaped twice.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser: Parser, token: Token) -> "CaptureNode":
    """{% capture as name %}…{% endcapture %}: renders nothing, puts the text in `name`."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


# Characters that must not reach the page raw inside a <script> element.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def ld_json(data: Any) -> SafeString:
    """Structured data in a page: JSON-LD that no text in it can close its element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def breadcrumbs_ld(context: Context, title: str) -> str:
    """A BreadcrumbList for the page: the home page, the section its address is in (named in
    settings.SECTION_NAMES), then the page itself."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return ""
    home = request.build_absolute_uri("/")
    trail = [("Home", home)]
    section = request.path.strip("/").split("/")[0]
    name = settings.SECTION_NAMES.get(section)
    if name:
        trail.append((name, request.build_absolute_uri(f"/{section}/")))
    here = context.get("canonical_url") or request.build_absolute_uri(request.path)
    if here not in {url for _, url in trail}:
        trail.append((html.unescape(str(title)), here))
    return ld_json(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": url}
                for n, (name, url) in enumerate(trail, start=1)
            ],
        }
    )
