"""The clinicians' vocabulary to start with: abbreviations readers type and what pages write.

Editors add to it in the admin (Site → Synonyms); this list is only the first set.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SYNONYMS = [
    # Fields of AI and data
    ("AI", "artificial intelligence"),
    ("ML", "machine learning"),
    ("DL", "deep learning"),
    ("NLP", "natural language processing"),
    ("LLM", "large language model"),
    ("GenAI", "generative AI"),
    ("CV", "computer vision"),
    ("medical imaging", "medical image analysis"),
    ("stats", "statistics"),
    ("biostats", "biostatistics"),
    # Health care
    ("EHR", "electronic health record"),
    ("EMR", "electronic medical record"),
    ("CDS", "clinical decision support"),
    ("HIM", "health information management"),
    ("HIT", "health information technology"),
    ("RN", "registered nurse"),
    ("NP", "nurse practitioner"),
    ("APRN", "advanced practice registered nurse"),
    ("MD", "doctor of medicine"),
    ("PharmD", "doctor of pharmacy"),
    # Degrees
    ("MS", "master of science"),
    ("MSc", "master of science"),
    ("MPH", "master of public health"),
    ("MHA", "master of health administration"),
    ("MHI", "master of health informatics"),
    ("MBA", "master of business administration"),
    ("PhD", "doctor of philosophy"),
    # Names readers know universities by
    ("CMU", "Carnegie Mellon University"),
    ("UNC", "University of North Carolina"),
    ("UW", "University of Washington"),
    ("OHSU", "Oregon Health & Science University"),
    ("BU", "Boston University"),
    ("GW", "George Washington University"),
    ("GWU", "George Washington University"),
    ("JHU", "Johns Hopkins University"),
    ("OSU", "Ohio State University"),
    ("UT", "University of Texas"),
    ("UTHealth", "University of Texas Health Science Center at Houston"),
    ("UTSA", "University of Texas at San Antonio"),
    ("UIC", "University of Illinois Chicago"),
    ("MUSC", "Medical University of South Carolina"),
    ("RIT", "Rochester Institute of Technology"),
    ("Georgia Tech", "Georgia Institute of Technology"),
    ("Pitt", "University of Pittsburgh"),
    ("USF", "University of San Francisco"),
    ("UofT", "University of Toronto"),
    ("UMich", "University of Michigan"),
    ("UMN", "University of Minnesota"),
    ("UNC Charlotte", "University of North Carolina at Charlotte"),
    ("SUNY", "State University of New York"),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("portal", "Synonym")
    for term, means in SYNONYMS:
        Synonym.objects.get_or_create(term=term, means=means)
    # Editors keep the synonyms (permissions are normally made after all migrations).
    config = apps.get_app_config("portal")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="portal", content_type__model="synonym"
            )
        )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("portal", "Synonym")
    for term, means in SYNONYMS:
        Synonym.objects.filter(term=term, means=means).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_search"), ("programs", "0003_roles")]

    operations = [migrations.RunPython(seed, unseed)]
