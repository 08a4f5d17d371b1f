"""The read-only JSON API at /api/v1/ (django-ninja): programs, institutions, careers and
certifications, each fact with its source and dates inline (core.opendata, the same records
as the /data/ downloads).

Lists take the same parameters as the list pages and are filtered, sorted, counted and paged
by the same FilterSets (core.listing), so a count here is the list's count. A value the list
page would report as ignored is a 400 here, naming it; a page past the end is a 404; every
error is JSON, never a server error. Reads are limited per address
(`DJANGO_API_REQUESTS_PER_MINUTE`), open to any origin (read-only CORS), and carry the same
validators as the pages (portal.middleware.ValidatorMiddleware).

Why django-ninja rather than DRF with drf-spectacular: the records are already written by
core.opendata from each model's facts declaration, so the API needs no serializers of its own,
only routing, errors and an OpenAPI schema, which ninja derives from the functions; it adds
one small dependency (with pydantic) and no second way of describing the models.
"""

import logging

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI

from careers.filters import CareerFilter, CertificationFilter
from core import opendata, ratelimit
from core.listing import listing_context
from programs.filters import ProgramFilter

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="AI Degree Portal API",
    version="1",
    description="Read-only: every published program, university, career and certification, "
    "each fact with its source, as-of date and checked-on date. Not reported is null.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
}


class ApiError(Exception):
    def __init__(self, status, detail, errors=None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def respond(request, data, status=200):
    response = api.create_response(request, data, status=status)
    for name, value in CORS.items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def api_error(request, error):
    body = {"detail": error.detail}
    if error.errors:
        body["errors"] = error.errors
    return respond(request, body, status=error.status)


@api.exception_handler(Http404)
def not_found(request, error):
    return respond(request, {"detail": str(error) or "Not found."}, status=404)


@api.exception_handler(Exception)
def unexpected(request, error):
    # Logged as the error it is, answered as JSON like every other answer of the API.
    logger.exception("The API failed on %s", request.get_full_path())
    return respond(request, {"detail": "Something went wrong on our side."}, status=500)


@api.exception_handler(DataError)
def refused_value(request, error):
    return respond(request, {"detail": "A value in the request cannot be read."}, status=400)


def limit(request):
    if not ratelimit.allow(request, "api", settings.API_REQUESTS_PER_MINUTE, period=60):
        raise ApiError(429, "Too many requests from this address: wait a minute.")


def page_links(request, number, pages):
    def link(n):
        query = request.GET.copy()
        query["page"] = n
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return (link(number + 1) if number < pages else None, link(number - 1) if number > 1 else None)


def filtered(request, name, filter_class, **extra):
    """A page of the kind `name`, filtered and sorted as its list page does."""
    limit(request)
    data_kind = opendata.kind(name)
    filterset = filter_class(request.GET, queryset=data_kind.public(), **extra)
    if filterset.form.errors:
        raise ApiError(
            400,
            "Some parameters make no sense; the list page would ignore them.",
            errors={field: list(messages) for field, messages in filterset.form.errors.items()},
        )
    listing = listing_context(request, filterset, settings.API_PAGE_SIZE)
    page = listing["page_obj"]
    return page_of(request, data_kind, page, page.paginator.count, page.paginator.more)


def page_of(request, data_kind, page, count, more=False):
    pages = page.paginator.num_pages
    following, previous = page_links(request, page.number, pages)
    return respond(
        request,
        {
            "count": count,
            "more": more,
            "page": page.number,
            "pages": pages,
            "next": following,
            "previous": previous,
            "results": [
                opendata.entry_record(data_kind, entry, request.build_absolute_uri)
                for entry in page.object_list
            ],
        },
    )


def one(request, name, slug):
    limit(request)
    data_kind = opendata.kind(name)
    entry = data_kind.public().filter(slug=slug[:200]).first()
    if entry is None:
        raise Http404(f"No {data_kind.model._meta.verbose_name} here.")
    return respond(request, opendata.entry_record(data_kind, entry, request.build_absolute_uri))


def documented(filter_class):
    """The list page's parameters, for the OpenAPI schema."""
    parameters = [
        {
            "in": "query",
            "name": name,
            "required": False,
            "schema": {"type": "string"},
            "description": str(field.label or name),
        }
        for name, field in filter_class.base_filters.items()
    ]
    parameters.append(
        {"in": "query", "name": "page", "required": False, "schema": {"type": "integer"}}
    )
    return {"parameters": parameters}


@api.get("/programs", openapi_extra=documented(ProgramFilter), summary="Programs")
def programs(request):
    """Published programs, with the program list's filters and sorts (fit needs a reader's
    profile, which the API does not hold)."""
    if request.GET.get("fit") or request.GET.get("sort") == "fit":
        raise ApiError(400, "Fit needs a reader's profile: use the fit page.")
    return filtered(request, "programs", ProgramFilter, profile=None)


@api.get("/programs/{slug}", summary="One program")
def program(request, slug: str):
    return one(request, "programs", slug)


@api.get("/careers", openapi_extra=documented(CareerFilter), summary="Careers")
def careers(request):
    return filtered(request, "careers", CareerFilter)


@api.get("/careers/{slug}", summary="One career")
def career(request, slug: str):
    return one(request, "careers", slug)


@api.get("/certifications", openapi_extra=documented(CertificationFilter), summary="Certifications")
def certifications(request):
    return filtered(request, "certifications", CertificationFilter)


@api.get("/certifications/{slug}", summary="One certification")
def certification(request, slug: str):
    return one(request, "certifications", slug)


@api.get("/institutions", summary="Universities")
def institutions(request):
    """Every university with a published program, A–Z."""
    limit(request)
    data_kind = opendata.kind("institutions")
    paginator = Paginator(data_kind.public(), settings.API_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page.") from None
    return page_of(request, data_kind, page, paginator.count)


@api.get("/institutions/{slug}", summary="One university")
def institution(request, slug: str):
    return one(request, "institutions", slug)


def not_an_endpoint(request, rest=""):
    """Any other address under /api/v1/: a JSON 404 that lists what there is."""
    return respond(
        request,
        {
            "detail": "No such endpoint.",
            "endpoints": [
                "/api/v1/programs",
                "/api/v1/institutions",
                "/api/v1/careers",
                "/api/v1/certifications",
                "/api/v1/openapi.json",
                "/api/v1/docs",
            ],
        },
        status=404,
    )
