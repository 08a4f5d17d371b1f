"""Whole public pages from the cache, and the headers every page carries.

A page opts in to whole-page caching with `core.cache.whole_page(params)`, naming the query
parameters it reads. Such a page is the same for every visitor but for the CSRF token of its
forms and for what the visitor's session changes in it. The page is stored with that token
replaced by a marker and served with each visitor's own token, so forms work and nobody
receives another's token.

What a session changes is known from the page itself: the session remembers the keys a
rendering read (core.sessions). A page that read none, or read only keys this visitor's
session does not hold, is shared by every visitor, with or without a session; one that read a
key the visitor holds (the tray of its section, the fit profile) is stored once per value of
those keys. So a comparison tray of programs leaves every career page, the home page and the
rest cached, and two visitors with the same tray share their pages. Signed-in visitors (staff)
and visitors with cookies of another kind (a message waiting) get a page rendered for them.

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

import brotli
from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_KEY
from django.db import DataError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_vary_headers

from core.cache import cached_page, page_cache_params, page_variant, store_page
from core.sessions import EVERY_KEY

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
        session = request.session
        if (
            response.status_code == 200
            and not response.streaming
            and response["Content-Type"].startswith("text/html")
            and not response.cookies.get(settings.SESSION_COOKIE_NAME)
            and not session.modified
            and EVERY_KEY not in session.keys_read
        ):
            content = response.content.decode()
            token = TOKEN.search(content)
            if token:
                content = content.replace(token.group(1), MARKER)
            page = (content, response["Content-Type"])
            reads = tuple(sorted(session.keys_read))
            values = [session.peek(name) for name in reads]
            if any(value is not None for value in values):
                store_page(page_variant(key, reads, values), reads, page)
                if cached_page(key) is None:
                    # So that the next visitor's lookup knows which keys to read.
                    store_page(key, reads, None)
            else:
                store_page(key, reads, page)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self.cacheable(request):
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
        page = self.stored_page(request.session, key)
        if page is None:
            request.page_cache_key = key  # rendered now, and stored on the way back
            return None
        content, content_type = page
        if MARKER in content:
            content = content.replace(MARKER, get_token(request))
        response = HttpResponse(content, content_type=content_type)
        patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def stored_page(session, key):
        """The page stored under `key` for a session like this one, or None."""
        found = cached_page(key)
        if found is None:
            return None
        reads, page = found
        values = [session.peek(name) for name in reads]
        if not any(value is not None for value in values):
            return page
        variant = cached_page(page_variant(key, reads, values))
        return variant[1] if variant is not None and variant[0] == reads else None

    @staticmethod
    def cacheable(request):
        """A GET by a visitor who is not signed in and has no cookie but the CSRF token's and
        the session's (a waiting message, say, has one of its own)."""
        if request.method not in ("GET", "HEAD"):
            return False
        # An empty cookie is one a response deleted (a message shown) that a client kept.
        others = {name for name, value in request.COOKIES.items() if value} - {
            settings.CSRF_COOKIE_NAME,
            settings.SESSION_COOKIE_NAME,
        }
        if others:
            return False
        return request.session.peek(USER_KEY) is None


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
            return bad_request(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            logger.warning("A value in the request was refused by the database: %s", exception)
            return bad_request(request)
        return None


def holds_nul(request):
    texts = [request.path, *request.COOKIES.values()]
    for name, values in request.GET.lists():
        texts.append(name)
        texts.extend(values)
    return any("\x00" in text for text in texts)


def bad_request(request=None):
    # Like the error pages, rendered without the database or a context processor; JSON for
    # the API, which answers everything in JSON.
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse({"detail": "This address cannot be read."}, status=400)
    return HttpResponseBadRequest(
        render_to_string("400.html"), content_type="text/html; charset=utf-8"
    )


class CompressionMiddleware(GZipMiddleware):
    """Pages, JSON and CSV compressed by the portal itself: brotli where the client accepts it,
    otherwise gzip (Django's, which also pads each response with a random number of bytes).

    BREACH, the attack on compressed pages that carry a secret, finds nothing here to read: the
    only secret in a page is the CSRF token, which Django masks afresh for every response (so it
    never repeats), and the whole-page cache puts each visitor's own freshly masked token in. No
    page reflects a secret or what another visitor typed.
    """

    min_length = 200
    types = ("text/", "application/json", "application/xml", "image/svg+xml")

    def process_response(self, request, response):
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or len(response.content) < self.min_length
            or not response.get("Content-Type", "").startswith(self.types)
        ):
            return response
        if not re.search(r"\bbr\b", request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, quality=5)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response


class ValidatorMiddleware:
    """An ETag on every public page that is the same for every visitor (the per-visitor CSRF
    token left out of it), so a browser's revisit is answered 304 Not Modified with no body;
    with `Cache-Control: private, no-cache`, the browser keeps the page but asks each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
            or response.has_header("ETag")
            or response.has_header("Cache-Control")  # the admin's never_cache, a file's own
            or response.cookies
            or request.session.peek(USER_KEY) is not None
        ):
            return response
        content = TOKEN.sub(MARKER, response.content.decode(response.charset, "replace"))
        digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        response.headers["ETag"] = f'W/"{digest}"'
        response.headers["Cache-Control"] = "private, no-cache"
        return get_conditional_response(request, etag=response["ETag"], response=response)
