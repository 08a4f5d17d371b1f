from functools import partial
from urllib.parse import urlencode

from django.urls import reverse

from core import registry
from portal.tray import Tray


def tray_summary(request):
    """The comparison tray of the section the visitor is in, or None outside one."""
    match = request.resolver_match
    kind = registry.kind(match.namespace) if match else None
    if kind is None:
        return None
    namespace = kind.namespace
    items = Tray(request.session).public_items(namespace, kind.named())
    query = urlencode([(kind.param, item["slug"]) for item in items])
    return {
        "namespace": namespace,
        "kind": kind,
        "items": items,
        "slugs": [item["slug"] for item in items],
        "compare_url": f"{reverse(f'{namespace}:compare')}?{query}",
        "query": query,
    }


def comparison_tray(request):
    # Called only by templates that show the tray, so other pages never touch the session.
    return {"compare_tray": partial(tray_summary, request)}
