import secrets

from django.db import migrations, models


def new_confirmation_key():
    # A copy of what reviews.models.new_confirmation_key was when this was written: the
    # reviews have since moved to their own app, which this app must not import.
    return secrets.token_urlsafe(24)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0005_fill_review_keys_and_reporters'),
    ]

    operations = [
        migrations.AlterField(
            model_name='review',
            name='confirmation_key',
            field=models.CharField(default=new_confirmation_key, editable=False, help_text='Random; the confirmation link refers to the review by it.', max_length=32, unique=True),
        ),
    ]
