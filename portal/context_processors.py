from functools import partial
from urllib.parse import urlencode

from django.urls import reverse

from core import registry
from portal.tray import Tray


def tray_summary(request):
    """The comparison tray of the section the visitor is in, or None outside one."""
    match = request.resolver_match
    kind = registry.comparable(match.namespace) if match else None
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


# Pages that search engines should not index (their links are still followed): results for one
# visitor, forms, comparisons, the style guide.
NOINDEX = {
    "search",
    "fit",
    "fit_forget",
    "suggest_correction",
    "styleguide",
    "compare",
    "compare_csv",
    "compare_payback",
    "program_payback",
    "new",
    "resend",
    "confirm",
    "report",
    "replies",
    "update_request",
    "update",
    "proposal",
    "reminder_request",
    "reminder_confirm",
    "reminder_stop",
}
LISTS = {"programs:list", "careers:list", "certifications:list", "institutions:list"}
NOT_FACETS = {"page", "sort"}


def seo(request):
    """The page's canonical address, and whether search engines should leave it out.

    A list filtered by one facet (one value) is a page of its own, its canonical form that
    facet alone (and its page number); sorted, or filtered further, it points there and is not
    indexed, nor is a list searched with words.
    """
    match = request.resolver_match
    if match is None:
        return {}
    noindex = match.url_name in NOINDEX
    keep = []
    if match.view_name in LISTS:
        facets = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in NOT_FACETS
            for value in values
            if value
        ]
        noindex = len(facets) > 1 or any(name == "q" for name, _ in facets)
        if len(facets) == 1 and not noindex:
            keep = facets
        page = request.GET.get("page", "")
        if page.isdigit() and int(page) > 1:
            keep.append(("page", page))
    query = f"?{urlencode(keep)}" if keep else ""
    return {"canonical_url": request.build_absolute_uri(request.path) + query, "noindex": noindex}
