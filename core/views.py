"""The comparison pages of every registered kind: one view for the table, one for its CSV."""

import hashlib
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from core import registry
from core.cache import cached, whole_page
from core.comparison import Comparable, Comparison, choose_items


def kind_or_404(namespace: str) -> Comparable:
    kind = registry.comparable(namespace)
    if kind is None:
        raise Http404("Nothing of that kind can be compared.")
    return kind


def chosen(request: HttpRequest, kind: Comparable) -> tuple[list, list[str]]:
    """The items named in the query string, cached until content changes."""
    values = request.GET.getlist(kind.param)
    digest = hashlib.sha256("\n".join(values).encode("utf-8", "surrogatepass")).hexdigest()
    return cached(
        f"compare:{kind.namespace}:{digest[:32]}",
        lambda: choose_items(kind, kind.compared(), values),
    )


@whole_page(lambda kind: registry.comparable(kind).query_params)
def compare(request: HttpRequest, kind: str) -> HttpResponse:
    """A comparison of the items named in the query string (?p=… or ?c=…)."""
    comparable = kind_or_404(kind)
    items, notices = chosen(request, comparable)
    comparison = Comparison(comparable, items, highlight=request.GET.get("highlight") == "1")
    return render(
        request,
        "core/compare.html",
        {
            "kind": comparable,
            "comparison": comparison,
            "notices": notices,
            "query": urlencode([(comparable.param, slug) for slug in comparison.slugs]),
        },
    )


def compare_csv(request: HttpRequest, kind: str) -> HttpResponse:
    """The same comparison as a CSV download, sources included."""
    comparable = kind_or_404(kind)
    items, _ = chosen(request, comparable)
    if not items:
        raise Http404(f"No {comparable.noun} to compare.")
    response = HttpResponse(
        Comparison(comparable, items).as_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{comparable.noun}-comparison.csv"'
    return response


def comparison_urls(namespace: str) -> list[URLPattern]:
    """The compare page and its CSV for the kind registered as `namespace`; they go before
    `<slug>/` in the app's URLs."""
    return [
        path("compare/", compare, {"kind": namespace}, name="compare"),
        path("compare.csv", compare_csv, {"kind": namespace}, name="compare_csv"),
    ]
