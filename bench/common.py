"""What the benchmark and the load run share: databases, the production server, wrk.

Everything here targets 127.0.0.1 only: the server is bound to it, and every address a tool is
pointed at is checked to be on it (`local_url`).
"""

import http.cookiejar
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
OUT = ROOT / "var" / "bench"
HOST = "127.0.0.1"
# The PostgreSQL server's maintenance database: benchmark databases are created beside it.
ADMIN_DATABASE_URL = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_BASE = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
LIST_PAGE_SIZE = 20  # settings.LIST_PAGE_SIZE
# Sync gunicorn workers on 2 cores: of 3, 4 and 5, 4 and 5 served the pages equally and 3 less
# (bench/workers.py); 4 holds fewer processes and database connections.
DEFAULT_WORKERS = 4
SERVER_START_SECONDS = 180
SERVER_STOP_SECONDS = 30


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def local_url(url):
    """`url`, refused unless it is plain HTTP on 127.0.0.1: no load ever leaves the machine."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != HOST:
        raise ValueError(f"Refusing to target {url!r}: only http://{HOST} is allowed.")
    return url


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# Databases.


def database_url(name):
    parts = urlsplit(ADMIN_DATABASE_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def bench_database(size):
    return f"portal_bench_{int(size)}"


def _admin_connection():
    import psycopg

    return psycopg.connect(ADMIN_DATABASE_URL, autocommit=True, connect_timeout=10)


def _check_name(name):
    if not re.fullmatch(r"portal_bench_[a-z0-9_]+", name):
        raise ValueError(f"Not a benchmark database name: {name!r}")
    return name


def recreate_database(name):
    """Drop (closing its connections) and create the database `name`."""
    _check_name(name)
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(name):
    _check_name(name)
    with _admin_connection() as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def query(name, sql, params=()):
    """Rows of one query on the database `name` (a direct connection, not through the site)."""
    import psycopg

    _check_name(name)
    with psycopg.connect(database_url(name), connect_timeout=10) as conn:
        return conn.execute(sql, params).fetchall()


def flush_redis(db):
    import redis

    client = redis.Redis.from_url(f"{REDIS_BASE}/{int(db)}", socket_timeout=5)
    client.flushdb()
    client.close()


# The site's environment and commands.


def site_env(database, cache, redis_db=None, **extra):
    """Production settings for a plain-HTTP run on loopback; nothing inherited from the caller.

    `cache` is "none" (DJANGO_CACHE=none, nothing cached) or "redis" (REDIS_URL on `redis_db`).
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "MAKE", "MFLAGS", "GUNICORN"))
        and key not in {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "BIND"}
    }
    env.update(
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_CONN_MAX_AGE": "600",
            "DJANGO_STATIC_ROOT": str(OUT / "static"),
            "DATABASE_URL": database_url(database),
            "DEPLOY_CHECK_FAIL_LEVEL": "ERROR",
        }
    )
    if cache == "none":
        env["DJANGO_CACHE"] = "none"
    elif cache == "redis":
        env["REDIS_URL"] = f"{REDIS_BASE}/{int(redis_db)}"
    else:
        raise ValueError(f"Unknown cache mode {cache!r}")
    env.update({key: str(value) for key, value in extra.items()})
    return env


def explain_searches(database, texts):
    """bench.explain run against `database` with the site's settings: per search, the
    execution time of each query it sends, from EXPLAIN ANALYZE."""
    import json

    done = subprocess.run(
        [str(PYTHON), "-m", "bench.explain", *texts],
        cwd=ROOT,
        env=site_env(database, "none"),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout)


def manage(env, *args, timeout=1800):
    subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout
    )


def site_setting(env, name, default=None):
    """A setting of the site as the server will see it (e.g. LIST_MAX_PAGES), or `default`."""
    done = subprocess.run(
        [
            str(PYTHON),
            "manage.py",
            "shell",
            "-c",
            f"from django.conf import settings; import json; "
            f"print(json.dumps(getattr(settings, {name!r}, None)))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    value = json.loads(done.stdout.strip().splitlines()[-1])
    return default if value is None else value


def build_database(size, reviews_per_program=2):
    """A fresh database with `size` synthetic programs; returns the seconds it took."""
    name = bench_database(size)
    started = time.monotonic()
    log(f"building {name}: {size:,} programs")
    recreate_database(name)
    env = site_env(name, "none")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(
        env,
        "make_synthetic",
        "--programs",
        str(size),
        "--reviews-per-program",
        str(reviews_per_program),
    )
    seconds = time.monotonic() - started
    log(f"built {name} in {seconds:.0f} s")
    return seconds


def synthetic_slugs(database, numbers):
    """Slugs of the synthetic programs with these numbers (the number ends the title)."""
    rows = query(
        database,
        "SELECT substring(title from '([0-9]+)$')::int, slug FROM programs_program "
        "WHERE title ~ ' Synthetic .* [0-9]+$' AND substring(title from '([0-9]+)$')::int = "
        "ANY(%s)",
        [list(numbers)],
    )
    by_number = dict(rows)
    return [by_number[n] for n in numbers if n in by_number]


def published_program_count(database):
    return query(
        database,
        "SELECT count(*) FROM programs_program WHERE status = 'published' "
        "AND published_at <= now()",
    )[0][0]


def last_page(count):
    return max(1, math.ceil(count / LIST_PAGE_SIZE))


# The production server.


def http_get(url, timeout=10, cookie=None):
    """(status, body) of a GET on loopback, never through a proxy."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(local_url(url), headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def visitor_with_tray(server, slug):
    """The Cookie header of a visitor who put program `slug` in their comparison tray, as a
    browser does (a page for the CSRF cookie and token, then the tray's form)."""

    # The server marks its cookies Secure (production settings); here HTTP is on loopback.
    class PlainHttp(http.cookiejar.DefaultCookiePolicy):
        def return_ok_secure(self, cookie, request):
            return True

    jar = http.cookiejar.CookieJar(PlainHttp())
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )
    with opener.open(local_url(server.url(f"/programs/{slug}/")), timeout=30) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "kind": "programs", "slug": slug, "action": "add"}
    ).encode()
    request = urllib.request.Request(
        local_url(server.url("/compare/tray/")), data=form, headers={"Referer": server.url("/")}
    )
    with opener.open(request, timeout=30) as response:
        response.read()  # the page the tray sends back to, with its one message
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar if cookie.value)


def group_alive(pgid):
    """Whether a process of the group `pgid` is still running (zombies do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp.
        if int(fields[2]) == pgid and fields[0] not in {"Z", "X"}:
            return True
    return False


class Server:
    """`make serve` on 127.0.0.1:<free port>, in its own process group; stop() ends the group."""

    def __init__(self, env, workers, log_name):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.env = {**env, "BIND": f"{HOST}:{self.port}", "WEB_CONCURRENCY": str(workers)}
        self.workers = workers
        self.log_path = OUT / f"{log_name}.log"
        self.process = None

    def start(self):
        OUT.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        # The access log (stdout) is produced as in production but not kept: millions of lines.
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "-s", "serve"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            start_new_session=True,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server exited early; see {self.log_path}")
            try:
                status, _ = http_get(f"{self.base}/healthz", timeout=2)
                if status == 200:
                    log(f"server up on {self.base} with {self.workers} workers")
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"The server did not answer within {SERVER_START_SECONDS} s")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            self._close_log()
            return
        pgid = self.process.pid  # start_new_session: the group is ours, led by make
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        # Gunicorn's master and workers may outlive make by a moment: wait until the group
        # has no live process left, then kill whatever remains of it.
        deadline = time.monotonic() + SERVER_STOP_SECONDS
        while group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if group_alive(pgid):
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        self._close_log()

    def _close_log(self):
        if getattr(self, "_log", None) and not self._log.closed:
            self._log.close()

    def worker_boots(self):
        """Workers booted so far (gunicorn restarts one after --max-requests)."""
        try:
            return self.log_path.read_text().count("Booting worker")
        except OSError:
            return 0

    def url(self, path):
        return local_url(self.base + path)


@contextmanager
def serving(env, workers, log_name):
    server = Server(env, workers, log_name)
    try:
        yield server.start()
    finally:
        server.stop()


def stylesheet_path(server):
    """The hashed stylesheet the home page links to (collectstatic names it)."""
    status, body = http_get(server.url("/"))
    match = re.search(r'<link rel="stylesheet" href="(/static/[^"]+\.css)"', body)
    if status != 200 or not match:
        raise RuntimeError(f"No stylesheet link on the home page (status {status}).")
    return match.group(1)


# CPU used by other processes during a measurement: others' work on the same 2 cores skews it.


def _process_cpu():
    """{(pid, start time): (command, process group, CPU ticks)} for every live process."""
    usage = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        pid = int(stat.parent.name)
        usage[(pid, int(fields[19]))] = (name, int(fields[2]), int(fields[11]) + int(fields[12]))
    return usage


class ForeignCpu:
    """Share of the machine's CPU used, between start() and stop(), by processes other than
    the server's group, wrk, PostgreSQL, Redis and this program (e.g. someone's test run)."""

    OURS = {"wrk", "postgres", "redis-server"}

    def __init__(self, server_pgid):
        self.server_pgid = server_pgid

    def start(self):
        self.before, self.started = _process_cpu(), time.monotonic()
        return self

    def stop(self):
        after, elapsed = _process_cpu(), time.monotonic() - self.started
        ticks = sum(
            total - self.before.get(key, (None, None, 0))[2]
            for key, (name, pgid, total) in after.items()
            if name not in self.OURS and pgid != self.server_pgid and key[0] != os.getpid()
        )
        capacity = elapsed * os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1)
        return 100.0 * ticks / capacity if capacity else 0.0


# wrk.

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"Unreadable duration {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output):
    """Requests/s, p50/p99 (ms), requests, non-2xx/3xx and socket errors from wrk's output."""
    result = {"non_2xx_3xx": 0, "socket_errors": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(match.group(1))
    for percent in ("50", "75", "90", "99"):
        if match := re.search(rf"^\s+{percent}%\s+(\S+)", output, re.MULTILINE):
            result[f"p{percent}_ms"] = _ms(match.group(1))
    if match := re.search(r"(\d+) requests in ([\d.]+\w+)", output):
        result["requests"] = int(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non_2xx_3xx"] = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = sum(int(n) for n in match.groups())
        result["socket_detail"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, match.groups()), strict=True)
        )
    missing = {"rps", "p50_ms", "p99_ms", "requests"} - result.keys()
    if missing:
        raise RuntimeError(f"wrk output lacks {sorted(missing)}:\n{output}")
    return result


def wrk(
    url,
    connections=8,
    seconds=10,
    threads=2,
    script=None,
    script_args=(),
    timeout="2s",
    cookie=None,
):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}",
        "--latency",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    command.append(local_url(url))
    if script_args:
        command += ["--", *script_args]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout), done.stdout


def code_state():
    """(newest modification time, file) of the site's code and templates: a change during a
    run means restarted workers (gunicorn --max-requests) served different code."""
    newest = (0.0, "")
    for folder in ("portal", "programs", "careers", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html"} and "__pycache__" not in path.parts:
                newest = max(newest, (path.stat().st_mtime, str(path.relative_to(ROOT))))
    return newest


def save_json(name, data):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    return path


def require_wrk():
    if subprocess.run(["sh", "-c", "command -v wrk"], capture_output=True).returncode:
        sys.exit("wrk is not installed: run `make bench` (it installs Debian's wrk).")
