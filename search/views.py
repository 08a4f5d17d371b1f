"""The search page: everything the portal holds that matches what was typed, by kind."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.cache import cached, whole_page
from core.listing import page_or_404, query_digest
from search import index, results
from search import query as words

SEARCH_EXAMPLES = ["clinical NLP", "nursing informatics", "CMU", "online part-time", "Ohio"]


@whole_page(("q", "kind", "page"))
def search_page(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds that matches what was typed, grouped by kind.

    With `kind`, every result of one kind that has no list page of its own, 20 a page. A word
    the index does not know is compared with the words it does: if the query finds nothing
    as typed but does as corrected, the corrected results are shown; if both find something,
    the corrected query is offered.
    """
    text = request.GET.get("q", "")
    kinds = index.kinds()
    only = request.GET.get("kind")
    if only not in kinds:
        only = None
    query = words.parse(text)
    context = {"text": text, "query": query, "examples": SEARCH_EXAMPLES, "kind": only}
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
