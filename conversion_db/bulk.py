"""Set-based upsert of a whole table's worth of rows through PostgreSQL ``COPY``.

``sync_table`` makes a table hold exactly the given rows: it streams them into a
temporary table with ``COPY``, inserts the new ones, updates only the rows whose values
changed (so an unchanged re-load writes nothing and bloats no index), and deletes rows
the source no longer has. One call is one transaction. It is for reference tables owned
by a loader (the IPC scheme, regions), not for curated records, which go through their
services and keep history.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import DatabaseError, connection, models, transaction
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


# How much of a GIN index's pending list a bulk write lets accumulate before it is merged
# into the index (PostgreSQL's default is 4 MB). Each merge walks the index once per key,
# so larger batches share the walk among more rows: importing 20,000 patents into 180,000,
# the insert with the search index's upkeep took 10.3 s with 4 MB, 7.3-8.0 s with 32 MB
# (the final merge included) and 6.4 s with 64 MB. Other sessions' searches read the
# pending list as they go, so it is kept at a size they scan quickly, and emptied before
# the transaction commits.
BULK_GIN_PENDING_LIST = "32MB"


@contextmanager
def batched_gin_upkeep(
    model: type[models.Model], merge: Callable[[], bool] = lambda: True
) -> Iterator[None]:
    """Inside a transaction that writes many rows of ``model``: let its GIN indexes collect
    entries in larger batches, and merge what is left into them on the way out, so that
    neither the next single-row write nor a search pays for this one's backlog.

    Merging on demand (``gin_clean_pending_list``) needs the index's owner (or a role
    with its privileges); where this role is not, nothing changes. ``merge()`` false at
    the end: the indexes were built again (``GinUpkeep``), nothing is pending."""
    if not connection.in_atomic_block:
        raise RuntimeError("batched_gin_upkeep runs inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid, pg_has_role(current_user, c.relowner, 'USAGE')"
            " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_am a ON a.oid = c.relam"
            " WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
            [model._meta.db_table],
        )
        indexes = cursor.fetchall()
        batched = bool(indexes) and all(owned for _oid, owned in indexes)
        if batched:
            # Transaction-local: both settings end with the transaction. A merge gathers
            # entries in work_mem, so it is raised to the pending list's size if below it.
            cursor.execute(
                "SELECT set_config('gin_pending_list_limit', %s, true),"
                " set_config('work_mem', CASE"
                " WHEN pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%s)"
                " THEN %s ELSE current_setting('work_mem') END, true)",
                [BULK_GIN_PENDING_LIST, BULK_GIN_PENDING_LIST, BULK_GIN_PENDING_LIST],
            )
    if not batched:
        yield
        return
    oids = [oid for oid, _owned in indexes]
    try:
        yield
    except BaseException:
        # The rows are being rolled back, but their entries are in the pending lists all the
        # same; merge them now rather than leave them to the next writer. Where the
        # transaction itself failed, that cannot run, and autovacuum merges them later.
        if merge():
            with contextlib.suppress(DatabaseError):
                _merge_pending_lists(oids)
        raise
    if merge():
        _merge_pending_lists(oids)


def _merge_pending_lists(oids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(oid) FROM unnest(%s::oid[]) AS oid", [oids])


# A file this large, and larger than the table it goes into, loads with the table's GIN
# indexes built after its rows (``GinUpkeep``).
DEFER_GIN_MIN_ROWS = 50_000
BULK_INDEX_BUILD_MEMORY = "1GB"  # maintenance_work_mem for building them again


class GinUpkeep:
    """``batched_gin_upkeep`` for a whole file, and the initial-load path: once the rows
    written (``written``) reach ``DEFER_GIN_MIN_ROWS`` and the table's size when the file
    began, the table's GIN indexes are dropped and created again after the last row, as
    PostgreSQL advises for populating a database (building an index over the rows is far
    cheaper than keeping it up to date row by row).

    All inside the file's transaction: a rolled-back file leaves the indexes as they were.
    The price is the table's exclusive lock from the drop to the commit: readers of the
    table wait for the load, which is why only a file larger than the table takes this
    path (a city's first load, not a day's additions). Needs the indexes' owner (as
    ``batched_gin_upkeep``); otherwise the upkeep stays batched."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.rows = 0
        self.deferred: list[str] = []  # the dropped indexes' definitions
        self._batched: contextlib.AbstractContextManager[None] | None = None

    def __enter__(self) -> GinUpkeep:
        with connection.cursor() as cursor:
            # The planner's estimate, or the statistics' live rows when they are newer
            # (a load that ANALYZE has not seen yet).
            cursor.execute(
                "SELECT greatest(c.reltuples, s.n_live_tup, 0)::bigint FROM pg_class c"
                " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
                " WHERE c.oid = %s::regclass",
                [self.model._meta.db_table],
            )
            self.table_rows = int(cursor.fetchone()[0])
        self._batched = batched_gin_upkeep(self.model, merge=lambda: not self.deferred)
        self._batched.__enter__()
        return self

    def written(self, rows: int) -> None:
        """Count ``rows`` more written; take the initial-load path when they reach the
        threshold."""
        self.rows += rows
        if self.deferred or self.rows < max(DEFER_GIN_MIN_ROWS, self.table_rows):
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(c.oid),"
                " pg_has_role(current_user, c.relowner, 'USAGE')"
                " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " JOIN pg_am a ON a.oid = c.relam"
                " WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
                [self.model._meta.db_table],
            )
            indexes = cursor.fetchall()
            if not indexes or not all(owned for _name, _definition, owned in indexes):
                return
            for name, _definition, _owned in indexes:
                cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        self.deferred = [definition for _name, definition, _owned in indexes]

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        assert self._batched is not None
        if kind is None and self.deferred:
            with connection.cursor() as cursor:
                # An index cannot be created while the table has deferred checks pending
                # (Django's foreign keys are checked at commit): run them now, as the
                # commit would, then defer again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(
                    "SELECT set_config('maintenance_work_mem', %s, true)",
                    [BULK_INDEX_BUILD_MEMORY],
                )
                for definition in self.deferred:
                    cursor.execute(definition)
        self._batched.__exit__(kind, error, trace)


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


_FROM_RECORD = object()


def _history_columns(
    model: type[models.Model], *, user_id: int | None, batch: Any, when: Any
) -> list[tuple[models.Field, Any]]:
    """Each column of ``model``'s history table (but its id) with the value simple-history
    gives it for a created record, or ``_FROM_RECORD`` for the record's own column."""
    history = model.history.model  # type: ignore[attr-defined]
    constants = {
        "history_date": when,
        "history_type": "+",
        "history_change_reason": None,
        "history_user": user_id,
    }
    if not hasattr(model, "import_batch"):
        constants["import_batch"] = batch
    return [
        (field, constants.get(field.name, _FROM_RECORD))
        for field in history._meta.concrete_fields
        if field.name != "history_id"
    ]


def _constant(value: Any) -> Callable[[Any], Any]:
    return lambda _obj: value


def copy_history(
    model: type[models.Model],
    instances: Sequence[models.Model],
    *,
    user_id: int | None,
    batch: Any,
    when: Any,
) -> None:
    """The ``+`` (created) history rows of ``instances``, as simple-history would write them."""
    columns: list[str] = []
    getters: list[Callable[[Any], Any]] = []
    for field, value in _history_columns(model, user_id=user_id, batch=batch, when=when):
        columns.append(field.column)
        getters.append(attrgetter(field.attname) if value is _FROM_RECORD else _constant(value))
    copy_insert(
        model.history.model._meta.db_table,  # type: ignore[attr-defined]
        columns,
        ([get(obj) for get in getters] for obj in instances),
    )


def history_from_table(
    model: type[models.Model], table: str, *, user_id: int | None, batch: Any, when: Any
) -> None:
    """``copy_history`` for rows that are in ``table`` already (a staging table with
    ``model``'s columns): PostgreSQL copies them, instead of every row going through
    Python a second time."""
    columns: list[sql.Composable] = []
    values: list[sql.Composable] = []
    params: list[Any] = []
    for field, value in _history_columns(model, user_id=user_id, batch=batch, when=when):
        columns.append(sql.Identifier(field.column))
        if value is _FROM_RECORD:
            values.append(sql.Identifier(field.column))
        else:
            values.append(sql.SQL("%s"))
            params.append(value)
    statement = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
        sql.Identifier(model.history.model._meta.db_table),  # type: ignore[attr-defined]
        sql.SQL(", ").join(columns),
        sql.SQL(", ").join(values),
        sql.Identifier(table),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string(cursor.cursor), params)
