"""Whole public pages from the cache, for visitors with nothing of their own on the page.

A visitor without cookies (no session, so no comparison tray and no messages) sees the same
page as any other; only the CSRF token of the page's forms is theirs. The rendered page is
stored with that token replaced by a marker, and served with a fresh token for each visitor,
so the forms still work and no visitor ever receives another's token. Anyone with a session,
staff included, gets a page rendered for them. Keys carry the content version (portal.cache),
so an editor's save or a moderation decision retires every stored page at once.
"""

import hashlib
import re

from django.middleware.csrf import get_token

from portal.cache import cached_page, store_page

CACHEABLE = re.compile(r"^/(|programs/.*|careers/.*|certifications/.*|reviews/policy/|about/)$")
NEVER = re.compile(r"/reviews/new/$|\.csv$")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MARKER = "__csrf_token_for_this_visitor__"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        full_path = request.get_full_path().encode("utf-8", "surrogatepass")
        key = f"page:{hashlib.sha256(full_path).hexdigest()}"
        page = cached_page(key)
        if page is not None:
            content, content_type = page
            return self.respond(request, content, content_type)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and response["Content-Type"].startswith("text/html")
            and not response.cookies.get("sessionid")
        ):
            content = response.content.decode()
            token = TOKEN.search(content)
            if token:
                content = content.replace(token.group(1), MARKER)
            store_page(key, (content, response["Content-Type"]))
        return response

    @staticmethod
    def cacheable(request):
        return (
            request.method in ("GET", "HEAD")
            and not request.COOKIES.keys() - {"csrftoken"}
            and CACHEABLE.match(request.path)
            and not NEVER.search(request.path)
        )

    @staticmethod
    def respond(request, content, content_type):
        from django.http import HttpResponse

        if MARKER in content:
            content = content.replace(MARKER, get_token(request))
        response = HttpResponse(content, content_type=content_type)
        response["Vary"] = "Cookie"
        return response
