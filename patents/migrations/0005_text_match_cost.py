"""Tell the planner that matching a text vector is expensive.

``tsvector @@ tsquery`` reads (and decompresses) a patent's whole search document, yet
PostgreSQL prices it like ``=`` on a short column. With equal prices it may test the text
before the cheap filters (type, status, IPC) and decompress every row it scans; priced at
100 it tests the columns first. In the benchmark this took "term + IPC + type + status"
from 130 ms to about 50 ms at a million patents.

Changing a built-in function needs a superuser. The embedded cluster runs as one; on a
server given by DATABASE_URL without that right this migration only leaves a notice, and
a DBA can run the statement once (README, Database).
"""

from django.db import migrations

SET_COST = """
DO $$
BEGIN
    ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {cost};
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'ts_match_vq cost unchanged (needs a superuser): %', SQLERRM;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("patents", "0004_search_statistics")]

    operations = [
        migrations.RunSQL(SET_COST.format(cost=100), SET_COST.format(cost=1)),
    ]
