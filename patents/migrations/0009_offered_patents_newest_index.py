# Offer search reads the newest offered patents from their own index (patents.selectors).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0008_ipc_term_statistics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="patent",
            name="patent_has_offer",
        ),
        migrations.AddIndex(
            model_name="patent",
            index=models.Index(
                condition=models.Q(("has_offer", True)), fields=["id"], name="patent_offered_newest"
            ),
        ),
    ]
