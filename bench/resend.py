"""How long /reviews/resend/ takes for an address that wrote an unconfirmed review and for one
that wrote none, on the production stack (gunicorn, PostgreSQL), with a mail server that
answers slowly: the two must not be told apart.

    .venv/bin/python -m bench.resend [--requests 300] [--size 100]

It serves portal_bench_<size> (built by `make bench`, or built here), adds one pending review
by a known address, and asks for the link again for the known and an unknown address in
turn, each from a visitor with the form open (its CSRF cookie and token), timing each answer.
Prints the median and 90th percentile of each, and their difference.
"""

import argparse
import http.cookiejar
import re
import socket
import statistics
import threading
import time
import urllib.parse
import urllib.request

from bench import common
from bench.common import log

KNOWN, UNKNOWN = "resend-known@example.org", "resend-unknown@example.org"


def slow_mail_server():
    """A mail server that accepts connections and answers nothing for 5 seconds: a request
    that talked to it would take that long."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def hold():
        while True:
            connection, _ = server.accept()
            threading.Timer(5, connection.close).start()

    threading.Thread(target=hold, daemon=True).start()
    return server.getsockname()[1]


class PlainHttp(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True  # the server marks cookies Secure; here HTTP is on loopback


def visitor(server):
    """An opener with the resend form open: (opener, CSRF token)."""
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(PlainHttp())),
    )
    with opener.open(common.local_url(server.url("/reviews/resend/")), timeout=30) as response:
        page = response.read().decode()
    return opener, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def ask(server, opener, token, email):
    data = urllib.parse.urlencode({"email": email, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(common.local_url(server.url("/reviews/resend/")), data=data)
    started = time.perf_counter()
    with opener.open(request, timeout=30) as response:
        body = response.read().decode()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status == 200 and "on its way" in body, response.status
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="for each address")
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args(argv)
    database = common.bench_database(args.size)
    if not common.database_exists(database):
        common.build_database(args.size, 0)
    env = common.site_env(
        database,
        "none",
        DJANGO_REVIEW_RESENDS_PER_HOUR=10**9,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=slow_mail_server(),
        DJANGO_EMAIL_TIMEOUT=5,
    )
    common.manage(
        env,
        "shell",
        "-c",
        "from programs.models import Program; from reviews.models import Review; "
        f"Review.objects.filter(email__in=[{KNOWN!r}, {UNKNOWN!r}]).delete(); "
        "Review.objects.create(program=Program.objects.published().first(), rating=4, "
        f"title='Resend timing', body='x' * 100, would_recommend=True, email={KNOWN!r}, "
        "display_name='T', graduation_year=2024)",
    )
    times = {KNOWN: [], UNKNOWN: []}
    with common.serving(env, 2, "resend-timing") as server:
        opener, token = visitor(server)
        for _ in range(20):  # warm-up: connections, templates
            ask(server, opener, token, UNKNOWN)
        for _ in range(args.requests):
            for email in (KNOWN, UNKNOWN):
                times[email].append(ask(server, opener, token, email))
    for email, label in ((KNOWN, "address with a review"), (UNKNOWN, "unknown address")):
        values = sorted(times[email])
        log(
            f"{label:<22} median {statistics.median(values):6.2f} ms   "
            f"p90 {values[int(len(values) * 0.9)]:6.2f} ms   ({len(values)} requests)"
        )
    difference = statistics.median(times[KNOWN]) - statistics.median(times[UNKNOWN])
    log(f"difference of the medians: {difference:+.2f} ms")


if __name__ == "__main__":
    main()
