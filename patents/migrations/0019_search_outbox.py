# The search engine's outbox (patents/search/outbox.py): the id of every patent a statement
# changes, written by triggers in the statement's own transaction, so that every write path
# (the API, the admin, the imports' COPY, a queryset.update(), psql) reaches the index and a
# rolled-back change reaches nothing. Statement triggers with transition tables: a bulk
# import of a million rows adds its ids in one INSERT ... SELECT per statement.
#
# - patents: inserted, updated and deleted rows;
# - holdings: the patent of each inserted, updated or deleted holding (holder names, holder
#   ids and kinds are indexed);
# - holders: the patents of each renamed or re-kinded holder.
#
# The existing entries of an upgraded database are not needed: the indexer builds the index
# from the table when it finds none (manage.py index_search --follow).

from django.db import migrations

CREATE = """
CREATE TABLE patents_search_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patent_id bigint NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION patents_outbox_patents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO patents_search_outbox (patent_id) SELECT id FROM changed_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION patents_outbox_holdings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO patents_search_outbox (patent_id) SELECT DISTINCT patent_id FROM changed_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION patents_outbox_holders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO patents_search_outbox (patent_id)
        SELECT DISTINCT hd.patent_id
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN patents_holding hd ON hd.holder_id = n.id
        WHERE n.name IS DISTINCT FROM o.name OR n.kind IS DISTINCT FROM o.kind
           OR n.region_id IS DISTINCT FROM o.region_id;
    RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE TRIGGER patents_outbox_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER patents_outbox_update AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER patents_outbox_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""

HOLDERS = """
CREATE TRIGGER patents_outbox_update AFTER UPDATE ON patents_holder
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION patents_outbox_holders();
"""

DROP = """
DROP TRIGGER IF EXISTS patents_outbox_update ON patents_holder;
DROP TRIGGER IF EXISTS patents_outbox_insert ON patents_holding;
DROP TRIGGER IF EXISTS patents_outbox_update ON patents_holding;
DROP TRIGGER IF EXISTS patents_outbox_delete ON patents_holding;
DROP TRIGGER IF EXISTS patents_outbox_insert ON patents_patent;
DROP TRIGGER IF EXISTS patents_outbox_update ON patents_patent;
DROP TRIGGER IF EXISTS patents_outbox_delete ON patents_patent;
DROP FUNCTION IF EXISTS patents_outbox_holders();
DROP FUNCTION IF EXISTS patents_outbox_holdings();
DROP FUNCTION IF EXISTS patents_outbox_patents();
DROP TABLE IF EXISTS patents_search_outbox;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0018_holding_confirmation"),
    ]

    operations = [
        migrations.RunSQL(
            sql=CREATE
            + TRIGGERS.format(table="patents_patent", function="patents_outbox_patents")
            + TRIGGERS.format(table="patents_holding", function="patents_outbox_holdings")
            + HOLDERS,
            reverse_sql=DROP,
        ),
    ]
