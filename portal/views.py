import logging
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils._os import safe_join
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from careers.models import Career, Certification
from careers.payback import HORIZON_YEARS, tax_free_limit
from core import opendata, ratelimit, registry
from core.cache import cached, whole_page
from core.comparison import MAX_ITEMS
from core.forms import CorrectionForm
from core.models import Source, Statistic
from core.summaries import summaries
from portal.tray import Tray
from programs.filters import ProgramFilter
from programs.models import Program
from reviews.views import not_saved, too_many

logger = logging.getLogger(__name__)

# The home page's ways into the program list: (what it leads to, its query string).
SHORTCUTS = [
    (
        "Online or hybrid programs",
        "you can take while working shifts",
        "format=online&format=hybrid",
    ),
    ("Programs you can study part-time", "beside a job", "pace=part_time"),
    (
        "Programs open without a programming background",
        "or with a bridge course",
        "no_programming_background=on",
    ),
    ("Programs you can finish within two years", "at their fastest pace", "max_months=24"),
    (
        "Programs by tuition, lowest first",
        "where tuition is reported",
        "sort=tuition&max_tuition=10000000",
    ),
]


def shortcuts() -> list[dict[str, Any]]:
    """Each shortcut with the number of programs it leads to; one that leads nowhere is left out."""
    found = []
    for label, detail, query in SHORTCUTS:
        count = ProgramFilter(QueryDict(query), queryset=Program.objects.published()).qs.count()
        if count:
            found.append({"label": label, "detail": detail, "query": query, "count": count})
    return found


FEATURED = 3


def featured_programs() -> list[int]:
    """The keys of the published programs that report the most facts (their cited fields)."""
    return list(
        Program.objects.published()
        .annotate(cited=Count("citations"))
        .order_by("-cited", "title", "pk")
        .values_list("pk", flat=True)[:FEATURED]
    )


@whole_page()
def home(request: HttpRequest) -> HttpResponse:
    # What every visitor sees alike, kept in the database until content changes: one query.
    context = summaries(
        {
            "home:program_count": lambda: Program.objects.published().count(),
            "home:career_count": lambda: Career.objects.published().count(),
            "home:certification_count": lambda: Certification.objects.published().count(),
            "home:shortcuts": shortcuts,
            "home:featured": featured_programs,
        }
    )
    context = {key.removeprefix("home:"): value for key, value in context.items()}
    featured = Program.objects.published().for_listing().in_bulk(context["featured"])
    context["featured"] = [featured[pk] for pk in context["featured"] if pk in featured]
    context["statistics"] = list(Statistic.objects.for_home())
    site = request.build_absolute_uri("/")
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "AI Degree Portal",
        "url": site,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": request.build_absolute_uri(reverse("search"))
                + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    return render(request, "portal/home.html", {**context, "structured_data": website})


@whole_page()
def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/about.html",
        {"sources": Source.objects.all(), "stale_after_months": settings.STALE_AFTER_MONTHS},
    )


def styleguide(request: HttpRequest) -> HttpResponse:
    """Every component of the stylesheet, drawn from real entries, with the template that
    makes it: for whoever builds the next page. Debug or staff only; a 404 for others."""
    if not (settings.DEBUG or request.user.is_staff):
        raise Http404("No such page.")
    program = (
        Program.objects.published()
        .for_detail()
        .annotate(cited=Count("citations"))
        .order_by("-cited", "pk")
        .first()
    )
    career = (
        Career.objects.published()
        .for_detail()
        .filter(median_salary__isnull=False)
        .order_by("-salary_low", "pk")
        .first()
    )
    return render(request, "portal/styleguide.html", {"program": program, "career": career})


@require_POST
def tray_update(request: HttpRequest) -> HttpResponse:
    """Add an item to the comparison tray, remove one, or empty it; then go back."""
    kind = request.POST.get("kind", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    if registry.comparable(kind) is None:
        raise Http404("Nothing of that kind can be compared.")
    noun, queryset = registry.comparable(kind).noun, registry.comparable(kind).named()
    back = back or reverse(f"{kind}:list")
    tray = Tray(request.session)
    action, slug = request.POST.get("action"), request.POST.get("slug", "")
    if action == "clear":
        tray.clear(kind)
        messages.success(request, f"The comparison of {noun}s is empty.")
    elif action == "remove":
        # Always possible, even for an entry that is no longer published.
        if slug in tray.slugs(kind):
            tray.remove(kind, slug)
            item = queryset.filter(slug=slug).first()
            removed = (
                format_html("“<bdi>{}</bdi>”", item)
                if item
                else "an entry that is no longer published"
            )
            messages.success(request, format_html("Removed {} from the comparison.", removed))
    elif action == "add":
        item = queryset.filter(slug=slug).first() if slug and "\x00" not in slug else None
        if item is None:
            raise Http404(f"No such {noun}.")
        tray.keep_only(kind, queryset)
        if tray.add(kind, slug):
            messages.success(request, format_html("Added “<bdi>{}</bdi>” to the comparison.", item))
        else:
            messages.error(
                request,
                format_html(
                    "The comparison holds {} {}s at most: remove one before adding "
                    "“<bdi>{}</bdi>”.",
                    MAX_ITEMS,
                    noun,
                    item,
                ),
            )
    else:
        return HttpResponseBadRequest("Unknown action.")
    return redirect(back)


MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}


def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded file (a logo), for a single machine serving its own MEDIA_ROOT.

    Only the image types the upload accepts, under the generated names it gives them, from
    inside MEDIA_ROOT; with several machines a shared store or the proxy serves them instead
    (docs/operations.md, "Uploaded files").
    """
    media_type = MEDIA_TYPES.get(Path(path).suffix.lower())
    try:
        file_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation:
        raise Http404("No such file.") from None
    if media_type is None or not file_path.is_file():
        raise Http404("No such file.")
    response = FileResponse(file_path.open("rb"), content_type=media_type)
    # Uploads get a new generated name, never the name of an earlier file: cache for a year.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def ping(request: HttpRequest) -> HttpResponse:
    """The trivial view benchmarks compare every page with: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """A 503 while the database is unreachable (it comes back by itself), a 500 otherwise.

    Neither page touches the database or a context processor: both must render when the site
    is at its most broken.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = HttpResponse(
            render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
        )
        response["Retry-After"] = "30"
        return response
    return HttpResponse(
        render_to_string("500.html"), status=500, content_type="text/html; charset=utf-8"
    )


@whole_page()
def fit_and_payback_explained(request: HttpRequest) -> HttpResponse:
    """How the fit check and the payback are worked out, and what they cannot know."""
    return render(
        request,
        "portal/fit_and_payback.html",
        {"limit": tax_free_limit(), "horizon": HORIZON_YEARS},
    )


def suggest_correction(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """A reader's correction of a fact of a public page (core.corrections): never public,
    read by an editor. Refused politely past a few an hour from one connection; with the
    database down, the form comes back with what was typed."""
    correctable = registry.correctable(kind)
    if correctable is None:
        raise Http404("Nothing of that kind can be corrected.")
    template = "portal/correction_form.html"
    context: dict[str, Any] = {"entry": None, "kind": kind}
    try:
        context["entry"] = entry = get_object_or_404(correctable.public(), slug=slug)
        group = request.GET.get("group", "")[:60]
        context["form"] = form = CorrectionForm(request.POST or None, entry=entry, group=group)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                if not ratelimit.allow(request, "correction", settings.CORRECTIONS_PER_HOUR):
                    return too_many(request, template, context)
                if not form.is_bot:
                    form.save()
            messages.success(
                request,
                "Thank you: your correction was received. An editor checks the page you gave "
                "before anything changes"
                + (", and we will e-mail you the outcome." if form.cleaned_data["email"] else "."),
            )
            return redirect(entry.get_absolute_url())
    except DatabaseError:
        if request.method != "POST":
            raise
        logger.exception("A correction could not be stored.")
        context["form"] = CorrectionForm(initial=request.POST.dict(), entry=context["entry"])
        return not_saved(request, template, context)
    return render(request, template, context)


# What search engines should leave alone: the admin, forms, search and fit results,
# comparisons and everything personal. "*" is understood by Google and Bing.
ROBOTS_DISALLOW = [
    "/admin/",
    "/search/",
    "/fit/",
    "/compare/",
    "/programs/compare/",
    "/careers/compare/",
    "/certifications/compare/",
    "/corrections/",
    "/reviews/resend/",
    "/reviews/confirm/",
    "/programs/*/reviews/new/",
    "/programs/*/payback/",
    "/institutions/*/update/",
    "/api/",
]


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def favicon(request: HttpRequest) -> HttpResponseBase:
    """The icon browsers ask for at /favicon.ico (pages name the SVG one)."""
    path = Path(settings.BASE_DIR) / "static" / "favicon.ico"
    response = FileResponse(path.open("rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


LICENCE = (
    "The portal's compilation (which entries and facts, and how they are arranged) is offered "
    "under the Creative Commons Attribution 4.0 licence (CC BY 4.0): reuse it, naming the AI "
    "Degree Portal. Each fact remains its source's: its source and dates are given beside it; "
    "cite them, and check the source's own terms before reusing its words."
)


def data_records(request: HttpRequest, name: str) -> list[dict[str, Any]]:
    """Every public entry of the kind `name` as open data, cached until the content changes."""
    data_kind = opendata.kind(name)
    if data_kind is None:
        raise Http404("No such data.")
    host = request.get_host()[:100]
    return cached(
        f"data:{name}:{host}",
        lambda: [
            opendata.entry_record(data_kind, entry, request.build_absolute_uri)
            for entry in data_kind.public()
        ],
    )


@whole_page()
def data_page(request: HttpRequest) -> HttpResponse:
    kinds = opendata.kinds()
    return render(
        request,
        "portal/data.html",
        {
            "kinds": [(name, opendata.dictionary(kind)) for name, kind in kinds.items()],
            "citation_columns": opendata.CITATION_COLUMNS,
            "licence": LICENCE,
        },
    )


def data_download(request: HttpRequest, name: str, format: str) -> HttpResponse:
    """/data/<kind>.csv or .json, and /data/citations.csv or .json: every published entry and
    every reported fact's source. A validator (ETag, portal.middleware) changes only with them."""
    kinds = opendata.kinds()
    if name != "citations" and name not in kinds:
        raise Http404("No such download.")
    if name == "citations":
        rows = list(opendata.citation_rows({kind: data_records(request, kind) for kind in kinds}))
        if format == "csv":
            response = HttpResponse(
                opendata.citations_csv(rows), content_type="text/csv; charset=utf-8"
            )
        else:
            payload = {"kind": "citations", "licence": LICENCE, "count": len(rows), "records": rows}
            response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    else:
        records = data_records(request, name)
        if format == "csv":
            response = HttpResponse(
                opendata.as_csv(kinds[name], records), content_type="text/csv; charset=utf-8"
            )
        else:
            payload = {"kind": name, "licence": LICENCE, "count": len(records), "records": records}
            response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{name}.{format}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
