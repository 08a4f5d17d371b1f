"""Logs on standard error, one line per record, each naming the request it belongs to.

`RequestIdMiddleware` (first in MIDDLEWARE) gives every request an id, sends it back as the
`X-Request-ID` header and writes one access line per request; `RequestContextFilter` adds the
method, path and id to every record logged meanwhile; `LineFormatter` writes a record as

    2026-12-01T09:30:00Z ERROR django.request GET /programs/x/ 500 id=3f2a… Internal Server Error…

with a traceback, where there is one, on the same line (its line breaks written as ⏎).
"""

import contextvars
import logging
import re
import time
import uuid

_request = contextvars.ContextVar("request", default=None)
REQUEST_ID_HEADER = "X-Request-ID"
# An id a trusted proxy already gave the request is kept, if it looks like one.
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

access_log = logging.getLogger("portal.access")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core.clients import from_trusted_proxy

        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        keep = from_trusted_proxy(request) and INCOMING_ID.match(incoming)
        request.id = incoming if keep else uuid.uuid4().hex
        token = _request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.id
            access_log.info(
                "%s ms",
                round((time.monotonic() - started) * 1000),
                extra={"status_code": response.status_code},
            )
            return response
        finally:
            _request.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds `method`, `path` and `request_id` (or "-") to every record."""

    def filter(self, record):
        request = getattr(record, "request", None) or _request.get()
        if request is not None and hasattr(request, "META"):
            record.method = request.method
            record.path = request.get_full_path()[:500]
            record.request_id = getattr(request, "id", "-")
        else:
            record.method = record.path = record.request_id = "-"
        if not hasattr(record, "status_code"):
            record.status_code = "-"
        return True


class LineFormatter(logging.Formatter):
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = None
    converter = time.gmtime  # type: ignore[assignment]  # typeshed: gmtime(secs=None)

    def __init__(self):
        super().__init__(
            "%(asctime)sZ %(levelname)s %(name)s %(method)s %(path)s %(status_code)s "
            "id=%(request_id)s %(message)s"
        )

    def format(self, record):
        for name in ("method", "path", "request_id", "status_code"):
            if not hasattr(record, name):
                setattr(record, name, "-")
        return one_line(super().format(record))


def one_line(text):
    return text.replace("\r", "").replace("\n", " ⏎ ")
