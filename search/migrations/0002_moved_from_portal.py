"""The search's rows move here from the library's app ("portal"), as they are: the synonyms
editors keep, each entry's document (its vector too, weighted as before) and the words known.
The content types of the moved models follow them, so that permissions and history stay."""

from django.db import migrations

MOVED = {
    "synonym": ["id", "term", "means"],
    "searchword": ["id", "word"],
    "searchdocument": [
        "id", "content_type_id", "object_id", "a", "b", "c", "d", "public_from", "vector"
    ],
}


def move(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for model, columns in MOVED.items():
        if vendor != "postgresql" and "vector" in columns:
            columns = [c for c in columns if c != "vector"]
        listed = ", ".join(columns)
        schema_editor.execute(
            f"INSERT INTO search_{model} ({listed}) SELECT {listed} FROM portal_{model}"
        )
        if vendor == "postgresql":
            schema_editor.execute(
                f"SELECT setval(pg_get_serial_sequence('search_{model}', 'id'), "
                f"coalesce(max(id), 0) + 1, false) FROM search_{model}"
            )
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="search", model=model).exists():
            ContentType.objects.filter(app_label="portal", model=model).update(app_label="search")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("portal", "0014_history_and_corrections"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
