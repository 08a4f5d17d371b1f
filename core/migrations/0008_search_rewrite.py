"""The index now knows when each entry is public: it is written again after `migrate`.

Deleting the documents here is enough: once every migration has run, core.search's
post_migrate receiver finds entries without a document and rebuilds the whole index.
"""

from django.db import migrations


def forget_documents(apps, schema_editor):
    apps.get_model("portal", "SearchDocument").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_search_public_from")]

    operations = [migrations.RunPython(forget_documents, migrations.RunPython.noop)]
