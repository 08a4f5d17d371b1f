"""Which number of gunicorn workers serves best on this machine (how DEFAULT_WORKERS was chosen).

For each count, the same database and pages as `make bench`, uncached and cached, measured
with wrk; the counts are tried in turn, `--rounds` times, so a slow minute of the machine does
not decide alone. Prints req/s and p99 per page and count (best of the rounds).

    .venv/bin/python -m bench.workers [--size 10000] [--workers 3,4,5] [--rounds 2]
"""

import argparse
import sys

from bench import common, run
from bench.common import log

PAGES = ("baseline /ping", "list", "program", "compare 4")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--workers", default="3,4,5")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--redis-db", type=int, default=13)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    if not all(1 <= n <= 32 for n in counts) or not 1 <= args.rounds <= 5:
        parser.error("--workers 1–32 each, --rounds 1–5")
    common.require_wrk()
    database = common.bench_database(args.size)
    if not common.database_exists(database) or common.published_program_count(database) != (
        args.size
    ):
        common.build_database(args.size)
    options = argparse.Namespace(
        warmup=2, seconds=args.seconds, connections=8, threads=2, retries=2, max_other_cpu=15.0
    )
    best = {}
    for round_number in range(args.rounds):
        for workers in counts:
            for mode in run.MODES:
                if mode == "cached":
                    common.flush_redis(args.redis_db)
                env = common.site_env(database, run.MODES[mode], redis_db=args.redis_db)
                log(f"round {round_number + 1}: {workers} workers, {mode}")
                with common.serving(env, workers, f"workers-{workers}-{mode}") as server:
                    chosen = [p for p in run.pages(server, database) if p[0] in PAGES]
                    measured = run.measure(server, chosen, options)
                for name, result in measured["pages"].items():
                    key = (workers, mode, name)
                    if key not in best or result["rps"] > best[key]["rps"]:
                        best[key] = result
    print()
    print(f"Best of {args.rounds} rounds, N = {args.size:,}: req/s (p99 ms)")
    print(f"{'mode':<10}{'page':<16}" + "".join(f"{f'{n} workers':>18}" for n in counts))
    for mode in run.MODES:
        for name in PAGES:
            cells = [
                f"{best[(n, mode, name)]['rps']:.0f} ({best[(n, mode, name)]['p99_ms']:.0f})"
                for n in counts
            ]
            print(f"{mode:<10}{name:<16}" + "".join(f"{cell:>18}" for cell in cells))
    common.save_json(
        "workers-latest.json",
        {f"{w} {m} {p}": r for (w, m, p), r in best.items()},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
