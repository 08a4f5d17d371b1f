"""The load run behind `make load` (docs/benchmarks.md).

One synthetic database (10,000 programs by default; reused when it already holds them), served
by the production stack with the Redis cache on 127.0.0.1. For `--seconds` (60) at once:

- wrk with `--connections` (64) connections going round list, program and comparison pages
  (bench/rotate.lua);
- `--submitters` (4) threads, standard library only, each sending reviews one after the other:
  GET the form (CSRF cookie and token), POST it; a 302 answer counts as submitted, anything
  else (another status, a timeout, a reset connection) as an error.

Then it counts the reviews this run stored, directly in the database (each run marks its
reviewers' e-mail addresses), and prints PASS only with no error of any kind and
submitted == stored; otherwise FAIL and a non-zero exit status.

    .venv/bin/python -m bench.load [--programs 10000] [--seconds 60] [--connections 64]
"""

import argparse
import http.client
import json
import re
import secrets
import sys
import threading
import time
from urllib.parse import urlencode

from bench import common
from bench.common import HOST, log

LUA = common.ROOT / "bench" / "rotate.lua"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")
MAX_SUBMISSIONS_PER_THREAD = 100_000  # a bound on every loop, whatever the duration


def rotation(database):
    """Paths wrk goes round: list pages, program pages, 4-program comparisons."""
    slugs = [
        row[0]
        for row in common.query(
            database,
            "SELECT slug FROM programs_program WHERE status = 'published' ORDER BY id LIMIT 200",
        )
    ]
    if len(slugs) < 40:
        raise RuntimeError(f"{database} has too few programs for the load run")
    lists = [
        "/programs/",
        "/programs/?page=2",
        "/programs/?page=10",
        "/programs/?format=online&max_tuition=40000&sort=tuition",
        "/programs/?format=hybrid&sort=rating",
        "/programs/?gre=not_required&sort=shortest",
    ]
    details = [f"/programs/{slug}/" for slug in slugs[:60:3]]
    compares = [
        "/programs/compare/?" + urlencode([("p", slug) for slug in slugs[k : k + 4]])
        for k in range(100, 140, 8)
    ]
    paths = []
    # Interleaved: lists, details and comparisons alternate, so every moment has each kind.
    for k in range(max(len(lists), len(details), len(compares))):
        for group in (lists, details, compares):
            if k < len(group):
                paths.append(group[k])
    return paths, slugs


class Submitter(threading.Thread):
    """Sends reviews one after another until `stop` is set; counts 302s and errors."""

    def __init__(self, number, port, slugs, run_id, stop, pause):
        super().__init__(name=f"submitter-{number}", daemon=True)
        self.number, self.port, self.slugs = number, port, slugs
        self.run_id, self.stop, self.pause = run_id, stop, pause
        self.submitted = 0
        self.errors = []
        self.seconds = []

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode("utf-8")
        finally:
            connection.close()

    def submit(self, sequence):
        slug = self.slugs[(self.number * 37 + sequence) % len(self.slugs)]
        path = f"/programs/{slug}/reviews/new/"
        status, headers, html = self.request("GET", path)
        if status != 200:
            return f"GET form: HTTP {status}"
        cookie = next(
            (
                match.group(1)
                for name, value in headers
                if name.lower() == "set-cookie" and (match := COOKIE.search(value))
            ),
            None,
        )
        token = TOKEN.search(html)
        if not cookie or not token:
            return "GET form: no CSRF cookie or token"
        marker = f"{self.run_id}-{self.number}-{sequence}"
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "rating": "4",
            "title": f"Load-test review {marker}",
            "body": (
                f"Synthetic load-test review {marker}. I studied part-time while working night "
                "shifts; this text exists only to exercise the review form under load."
            ),
            "graduation_year": "2024",
            "would_recommend": "yes",
            "display_name": f"Load tester {self.number}",
            "email": f"load-{self.run_id}-{self.number}-{sequence}@example.invalid",
            "relationship": "none",
            "website": "",
        }
        status, headers, html = self.request(
            "POST",
            path,
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Origin": f"http://{HOST}:{self.port}",
                "Referer": f"http://{HOST}:{self.port}{path}",
            },
        )
        if status != 302:
            reason = re.search(r'class="error[^"]*"[^>]*>([^<]{0,200})', html)
            return f"POST: HTTP {status}" + (f" ({reason.group(1).strip()})" if reason else "")
        return None

    def run(self):
        for sequence in range(MAX_SUBMISSIONS_PER_THREAD):
            if self.stop.is_set():
                break
            started = time.monotonic()
            try:
                error = self.submit(sequence)
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
            if error:
                self.errors.append(error)
            else:
                self.submitted += 1
                self.seconds.append(time.monotonic() - started)
            if self.pause:
                self.stop.wait(self.pause)


def ensure_database(size, rebuild):
    database = common.bench_database(size)
    if not rebuild and common.database_exists(database):
        try:
            if common.published_program_count(database) == size:
                log(f"reusing {database} ({size:,} programs)")
                return database, None
        except Exception:  # an unmigrated or broken database is simply rebuilt
            pass
    return database, common.build_database(size)


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", default="10s", help="wrk's per-request timeout")
    parser.add_argument("--submitters", type=int, default=4, help="review-submitting threads")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between submissions")
    parser.add_argument("--workers", type=int, default=common.DEFAULT_WORKERS)
    parser.add_argument("--redis-db", type=int, default=14, help="flushed before the run")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 3600 or not 0 <= args.submitters <= 64:
        parser.error("--seconds 1–3600, --submitters 0–64")
    common.require_wrk()
    started = time.monotonic()
    database, built = ensure_database(args.programs, args.rebuild)
    paths, slugs = rotation(database)
    run_id = secrets.token_hex(4)
    common.flush_redis(args.redis_db)
    env = common.site_env(
        database,
        "redis",
        redis_db=args.redis_db,
        DJANGO_REVIEW_SUBMISSIONS_PER_HOUR=1_000_000,
        # Confirmation e-mails are built but not sent: no mail server on this machine.
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    stop = threading.Event()
    submitters = [Submitter(n, 0, slugs, run_id, stop, args.pause) for n in range(args.submitters)]
    code_before = common.code_state()
    report = {"run_id": run_id, "database": database, "args": vars(args), "paths": paths}
    with common.serving(env, args.workers, "server-load") as server:
        for submitter in submitters:
            submitter.port = server.port
        for path in paths:  # every page answers before the load starts
            status, _ = common.http_get(server.url(path), timeout=30)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} before the load run")
        log(
            f"load: wrk -c{args.connections} -d{args.seconds}s over {len(paths)} paths, "
            f"{args.submitters} review submitters (run {run_id})"
        )
        for submitter in submitters:
            submitter.start()
        meter = common.ForeignCpu(server.process.pid).start()
        try:
            result, output = common.wrk(
                server.url("/"),
                connections=args.connections,
                seconds=args.seconds,
                threads=args.threads,
                script=LUA,
                script_args=paths,
                timeout=args.timeout,
            )
        finally:
            stop.set()
            for submitter in submitters:
                submitter.join(timeout=60)
        report["other_cpu_pct"] = meter.stop()
        report["worker_boots"] = server.worker_boots()
    stuck = [s.name for s in submitters if s.is_alive()]
    submitted = sum(s.submitted for s in submitters)
    errors = [error for s in submitters for error in s.errors]
    stored, pending = common.query(
        database,
        "SELECT count(*), count(*) FILTER (WHERE status = 'pending') FROM reviews_review "
        "WHERE email LIKE %s",
        [f"load-{run_id}-%"],
    )[0]
    seconds = [value for s in submitters for value in s.seconds]
    report.update(
        {
            "wrk": result,
            "wrk_output": output,
            "submitted": submitted,
            "stored": stored,
            "stored_pending": pending,
            "submit_errors": len(errors),
            "submit_error_samples": sorted(set(errors))[:10],
            "submit_p50_s": percentile(seconds, 0.5),
            "submit_p99_s": percentile(seconds, 0.99),
            "stuck_submitters": stuck,
            "build_seconds": built,
            "total_seconds": time.monotonic() - started,
        }
    )
    report["code_changed_during_run"] = common.code_state() != code_before
    path = common.save_json(f"load-{time.strftime('%Y-%m-%dT%H%M%S')}.json", report)
    common.save_json("load-latest.json", report)

    print()
    print(output.rstrip())
    print()
    print(
        f"Load run {run_id}: {args.connections} connections for {args.seconds} s over "
        f"{len(paths)} list/program/comparison paths, {args.workers} workers, Redis cache, "
        f"{database}"
    )
    print(
        f"  pages: {result['requests']} requests, {result['rps']:.1f} req/s, "
        f"p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms"
    )
    detail = result.get("socket_detail")
    print(
        f"  pages: non-2xx/3xx {result['non_2xx_3xx']}, socket errors {result['socket_errors']}"
        + (f" {json.dumps(detail)}" if detail else "")
    )
    p50, p99 = report["submit_p50_s"], report["submit_p99_s"]
    timing = f", form+post p50 {p50:.2f} s, p99 {p99:.2f} s" if seconds else ""
    print(f"  reviews: submitted {submitted} (HTTP 302), errors {len(errors)}{timing}")
    for sample in report["submit_error_samples"]:
        print(f"    error: {sample}")
    print(f"  reviews stored by this run (database count): {stored}, of which pending {pending}")
    print(
        f"  worker boots: {report['worker_boots']}; CPU used by other processes: "
        f"{report['other_cpu_pct']:.0f}%; raw results {path.relative_to(common.ROOT)}"
    )
    problems = []
    if result["non_2xx_3xx"] or result["socket_errors"]:
        problems.append("page errors")
    if errors:
        problems.append("submission errors")
    if submitted != stored:
        problems.append(f"lost or extra reviews ({submitted} submitted, {stored} stored)")
    if (args.submitters and not submitted) or not result["requests"]:
        problems.append("nothing was done")
    if stuck:
        problems.append(f"submitters did not stop: {stuck}")
    if report["code_changed_during_run"]:
        print("  WARNING: the site's code changed during the run.")
    print(f"Total time: {report['total_seconds'] / 60:.1f} min")
    if problems:
        print(f"FAIL: {'; '.join(problems)}")
        return 1
    print(
        f"PASS: zero errors, zero lost reviews ({submitted} submitted = {stored} stored), "
        f"{result['requests']} page requests"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
