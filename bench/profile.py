"""Where an uncached page spends its time, in-process (bench/README.md).

Serves each page through Django's test client with the cache off (DJANGO_CACHE=none), against
the database of DATABASE_URL, and splits the median request into time in SQL (every query, from
a database execute wrapper), time rendering templates (less the SQL run while rendering) and the
rest of the Python. `--cprofile NAME` prints the functions that page spends most time in.

    .venv/bin/python -m bench.profile [--database portal_bench_10000] [--repeat 20]
        [--cprofile list]
"""

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import time


class Meter:
    """Seconds spent in SQL, and in templates less their SQL, since the last reset()."""

    def __init__(self):
        self.reset()
        self._depth = 0
        self._sql_at_render = 0.0

    def reset(self):
        self.sql = 0.0
        self.queries = 0
        self.templates = 0.0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql += time.perf_counter() - started
            self.queries += 1

    def wrap_render(self, render):
        meter = self

        def timed(template, *args, **kwargs):
            if meter._depth:
                return render(template, *args, **kwargs)
            meter._depth += 1
            started, sql_before = time.perf_counter(), meter.sql
            try:
                return render(template, *args, **kwargs)
            finally:
                meter._depth -= 1
                meter.templates += time.perf_counter() - started - (meter.sql - sql_before)

        return timed


def measured_pages():
    """(name, path) of the pages bench.run measures, with the same programs at every size."""
    from urllib.parse import urlencode

    from bench.run import COMPARED, SEARCHED
    from programs.models import Program

    slugs = {}
    for title, slug in Program.objects.filter(
        title__regex=rf" Synthetic .* ({'|'.join(map(str, COMPARED))})$"
    ).values_list("title", "slug"):
        slugs[int(title.rsplit(" ", 1)[1])] = slug
    ordered = [slugs[n] for n in COMPARED if n in slugs]
    if len(ordered) < len(COMPARED):
        raise SystemExit("This database has no synthetic programs 42–45 (make_synthetic).")
    return [
        ("home", "/"),
        ("list", "/programs/"),
        ("list filtered", "/programs/?format=online&max_tuition=40000&sort=tuition"),
        ("list page 10", "/programs/?page=10"),
        ("program", f"/programs/{ordered[0]}/"),
        ("compare 4", "/programs/compare/?" + urlencode([("p", s) for s in ordered])),
        ("careers", "/careers/"),
        ("career", None),
        ("search", "/search/?" + urlencode({"q": SEARCHED[0]})),
    ]


def career_path():
    from careers.models import Career

    career = Career.objects.published().order_by("pk").first()
    return f"/careers/{career.slug}/" if career else None


def profile(pages, repeat, cprofile_name=None):
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client

    meter = Meter()
    Template.render = meter.wrap_render(Template.render)
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    with connection.execute_wrapper(meter.execute):
        for name, path in pages:
            for _ in range(3):  # warm: imports, compiled templates, the database's caches
                response = client.get(path)
            if response.status_code != 200:
                rows.append({"page": name, "path": path, "status": response.status_code})
                continue
            runs = []
            for _ in range(repeat):
                meter.reset()
                started = time.perf_counter()
                client.get(path)
                total = time.perf_counter() - started
                runs.append((total, meter.sql, meter.templates, meter.queries))
            total, sql, templates, queries = sorted(runs)[len(runs) // 2]
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "status": 200,
                    "total_ms": total * 1000,
                    "sql_ms": sql * 1000,
                    "templates_ms": templates * 1000,
                    "other_ms": (total - sql - templates) * 1000,
                    "queries": queries,
                    "spread_ms": (max(r[0] for r in runs) - min(r[0] for r in runs)) * 1000,
                    "bytes": len(response.content),
                }
            )
            if name == cprofile_name:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(repeat):
                    client.get(path)
                profiler.disable()
                stats = pstats.Stats(profiler, stream=sys.stderr)
                stats.sort_stats("cumulative").print_stats(40)
                stats.sort_stats("tottime").print_stats(25)
    return rows


def print_rows(rows, database, repeat):
    print(f"{database}, cache off, median of {repeat} requests (test client, in-process)")
    print(
        f"{'page':<15}{'total ms':>9}{'SQL ms':>8}{'queries':>8}{'templ. ms':>10}"
        f"{'other ms':>9}{'KiB':>6}"
    )
    for row in rows:
        if row["status"] != 200:
            print(f"{row['page']:<15}  HTTP {row['status']}  {row['path']}")
            continue
        print(
            f"{row['page']:<15}{row['total_ms']:>9.1f}{row['sql_ms']:>8.1f}{row['queries']:>8}"
            f"{row['templates_ms']:>10.1f}{row['other_ms']:>9.1f}{row['bytes'] / 1024:>6.0f}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="portal_bench_10000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cprofile", metavar="PAGE", help="profile this page's functions")
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args(argv)

    from bench import common

    env = common.site_env(args.database, "none")
    if not (common.OUT / "static" / "staticfiles.json").exists():
        common.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    logging.getLogger("portal.access").setLevel(logging.WARNING)  # one line per request
    pages = measured_pages()
    pages = [(name, path or career_path()) for name, path in pages]
    if args.only:
        wanted = set(args.only.split(","))
        pages = [(name, path) for name, path in pages if name in wanted]
    rows = profile([(n, p) for n, p in pages if p], args.repeat, args.cprofile)
    print_rows(rows, args.database, args.repeat)
    print(f"(median ms; {statistics.mean(r.get('spread_ms', 0) for r in rows):.1f} ms mean spread)")


if __name__ == "__main__":
    sys.exit(main())
