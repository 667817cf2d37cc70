"""Indexes for GET /api/v1/feeds/offers/ (patents.api.feed_views.offer_events).

The history table grows with every offer change, so the feed must not scan it:
- ``offer_history_events``: the event candidates (an event status on an offer that was
  published), newest first by history id: a page reads about page-size index entries;
- ``offer_history_offer``: an offer's history rows by history id, with the status, so the
  "previous row" of each candidate is one index-only probe.

RunSQL (historical models declare no Meta indexes, so the migration state stays as it is
and ``makemigrations --check`` stays clean); CONCURRENTLY so a live table is not locked.
"""

from django.db import migrations

TABLE = "patents_historicallicensingoffer"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("patents", "0006_covering_filing_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS offer_history_events ON {TABLE} "
            "(history_id) WHERE status IN ('published', 'withdrawn', 'concluded', 'expired') "
            "AND published_at IS NOT NULL",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS offer_history_events",
        ),
        migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS offer_history_offer ON {TABLE} "
            "(id, history_id) INCLUDE (status)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS offer_history_offer",
        ),
    ]
