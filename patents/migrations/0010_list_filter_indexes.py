# Indexes for filtered lists: a district's newest patents (PatentFilterSet.filter_region),
# which also serves every region filter (the FK's own two indexes go), and type + status
# narrowed to the newest id range (selectors.newest_matches).

import django.db.models.deletion
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
        migrations.AlterField(
            model_name="patent",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Region of the first current holder.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="patents.region",
                verbose_name="region",
            ),
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
