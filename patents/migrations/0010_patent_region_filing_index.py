# A district's newest patents from their own index (PatentFilterSet.filter_region).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0009_offered_patents_newest_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="patent",
            index=models.Index(
                fields=["region", "-filing_sort", "-id"],
                include=(
                    "deleted_at",
                    "patent_type",
                    "legal_status",
                    "is_high_value",
                    "has_offer",
                    "jurisdiction",
                ),
                name="patent_region_filing_desc",
            ),
        ),
    ]
