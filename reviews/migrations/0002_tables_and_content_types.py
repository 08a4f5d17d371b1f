"""The moved models take their own table names, and their content types follow them, so the
moderators' permissions and the admin's history of each review stay attached."""

from django.db import migrations

MODELS = ["review", "moderationevent", "reviewreport"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Content types a partial earlier run may have created for the new app, still unused.
    ContentType.objects.filter(app_label="reviews", model__in=MODELS).delete()
    ContentType.objects.filter(app_label="programs", model__in=MODELS).update(app_label="reviews")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reviews", model__in=MODELS).update(app_label="programs")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0001_initial"),
        ("programs", "0007_reviews_move_to_their_app"),
    ]

    operations = [
        migrations.AlterModelTable(name="review", table=None),
        migrations.AlterModelTable(name="moderationevent", table=None),
        migrations.AlterModelTable(name="reviewreport", table=None),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
