"""The search's models moved to their own app (search/migrations/0002 copied their rows):
their tables go, and with them what made the old index, on each database.

The PostgreSQL function that filled the vector and the one that searched the index in parts,
and the part indexes, are dropped here; nothing of the search is made after `migrate` any
more.
"""

from django.db import migrations


def drop_old_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS portal_search_fts")
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS portal_search_matches(integer, tsquery, timestamptz, integer)"
    )
    schema_editor.execute("DROP TRIGGER IF EXISTS portal_search_vector ON portal_searchdocument")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_search_vector()")
    # The part indexes go with their table.


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0014_history_and_corrections"),
        ("search", "0002_moved_from_portal"),
    ]

    operations = [
        migrations.RunPython(drop_old_index, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchWord"),
        migrations.DeleteModel(name="Synonym"),
        migrations.DeleteModel(name="SearchDocument"),
    ]
