"""PostgreSQL: the full-text index of each kind kept in parts (ranges of keys), which the
search reads part after part until it has enough; the index of every kind together dropped.

A broad search ("nursing" among 100,000 programs) then costs what a narrow one does: the
first part searched usually holds all the matches a page needs, and the others are never
read. The part indexes, and the function that searches them, are made after `migrate` by
core.search.make_kind_indexes (their conditions name each kind's content type, whose number
each database gives itself). With the index of every kind together beside them, PostgreSQL
chose it, intersected with the kind's rows of another index, over a part's own index, which
cost more than the search; a list that counts every match reads the parts too.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS portal_search_vector_gin")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS portal_search_matches(integer, tsquery, timestamptz, integer)"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname ~ '^portal_search_[a-z_]+_[0-9]+_'"
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS portal_search_vector_gin "
        "ON portal_searchdocument USING gin (vector)"
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_search_rewrite")]

    operations = [migrations.RunPython(forward, backward)]
