"""Show, against real server processes, that the portal behaves when a part fails.

    python ops/resilience.py      (or: make resilience)

It builds a scratch PostgreSQL database, starts gunicorn twice on 127.0.0.1 with the production
settings, both behind small TCP relays to PostgreSQL and Redis that this script can cut, and
checks, printing each step:

1. two server processes sharing one database and one Redis stay consistent: a review approved
   through the admin of one is at once on the program page served by the other, whose copy
   was cached;
2. with the database unreachable the site answers a plain 503 page (no stack trace), /healthz
   says 503, a review sent meanwhile comes back with what was typed and says it was not sent,
   and all recover by themselves when the database returns;
3. with Redis unreachable every page still renders, uncached; the per-visitor review limit
   still holds and a reader's report is still stored; all recover when Redis returns;
4. with the mail server unreachable a review is received and says so, its confirmation e-mail
   waits in the queue, and `manage.py send_queued_email` sends it once the server is back; the
   reviewer can ask for the e-mail again.

The servers sit behind a "proxy" (DJANGO_TRUSTED_PROXIES=127.0.0.1): each simulated visitor
sends its own X-Forwarded-For, as the proxy would, and is limited on its own.

Only loopback addresses are used; every loop is bounded; every process it starts is stopped.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import selectors
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
DATABASE = "portal_resilience"
REDIS_DB = 14


class Relay:
    """A TCP relay from a local port to a service; `cut()` drops and refuses connections."""

    def __init__(self, target):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update({client, upstream})
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a, b):
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while self.open:
                for key, _ in selector.select(timeout=0.5):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (a, b):
                sock.close()
            with self.lock:
                self.sockets.difference_update({a, b})

    def cut(self):
        self.open = False
        with self.lock:
            for sock in list(self.sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def restore(self):
        self.open = True


class SmtpSink:
    """The smallest mail server that Django's SMTP backend can talk to; it keeps the messages."""

    def __init__(self):
        self.messages = []
        sink = self

        class Session(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink ready\r\n")
                while line := self.rfile.readline():
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        self.wfile.write(b"250 sink\r\n")
                    elif command == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(chunk)
                        sink.messages.append(b"".join(data).decode("utf-8", "replace"))
                        self.wfile.write(b"250 kept\r\n")
                    elif command == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:  # MAIL FROM, RCPT TO, RSET, NOOP
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Visitor:
    """A browser behind the proxy: its own cookies and its own forwarded address."""

    def __init__(self, address):
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.opener.addheaders = [("X-Forwarded-For", address)]

    def get(self, url):
        return get(url, self.opener)

    def open_form(self, form_url):
        """GET the form, as a browser that shows it: its CSRF token."""
        _, page = self.get(form_url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post_form(self, form_url, data, action=None, token=None):
        """POST `data` with the form's CSRF token (the form is opened first unless `token` is
        given): (status, body) after redirects."""
        token = token or self.open_form(form_url)
        request = urllib.request.Request(
            action or form_url,
            data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode(),
        )
        try:
            response = self.opener.open(request, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def review_data(n):
    return {
        "rating": "4",
        "title": f"Resilience review {n}",
        "body": f"Review {n}: studied part-time beside twelve-hour shifts on a ward. " * 2,
        "graduation_year": "2024",
        "would_recommend": "yes",
        "display_name": f"Visitor {n}",
        "email": f"visitor{n}@example.org",
        "relationship": "none",
    }


def database_says(code, env):
    """The JSON that `code` prints through the Django shell, against the scratch database."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(*args, env):
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, opener=None, timeout=5):
    """(status, body) for a GET; never raises for an HTTP error status."""
    try:
        response = (opener or urllib.request.build_opener()).open(url, timeout=timeout)
        return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return 0, str(error)


def wait_until(check, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise SystemExit(f"FAIL: {what} within {seconds} s")


def step(message):
    print(f"  ✓ {message}", flush=True)


def main():
    secret = secrets.token_urlsafe(40)
    pg_relay, redis_relay = Relay(PG), Relay(REDIS)
    smtp = SmtpSink()
    smtp_relay = Relay(("127.0.0.1", smtp.port))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "DJANGO_CONN_MAX_AGE": "60",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_relay.port}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_relay.port}/{REDIS_DB}",
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_REVIEW_SUBMISSIONS_PER_HOUR": "5",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_relay.port),
        "DJANGO_EMAIL_TIMEOUT": "2",
    }
    direct = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}"}
    print("Preparing a scratch database…", flush=True)
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-q",
            "-c",
            f"DROP DATABASE IF EXISTS {DATABASE}",
            "-c",
            f"CREATE DATABASE {DATABASE}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=direct)
    password = secrets.token_urlsafe(16)
    setup = f"""
from django.contrib.auth.models import User
from reviews.models import Review
from tests.factories import make_program, make_review
program = make_program(title="Resilience MS", slug="resilience-ms")
review = make_review(program, status="pending", title="Seen by both processes")
User.objects.create_superuser("resilience", "r@example.org", {password!r})
print(review.pk)
"""
    review_id = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", setup],
            cwd=ROOT,
            env=direct,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    subprocess.run(
        ["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], check=True, stdout=subprocess.DEVNULL
    )

    servers = []
    try:
        ports = [free_port(), free_port()]
        for port in ports:
            servers.append(
                subprocess.Popen(
                    [
                        GUNICORN,
                        "portal.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--timeout",
                        "20",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        for base in (a, b):
            wait_until(lambda base=base: get(f"{base}/healthz")[0] == 200, f"{base} answering")

        print("1. Two processes, one database and one Redis:", flush=True)
        page = f"{a}/programs/resilience-ms/"
        status, body = get(page)
        assert status == 200 and "Seen by both processes" not in body, "review shown too early"
        step("process A serves the program page, caching it; the review is pending")
        jar = http.cookiejar.CookieJar()
        admin = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        _, login = get(f"{b}/admin/login/", admin)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        admin.open(
            urllib.request.Request(
                f"{b}/admin/login/?next=/admin/",
                data=urllib.parse.urlencode(
                    {
                        "username": "resilience",
                        "password": password,
                        "csrfmiddlewaretoken": token,
                        "next": "/admin/",
                    }
                ).encode(),
                headers={"Referer": f"{b}/admin/login/"},
            ),
            timeout=5,
        )
        _, changelist = get(f"{b}/admin/reviews/review/", admin)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
        response = admin.open(
            urllib.request.Request(
                f"{b}/admin/reviews/review/",
                data=urllib.parse.urlencode(
                    {
                        "action": "approve_selected",
                        "_selected_action": review_id,
                        "csrfmiddlewaretoken": token,
                        "index": "0",
                    }
                ).encode(),
                headers={"Referer": f"{b}/admin/reviews/review/"},
            ),
            timeout=5,
        )
        assert "1 review approved" in response.read().decode(), "approval through B failed"
        step("a moderator approves the review through the admin of process B")
        status, body = get(page)
        assert status == 200 and "Seen by both processes" in body, "A served a stale page"
        step("process A shows the approved review at once")

        print("2. The database becomes unreachable:", flush=True)
        writer, form = Visitor("198.51.100.30"), f"{a}/programs/resilience-ms/reviews/new/"
        opened = writer.open_form(form)  # a reviewer who opened the form before the outage
        pg_relay.cut()
        status, body = writer.post_form(form, review_data(30), token=opened)
        assert status == 503, f"review during the outage: {status}"
        assert "Not sent: we could not store it just now" in body
        assert 'value="Resilience review 30"' in body and "Traceback" not in body
        step("a review sent meanwhile comes back with what was typed, and says it was not sent")
        status, body = get(f"{a}/programs/?q=nothing-cached-{secrets.token_hex(4)}")
        assert status == 503, f"expected 503, got {status}"
        assert "briefly unavailable" in body and "Traceback" not in body
        step("an uncached page answers the plain 503 page, without a stack trace")
        assert get(f"{a}/healthz")[0] == 503
        step("/healthz answers 503")
        pg_relay.restore()
        wait_until(lambda: get(f"{a}/healthz")[0] == 200, "/healthz back to 200", 20)
        wait_until(
            lambda: get(f"{a}/programs/?q=after-{secrets.token_hex(4)}")[0] == 200,
            "pages back to 200",
            20,
        )
        step("both recover by themselves once the database returns")

        print("3. Redis becomes unreachable:", flush=True)
        redis_relay.cut()
        urls = ["/", "/programs/", "/programs/resilience-ms/", "/careers/", "/reviews/policy/"]
        for path in urls:
            status, _ = get(f"{a}{path}")
            assert status == 200, f"{path} answered {status} without Redis"
        step(f"{len(urls)} pages still render, uncached")
        form = f"{a}/programs/resilience-ms/reviews/new/"
        visitor = Visitor("198.51.100.10")
        answers = [visitor.post_form(form, review_data(n))[0] for n in range(7)]
        assert answers == [200] * 5 + [429] * 2, f"review answers without Redis: {answers}"
        step("one visitor's 6th and 7th reviews in an hour get 429: the limit of 5 holds")
        assert Visitor("198.51.100.11").post_form(form, review_data(7))[0] == 200
        step("another visitor behind the same proxy is not limited by the first")
        reader = Visitor("198.51.100.12")
        status, body = reader.post_form(
            page,
            {"reason": "spam", "details": "told during the outage"},
            action=f"{a}/reviews/{review_id}/report/",
        )
        assert status == 200 and "your report is stored" in body, f"report: {status}"
        stored = database_says(
            "import json; from reviews.models import ReviewReport; "
            "print(json.dumps(list(ReviewReport.objects.values_list('details', flat=True))))",
            direct,
        )
        assert stored == ["told during the outage"], stored
        step("a reader's report is stored, and the reader told so")
        redis_relay.restore()
        wait_until(lambda: get(f"{b}/programs/")[0] == 200, "pages with Redis back")
        step("and go on rendering when Redis returns")

        print("4. The mail server becomes unreachable:", flush=True)
        smtp_relay.cut()
        status, body = Visitor("198.51.100.20").post_form(form, review_data(20))
        assert status == 200 and "your review was received" in body, f"review: {status}"
        step("a review is received and the reviewer is told so (no server error)")
        # The request only queued it; the sender (cron's, here run by hand) tries it.
        send_queued = [PYTHON, "manage.py", "send_queued_email", "--now"]
        subprocess.run(send_queued, cwd=ROOT, env=env, check=True, capture_output=True)
        queued = database_says(
            "import json; from core.models import OutgoingEmail as E; "
            "print(json.dumps([[e.to, e.sent_at is None, e.attempts, e.last_error[:40]] "
            "for e in E.objects.filter(to='visitor20@example.org')]))",
            direct,
        )
        assert len(queued) == 1 and queued[0][1] and queued[0][2] == 1, queued
        step(f"its confirmation e-mail waits in the queue (tried once: {queued[0][3]}…)")
        smtp_relay.restore()
        before = len(smtp.messages)
        result = subprocess.run(
            send_queued, cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        arrived = [m for m in smtp.messages[before:] if "visitor20@example.org" in m]
        assert len(arrived) == 1 and "/reviews/confirm/" in arrived[0], result.stdout
        step(f"send_queued_email sends it once the server is back ({result.stdout.strip()})")
        before = len(smtp.messages)
        status, body = Visitor("198.51.100.20").post_form(
            f"{a}/reviews/resend/", {"email": "visitor20@example.org"}
        )
        assert status == 200 and "on its way" in body
        subprocess.run(send_queued, cwd=ROOT, env=env, check=True, capture_output=True)
        wait_until(lambda: len(smtp.messages) > before, "the e-mail asked for again", 10)
        link = re.search(r"http://[^/\s]+(/reviews/confirm/\S+/)", smtp.messages[-1]).group(1)
        status, body = Visitor("198.51.100.20").post_form(f"{a}{link}", {})
        assert status == 200 and "Your e-mail address is confirmed" in body
        step("the reviewer asks for the e-mail again, gets it and confirms with its link")
        print("PASS: consistency across processes, database outage, cache outage, mail outage.")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        pg_relay.restore()
        smtp.server.shutdown()
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


if __name__ == "__main__":
    sys.exit(main())
