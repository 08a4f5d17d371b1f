"""The words readers type for the lists' filters, and the specialty words clinicians use for
the areas the catalogue names otherwise (both kept by editors in the admin from here on)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FILTER_WORDS = {
    "programs": [
        ("online", "format", "online"),
        ("fully online", "format", "online"),
        ("distance learning", "format", "online"),
        ("hybrid", "format", "hybrid"),
        ("on campus", "format", "campus"),
        ("in person", "format", "campus"),
        ("part time", "pace", "part_time"),
        ("while working", "pace", "part_time"),
        ("full time", "pace", "full_time"),
        ("accelerated", "pace", "accelerated"),
        ("no GRE", "gre", "not_required"),
        ("without GRE", "gre", "not_required"),
        ("GRE not required", "gre", "not_required"),
        ("no GRE required", "gre", "not_required"),
        ("no programming", "no_programming_background", "on"),
        ("without programming", "no_programming_background", "on"),
        ("no coding", "no_programming_background", "on"),
        ("no programming background", "no_programming_background", "on"),
        ("no programming experience", "no_programming_background", "on"),
        ("under {amount}", "max_tuition", "{amount}"),
        ("below {amount}", "max_tuition", "{amount}"),
        ("less than {amount}", "max_tuition", "{amount}"),
        ("at most {amount}", "max_tuition", "{amount}"),
        ("up to {amount}", "max_tuition", "{amount}"),
        ("cheapest", "sort", "tuition"),
        ("cheap", "sort", "tuition"),
        ("affordable", "sort", "tuition"),
        ("lowest tuition", "sort", "tuition"),
        ("least expensive", "sort", "tuition"),
        ("shortest", "sort", "shortest"),
        ("fastest", "sort", "shortest"),
        ("quickest", "sort", "shortest"),
        ("newest", "sort", "newest"),
        ("best rated", "sort", "rating"),
        ("top rated", "sort", "rating"),
        ("highest rated", "sort", "rating"),
    ],
    "careers": [
        ("highest paid", "sort", "salary"),
        ("best paid", "sort", "salary"),
        ("highest salary", "sort", "salary"),
        ("fastest growing", "sort", "growth"),
        ("over {amount}", "min_salary", "{amount}"),
        ("at least {amount}", "min_salary", "{amount}"),
    ],
    "certifications": [
        ("cheapest", "sort", "fee"),
        ("cheap", "sort", "fee"),
        ("under {amount}", "max_fee", "{amount}"),
        ("no degree in the field", "no_field_degree", "on"),
        ("without a degree in the field", "no_field_degree", "on"),
    ],
}

# A clinician's word for an area, and the area as the catalogue names it.
SPECIALTY_WORDS = [
    ("radiology", "medical imaging"),
    ("radiologist", "medical imaging"),
    ("oncology", "genomics"),
    ("oncology", "clinical diagnostics"),
    ("pharmacy", "pharmacist"),
    ("pharmacy", "pharmacology"),
    ("nursing informatics", "clinical informatics"),
]


def editors_keep_them(apps):
    """Editors keep the filter words, as they keep the synonyms."""
    search = apps.get_app_config("search")
    search.models_module = True  # permissions are made after all migrations otherwise
    create_permissions(search, apps=apps, verbosity=0)
    search.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="search", content_type__model="filterword"
            )
        )


def seed(apps, schema_editor):
    editors_keep_them(apps)
    FilterWord = apps.get_model("search", "FilterWord")
    Synonym = apps.get_model("search", "Synonym")
    for listing, rows in FILTER_WORDS.items():
        for phrase, parameter, value in rows:
            if not FilterWord.objects.filter(listing=listing, phrase__iexact=phrase).exists():
                FilterWord.objects.create(
                    listing=listing, phrase=phrase, parameter=parameter, value=value
                )
    for term, means in SPECIALTY_WORDS:
        if not Synonym.objects.filter(term__iexact=term, means__iexact=means).exists():
            Synonym.objects.create(term=term, means=means)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_words"), ("programs", "0003_roles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
