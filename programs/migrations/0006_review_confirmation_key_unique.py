import programs.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0005_fill_review_keys_and_reporters'),
    ]

    operations = [
        migrations.AlterField(
            model_name='review',
            name='confirmation_key',
            field=models.CharField(default=programs.models.new_confirmation_key, editable=False, help_text='Random; the confirmation link refers to the review by it.', max_length=32, unique=True),
        ),
    ]
