"""The search page: everything the portal holds that matches what was typed, by kind."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.cache import cached, whole_page
from core.listing import page_or_404, query_digest
from search import index, lists, results
from search import query as words
from search.index import Searchable
from search.phrases import understand

SEARCH_EXAMPLES = ["clinical NLP", "nursing informatics", "CMU", "online part-time", "Ohio"]


@whole_page(("q", "kind", "page"))
def search_page(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds that matches what was typed, grouped by kind.

    With `kind`, every result of one kind that has no list page of its own, 20 a page. A word
    the index does not know is compared with the words it does: if the query finds nothing
    as typed but does as corrected, the corrected results are shown; if both find something,
    the corrected query is offered.

    Words that name a filter of a list ("online", "no GRE", "under $30,000": search.phrases)
    lead to that list with those filters applied; only the other words are searched here,
    and with no other words the visitor goes straight to the list.
    """
    text = request.GET.get("q", "")
    kinds = index.kinds()
    only = request.GET.get("kind")
    if only not in kinds:
        only = None
    filtered = None if only else filtered_list(text, kinds)
    if filtered is not None and not words.words(filtered["rest"]):
        return redirect(filtered["url"])
    query = words.parse(filtered["rest"] if filtered else text)
    context = {
        "text": text,
        "query": query,
        "examples": SEARCH_EXAMPLES,
        "kind": only,
        "filtered": filtered,
    }
    if not query:
        return render(request, "search/search.html", context)

    def compute():
        shown, groups = query, run(query)
        total = sum(group.count for group in groups)
        corrected = words.correction(query)
        suggestion = None
        if corrected:
            better = words.parse(corrected)
            better_groups = run(better)
            if sum(group.count for group in better_groups):
                if total:
                    suggestion = corrected
                else:
                    shown, groups = better, better_groups
        return {
            "groups": groups,
            "shown_text": shown.text,
            "suggestion": suggestion,
        }

    def run(query):
        if only is None:
            return results.find(query)
        count = results.find(query, only=only, limit=0)[0].count
        page = page_or_404(request, range(count), settings.LIST_PAGE_SIZE)
        offset = page.start_index() - 1 if count else 0
        group = results.find(query, only=only, limit=settings.LIST_PAGE_SIZE, offset=offset)[0]
        group.page = page
        return [group]

    key = f"search:{query_digest(request, {'q', 'kind', 'page'})}"
    found = cached(key, compute)
    context.update(found)
    context["corrected"] = found["shown_text"] != query.text
    context["total"] = sum(group.count for group in found["groups"])
    context["more"] = any(group.more for group in found["groups"])
    context["candidates"] = settings.SEARCH_CANDIDATES
    return render(request, "search/search.html", context)


def filtered_list(text: str, kinds: dict[str, Searchable]) -> dict[str, Any] | None:
    """The first list (in the search page's order) whose filters the words name: its label,
    what was read, and its address with the words as typed (the list reads them again)."""
    for kind in kinds.values():
        if kind.list_filters is None or kind.all_results is None:
            continue
        understood = understand(text[: lists.MAX_LENGTH], kind.key)
        if understood.applied:
            return {
                "label": kind.label.lower(),
                "read": [applied.typed for applied in understood.applied],
                "rest": understood.rest,
                "url": kind.all_results(text),
            }
    return None
