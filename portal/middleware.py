"""Whole public pages from the cache, and the headers every page carries.

A page opts in to whole-page caching with `core.cache.whole_page(params)`, naming the query
parameters it reads. For a visitor without cookies (no session, so no comparison tray and no
messages) such a page is the same for everyone but for the CSRF token of its forms. The page
is stored with that token replaced by a marker and served with a fresh token for each visitor,
so forms work and nobody receives another's token. Anyone with a session, staff included,
gets a page rendered for them.

The key is the path and the parameters the page reads, sorted: tracking parameters
(`?utm_source=…`) and reordered ones share one entry. The view itself sees only those
parameters, so what is stored is exactly what the key describes. Keys carry the content
version (core.cache), so an editor's save or a moderation decision retires every stored
page at once.

The stored page is answered from `process_view`, after URL resolution and before the view, so
it travels back through every middleware like a fresh page and gets the same headers.
"""

import hashlib
import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.db import DataError
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from core.cache import cached_page, page_cache_params, store_page

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MARKER = "__csrf_token_for_this_visitor__"


def canonical_query(query, params):
    """The parameters a page reads, in a fixed order (each one's values kept in their order)."""
    names = sorted(set(query) & set(params))
    return urlencode([(name, value) for name in names for value in query.getlist(name)])


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is None:
            return response
        patch_vary_headers(response, ["Cookie"])
        if (
            response.status_code == 200
            and not response.streaming
            and response["Content-Type"].startswith("text/html")
            and not response.cookies.get(settings.SESSION_COOKIE_NAME)
        ):
            content = response.content.decode()
            token = TOKEN.search(content)
            if token:
                content = content.replace(token.group(1), MARKER)
            store_page(key, (content, response["Content-Type"]))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self.anonymous(request):
            return None
        params = page_cache_params(view_func, view_kwargs)
        if params is None:
            return None
        query = canonical_query(request.GET, params)
        # The view reads the parameters the key names, and nothing else.
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
        full_path = f"{request.path}?{query}".encode("utf-8", "surrogatepass")
        key = f"page:{hashlib.sha256(full_path).hexdigest()}"
        page = cached_page(key)
        if page is None:
            request.page_cache_key = key
            return None
        content, content_type = page
        if MARKER in content:
            content = content.replace(MARKER, get_token(request))
        response = HttpResponse(content, content_type=content_type)
        patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def anonymous(request):
        return request.method in ("GET", "HEAD") and not request.COOKIES.keys() - {
            settings.CSRF_COOKIE_NAME
        }


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response (Django's SecurityMiddleware has no setting)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


logger = logging.getLogger(__name__)


class BadRequestMiddleware:
    """A request the portal cannot read is answered 400, not 503 or 500, and is not logged as
    an error: it is the visitor's input, not an outage nor a bug.

    - A NUL byte in the address, the query string or a cookie: PostgreSQL cannot even compare
      it with a slug, and a file path cannot hold it.
    - A value the database refuses (DataError), such as a number past any integer column.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            return bad_request()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            logger.warning("A value in the request was refused by the database: %s", exception)
            return bad_request()
        return None


def holds_nul(request):
    texts = [request.path, *request.COOKIES.values()]
    for name, values in request.GET.lists():
        texts.append(name)
        texts.extend(values)
    return any("\x00" in text for text in texts)


def bad_request():
    # Like the error pages, rendered without the database or a context processor.
    return HttpResponseBadRequest(
        render_to_string("400.html"), content_type="text/html; charset=utf-8"
    )
