"""Set-based upsert of a whole table's worth of rows through PostgreSQL ``COPY``.

``sync_table`` makes a table hold exactly the given rows: it streams them into a
temporary table with ``COPY``, inserts the new ones, updates only the rows whose values
changed (so an unchanged re-load writes nothing and bloats no index), and deletes rows
the source no longer has. One call is one transaction. It is for reference tables owned
by a loader (the IPC scheme, regions), not for curated records, which go through their
services and keep history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import connection, models, transaction
from psycopg import sql


@dataclass(frozen=True)
class SyncResult:
    created: int
    updated: int
    deleted: int
    unchanged: int

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.deleted} removed"
        )


def sync_table(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> SyncResult:
    """Make ``model``'s table hold exactly ``rows`` (tuples in ``columns`` order).

    The primary key must be among ``columns``; it is the upsert key.
    """
    table = model._meta.db_table
    key = model._meta.pk.column
    if key not in columns:
        raise ValueError(f"{model.__name__}: the primary key {key} must be among the columns")
    others = [column for column in columns if column != key]
    ident = sql.Identifier
    column_list = sql.SQL(", ").join(map(ident, columns))
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor, for COPY
        cursor.execute(
            sql.SQL(
                "CREATE TEMP TABLE sync_source (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP"
            ).format(ident(table))
        )
        total = 0
        with cursor.copy(sql.SQL("COPY sync_source ({}) FROM STDIN").format(column_list)) as copy:
            for row in rows:
                copy.write_row(row)
                total += 1
        cursor.execute(
            sql.SQL(
                "INSERT INTO {table} AS target ({columns}) SELECT {columns} FROM sync_source "
                "ON CONFLICT ({key}) DO UPDATE SET {assignments} "
                "WHERE ({current}) IS DISTINCT FROM ({incoming}) "
                "RETURNING (xmax = 0) AS inserted"
            ).format(
                table=ident(table),
                columns=column_list,
                key=ident(key),
                assignments=sql.SQL(", ").join(
                    sql.SQL("{} = EXCLUDED.{}").format(ident(c), ident(c)) for c in others
                ),
                current=sql.SQL(", ").join(sql.SQL("target.{}").format(ident(c)) for c in others),
                incoming=sql.SQL(", ").join(
                    sql.SQL("EXCLUDED.{}").format(ident(c)) for c in others
                ),
            )
        )
        flags = [inserted for (inserted,) in cursor.fetchall()]
        created = sum(1 for flag in flags if flag)
        updated = len(flags) - created
        cursor.execute(
            sql.SQL(
                "DELETE FROM {table} WHERE NOT EXISTS "
                "(SELECT 1 FROM sync_source s WHERE s.{key} = {table}.{key})"
            ).format(table=ident(table), key=ident(key))
        )
        deleted = cursor.rowcount
        cursor.execute("DROP TABLE sync_source")
    return SyncResult(
        created=created, updated=updated, deleted=deleted, unchanged=total - len(flags)
    )


# --- Bulk inserts of curated records, with their history ------------------------------------
def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys from the table's sequence (for COPY, which returns none)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def stored_fields(model: type[models.Model], *, exclude: Sequence[str] = ()) -> list[models.Field]:
    """The columns a row of ``model`` writes (generated columns are computed by PostgreSQL)."""
    return [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, models.GeneratedField) and field.name not in exclude
    ]


def copy_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """``COPY table (columns) FROM STDIN``: the fastest way PostgreSQL takes new rows."""
    with (
        connection.cursor() as wrapper,
        wrapper.cursor.copy(
            sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_history(
    model: type[models.Model],
    instances: Sequence[models.Model],
    *,
    user_id: int | None,
    batch: Any,
    when: Any,
) -> None:
    """The ``+`` (created) history rows of ``instances``, as simple-history would write them."""
    history = model.history.model  # type: ignore[attr-defined]
    columns: list[str] = []
    getters: list[Callable[[Any], Any]] = []
    for field in history._meta.concrete_fields:
        if field.name == "history_id":
            continue
        columns.append(field.column)
        if field.name == "history_date":
            getters.append(lambda _obj: when)
        elif field.name == "history_type":
            getters.append(lambda _obj: "+")
        elif field.name == "history_change_reason":
            getters.append(lambda _obj: None)
        elif field.name == "history_user":
            getters.append(lambda _obj: user_id)
        elif field.name == "import_batch" and not hasattr(model, "import_batch"):
            getters.append(lambda _obj: batch)
        else:
            getters.append(attrgetter(field.attname))
    copy_insert(
        history._meta.db_table,
        columns,
        ([get(obj) for get in getters] for obj in instances),
    )
