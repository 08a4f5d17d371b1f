# Each existing review gets a random confirmation key, each existing report counts as a reader
# of its own (each came from a different address), and bidirectional control characters are
# removed from what reviewers and readers wrote.

import secrets

from django.db import migrations

BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
REVIEW_TEXT = (
    "title",
    "body",
    "pros",
    "cons",
    "role_before",
    "role_after",
    "display_name",
    "relationship_details",
)


def fill(apps, schema_editor):
    import hashlib

    Review = apps.get_model("programs", "Review")
    ReviewReport = apps.get_model("programs", "ReviewReport")
    for review in Review.objects.all():
        review.confirmation_key = new_confirmation_key()
        for name in REVIEW_TEXT:
            setattr(review, name, getattr(review, name).translate(BIDI_CONTROLS))
        review.text_fingerprint = hashlib.sha256(
            " ".join(review.body.lower().split()).encode()
        ).hexdigest()
        review.save(update_fields=["confirmation_key", "text_fingerprint", *REVIEW_TEXT])
    for report in ReviewReport.objects.all():
        report.reporter = f"before-2026-12:{report.pk}"
        report.details = report.details.translate(BIDI_CONTROLS)
        report.save(update_fields=["reporter", "details"])



def new_confirmation_key():
    # A copy of what reviews.models.new_confirmation_key was when this was written: the
    # reviews have since moved to their own app, which this app must not import.
    return secrets.token_urlsafe(24)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0004_review_confirmation_key_reviewreport_reporter'),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
