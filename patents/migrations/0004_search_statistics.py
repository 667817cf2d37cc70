"""Finer planner statistics for the search document.

With the default statistics target the planner tracks only ~1,000 frequent lexemes of
``search_document`` and guesses the rest; a wrong guess picks the wrong plan for the
relevance window (a backward scan that reads 180,000 rows where a bitmap reads 5,000).
Tracking up to ~10,000 lexemes keeps its estimates within a few percent (see README,
Benchmark). ANALYZE takes longer (about 20 s per million patents), which autovacuum does
in the background.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("patents", "0003_licensing_offers_licences_pledges")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE patents_patent ALTER COLUMN search_document SET STATISTICS 1000",
            "ALTER TABLE patents_patent ALTER COLUMN search_document SET STATISTICS -1",
        ),
    ]
