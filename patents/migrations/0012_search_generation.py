# The search generation: a number that moves on every write to a table a public patent
# search shows or depends on, so that cached search pages (patents/search_cache.py) are keyed
# by it and never outlive the data they were read from.
#
# Triggers, not application code, move it: every write path (the API, the admin, the bulk
# import's COPY, a queryset.update(), an operator's psql) is covered.
# - A statement trigger on each table takes the next value at once. The writing connection
#   (and a test, which never commits) then misses the cache and sees its own change.
# - It also notes the transaction in patents_search_change (one row per writing
#   transaction); a deferred trigger on that table takes the next value again as the
#   transaction commits. A reader that read the number before the commit (and so the data
#   before it) cached its page under the old number, which nobody asks for any more.
# What is left is the instant between the deferred trigger and the commit itself; the
# cache's lifetime (SEARCH_CACHE_SECONDS) bounds that case.

from django.db import migrations

WATCHED_TABLES = (
    "patents_patent",
    "patents_holding",
    "patents_holder",
    "patents_region",  # the region filter reads the region tree
)

CREATE = """
CREATE SEQUENCE patents_search_generation;

CREATE UNLOGGED TABLE patents_search_change (xid xid8 PRIMARY KEY);

CREATE FUNCTION patents_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('patents_search_generation');
    INSERT INTO patents_search_change (xid) VALUES (pg_current_xact_id())
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION patents_search_committing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('patents_search_generation');
    DELETE FROM patents_search_change WHERE xid = NEW.xid;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER patents_search_committing
    AFTER INSERT ON patents_search_change
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION patents_search_committing();
"""

WATCH = """
CREATE TRIGGER patents_search_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION patents_search_changed();
"""

DROP = """
DROP TRIGGER IF EXISTS patents_search_committing ON patents_search_change;
DROP FUNCTION IF EXISTS patents_search_committing();
DROP FUNCTION IF EXISTS patents_search_changed();
DROP TABLE IF EXISTS patents_search_change;
DROP SEQUENCE IF EXISTS patents_search_generation;
"""

UNWATCH = "DROP TRIGGER IF EXISTS patents_search_changed ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0011_search_filters_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql=CREATE + "".join(WATCH.format(table=table) for table in WATCHED_TABLES),
            reverse_sql="".join(UNWATCH.format(table=table) for table in WATCHED_TABLES) + DROP,
        ),
    ]
