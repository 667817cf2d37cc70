# Indexes for filtered lists: a district's newest patents (PatentFilterSet.filter_region),
# and type + status narrowed to the newest id range (selectors.newest_matches).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0009_offered_patents_newest_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="patent",
            name="patent_type_status",
        ),
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
        migrations.AddIndex(
            model_name="patent",
            index=models.Index(
                fields=["patent_type", "legal_status", "id"], name="patent_type_status_id"
            ),
        ),
    ]
