# One GIN index for the text, the IPC levels, the type and the status (btree_gin, enabled by
# conversion_db 0001), replacing the text index and the IPC index: a word with these
# filters is answered by intersecting their entries in the index (see Patent.Meta). The new
# index is built before the two old ones go, so searches keep an index meanwhile. At a
# million patents the build takes about three minutes and blocks writes to the table.

import django.contrib.postgres.indexes
from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0010_list_filter_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="patent",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_document", "ipc_index", "patent_type", "legal_status"],
                name="patent_search_filters_gin",
            ),
        ),
        migrations.RemoveIndex(
            model_name="patent",
            name="patent_search_gin",
        ),
        migrations.RemoveIndex(
            model_name="patent",
            name="patent_ipc_index_gin",
        ),
    ]
