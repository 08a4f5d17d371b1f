"""Reading pages in tests as a reader would: a fact's value, and the source its note names."""

import re


def shown(content, label):
    """What the page shows for the fact labelled `label` (the <dd> after its <dt>)."""
    return content.split(f"<dt>{label}</dt>", 1)[1].split("</dd>", 1)[0]


def source_of(content, shown_html):
    """The source line that the first note number in `shown_html` points to; None if none."""
    found = re.search(r'href="#source-(\d+)"', shown_html)
    if not found:
        return None
    item = re.search(rf'<li id="source-{found.group(1)}"[^>]*>(.*?)</li>', content, re.S)
    return item.group(1) if item else None


def made_again(client, path):
    """`path` asked once, so that what every visitor sees alike is worked out and kept in the
    database (core.summaries), then the cache emptied: the next request makes the page again,
    as after a change or for an address nobody asked before."""
    from django.core.cache import cache

    client.get(path)
    cache.clear()
