"""Database time of a search, from PostgreSQL's own EXPLAIN ANALYZE (make bench, N ≥ 10,000).

Runs the queries a search makes — the search page (every kind: how many match, the best five;
for a misspelling, then the search for the words meant) and the program list searched (how
many match, the first page) — captures their SQL as the site sends it, and has PostgreSQL
execute each under EXPLAIN (ANALYZE, BUFFERS). Prints each query's execution time, their sum
per search, and the plan of the slowest.

    DATABASE_URL=… .venv/bin/python -m bench.explain "clinical NLP" "nursing" …
"""

import json
import os
import re
import sys

QUERIES = ["Synthetic University 00042", "Clinical NLP", "nursing", "informatcs"]


def explain(cursor, sql):
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    planning = re.search(r"Planning Time: ([\d.]+) ms", plan)
    return float(found.group(1)), float(planning.group(1)) if planning else 0.0, plan


def measure(texts):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.listing import facets_counted
    from programs.filters import ProgramFilter
    from programs.models import Program
    from search import index, query
    from search import results as found

    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN ANALYZE is measured on PostgreSQL only.")
    results = []
    for text in texts:
        parsed = query.parse(text)
        query.synonym_phrases()  # cached by the site: not part of a search's time
        for kind in index.kinds().values():
            kind.content_type()
        with CaptureQueriesContext(connection) as page:
            found.find(parsed)
            corrected = query.correction(parsed)
        # A misspelling's page searches again for the words meant: a second search.
        with CaptureQueriesContext(connection) as meant:
            if corrected:
                found.find(query.parse(corrected))
        with CaptureQueriesContext(connection) as listed:
            from django.http import QueryDict

            programs = Program.objects.published().for_listing()
            filterset = ProgramFilter(QueryDict(f"q={text}"), queryset=programs)
            # As the list page does (core.listing.listing_context): the search's own ranking
            # when only words are asked for, else the database's.
            ranked = filterset.ranked()
            matching = filterset.qs if ranked is None else ranked
            count = matching.count()
            list(matching[:20])
            if facets_counted(count, ranked is not None and ranked.more):
                filterset.facet_counts()  # each filter option's count, as the page shows
        entry = {"text": text, "searches": {}}
        with connection.cursor() as cursor:
            measured = (
                ("search page", page),
                (f"then “{corrected}”", meant),
                ("program list", listed),
            )
            for name, captured in measured:
                if not captured.captured_queries:
                    continue
                timings = []
                for executed in captured.captured_queries:
                    sql = executed["sql"]
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    execution, planning, plan = explain(cursor, sql)
                    timings.append(
                        {
                            "execution_ms": execution,
                            "planning_ms": planning,
                            # A query of the search itself (the others fill the page).
                            "search": "search_search" in sql,
                            "sql": sql[:160],
                            "plan": plan,
                        }
                    )
                entry["searches"][name] = timings
        results.append(entry)
    return results


def main(argv=None):
    texts = (argv if argv is not None else sys.argv[1:]) or QUERIES
    results = measure(texts)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
