"""PostgreSQL: the full-text index of each kind also kept in parts (ranges of keys), which the
search reads part after part until it has enough (core.search.make_kind_indexes).

A broad search ("nursing" among 100,000 programs) then costs what a narrow one does: the
first part searched usually holds all the matches a page needs, and the others are never
read. The part indexes, and the function that searches them, are made after `migrate` (their
conditions name each kind's content type, whose number each database gives itself), so this
migration only takes them away again when reversed. The index of every kind together stays:
a list filtered by words and by other filters counts every match through it.
"""

from django.db import migrations


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS portal_search_matches(integer, tsquery, timestamptz, integer)"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname ~ '^portal_search_[a-z_]+_[0-9]+'"
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_search_rewrite")]

    operations = [migrations.RunPython(migrations.RunPython.noop, backward)]
