# The recordation number names one licence record (Recordation Measures 12 (8)): the
# duplicate check of PATCH /api/v1/deals/{id}/ and the licence import's match on the number
# read this partial index (records without a number are left out).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0012_search_generation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="licencerecord",
            index=models.Index(
                condition=models.Q(("recordation_number", ""), _negated=True),
                fields=["recordation_number"],
                name="licence_recordation_number",
            ),
        ),
    ]
