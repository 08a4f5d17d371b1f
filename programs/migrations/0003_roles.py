"""The two staff roles: editors keep content current, moderators judge reviews.

Moderators can see and moderate reviews and nothing else; editors can edit every content model
but cannot see or moderate reviews. Superusers add people to a group in the admin (Users).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = {
    "programs": [
        "view_review",
        "change_review",
        "moderate_review",
        "view_reviewreport",
        "view_moderationevent",
    ],
}
REVIEW_MODELS = {"review", "reviewreport", "moderationevent"}
EDITED_APPS = ["portal", "programs", "careers"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(
        Permission.objects.filter(
            content_type__app_label="programs",
            codename__in=MODERATOR_PERMISSIONS["programs"],
        )
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(
        Permission.objects.filter(content_type__app_label__in=EDITED_APPS).exclude(
            content_type__model__in=REVIEW_MODELS
        )
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Moderators", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0001_initial"),
        ("careers", "0001_initial"),
        ("programs", "0002_reviews"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
