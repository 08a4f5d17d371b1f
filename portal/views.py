from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from careers.models import Career, Certification
from portal.comparison import MAX_ITEMS, Comparison, choose_items
from portal.models import Source, Statistic
from portal.tray import Tray, comparable
from programs.models import Program


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "statistics": Statistic.objects.for_home(),
            "program_count": Program.objects.published().count(),
            "career_count": Career.objects.published().count(),
            "certification_count": Certification.objects.published().count(),
        },
    )


def about(request):
    return render(request, "portal/about.html", {"sources": Source.objects.all()})


def comparison_page(request, kind, queryset, template="portal/compare.html"):
    """A comparison of the items named in the query string (?p=… or ?c=…)."""
    items, messages = choose_items(kind, queryset, request.GET.getlist(kind.param))
    comparison = Comparison(kind, items, highlight=request.GET.get("highlight") == "1")
    return render(
        request,
        template,
        {
            "kind": kind,
            "comparison": comparison,
            "notices": messages,
            "query": urlencode([(kind.param, slug) for slug in comparison.slugs]),
        },
    )


def comparison_csv(request, kind, queryset):
    """The same comparison as a CSV download, sources included."""
    items, _ = choose_items(kind, queryset, request.GET.getlist(kind.param))
    if not items:
        raise Http404(f"No {kind.noun} to compare.")
    response = HttpResponse(
        Comparison(kind, items).as_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind.noun}-comparison.csv"'
    return response


@require_POST
def tray_update(request):
    """Add an item to the comparison tray, remove one, or empty it; then go back."""
    kinds = comparable()
    kind = request.POST.get("kind", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    if kind not in kinds:
        raise Http404("Nothing of that kind can be compared.")
    noun, queryset = kinds[kind][0].noun, kinds[kind][1]
    back = back or reverse(f"{kind}:list")
    tray = Tray(request.session)
    action, slug = request.POST.get("action"), request.POST.get("slug", "")
    if action == "clear":
        tray.clear(kind)
        messages.success(request, f"The comparison of {noun}s is empty.")
    elif action in {"add", "remove"}:
        item = queryset.filter(slug=slug).first() if slug and "\x00" not in slug else None
        if item is None:
            raise Http404(f"No such {noun}.")
        if action == "remove":
            tray.remove(kind, slug)
            messages.success(request, f"Removed “{item}” from the comparison.")
        elif tray.add(kind, slug, str(item)):
            messages.success(request, f"Added “{item}” to the comparison.")
        else:
            messages.error(
                request,
                f"The comparison holds {MAX_ITEMS} {noun}s at most: remove one before adding "
                f"“{item}”.",
            )
    else:
        return HttpResponseBadRequest("Unknown action.")
    return redirect(back)
