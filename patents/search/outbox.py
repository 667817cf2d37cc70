"""Feeding the search engine from PostgreSQL: the outbox, the indexer and the rebuild.

**The outbox.** Triggers on the patents, holdings and holders tables (migration ``patents
0019``) add the id of every patent a statement changes to ``patents_search_outbox``, in the
statement's own transaction: every write path (the API, the admin, the imports' COPY, the
services, a ``queryset.update()``, the legal-status events, an operator's psql) is covered,
and a change the database rolls back leaves nothing to index.

**The indexer** (``apply_pending``; ``manage.py index_search --follow`` runs it in a loop,
and ``make run`` runs that beside the web and the jobs) takes a batch of entries, reads
those patents as they are now, replaces their documents in the index and commits it, then
deletes the entries in the same database transaction. A worker killed anywhere in between
loses nothing: either the index commit did not happen (the entries are still there), or it
did and the entries are still there (applying them again writes the same documents). One
writer at a time: a transaction-level advisory lock.

**The rebuild** (``rebuild``; ``manage.py rebuild_search_index``) writes every live patent
into a new folder while holding the same lock for its whole run (so the indexer waits),
switches ``CURRENT`` to it, and deletes the entries that were committed before it began
(it read those changes); entries added while it ran stay and are applied to the new index.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator, Sequence
from typing import Any

import tantivy
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from patents.search import engine

logger = logging.getLogger(__name__)

WRITER_LOCK = 0x5EA2C4  # pg advisory lock: one index writer at a time (indexer, rebuild)
BATCH = 2000  # patents per index commit
POLL_SECONDS = 0.25  # how often --follow looks for new entries when it found none
WRITER_HEAP_BYTES = 64_000_000
REBUILD_HEAP_BYTES = 512_000_000
READ_CHUNK = 2000  # patents read per query by the rebuild
# More entries waiting than this, and than the index holds documents (a city's first load,
# a bulk update of every patent): a rebuild is cheaper than replacing them batch by batch.
REBUILD_BACKLOG = 100_000

ENTRY_SQL = """
SELECT p.id, p.title, p.title_en, p.abstract, p.abstract_en, p.keywords,
       coalesce((SELECT array_agg(h.name ORDER BY hd.role DESC, hd."order", hd.id)
                 FROM patents_holding hd JOIN patents_holder h ON h.id = hd.holder_id
                 WHERE hd.patent_id = p.id AND hd.confirmed), '{}'),
       coalesce((SELECT array_agg(hd.holder_id) FROM patents_holding hd
                 WHERE hd.patent_id = p.id AND hd.confirmed), '{}'),
       p.holder_kinds, p.ipc_index, p.patent_type, p.legal_status, p.region_id,
       p.jurisdiction, p.filing_date, p.grant_date, p.expiry_date, p.is_high_value, p.has_offer,
       EXISTS (SELECT 1 FROM patents_holding hd
               WHERE hd.patent_id = p.id AND hd.confirmed AND hd.role = 'current')
FROM patents_patent p
WHERE p.deleted_at IS NULL AND {condition}
ORDER BY p.id
"""


def _entry(row: Sequence[Any]) -> engine.PatentEntry:
    return engine.PatentEntry(*row)


def entries_for(ids: Sequence[int], cursor: Any = None) -> list[engine.PatentEntry]:
    """The live patents among ``ids``, as the index needs them (one query)."""
    if cursor is None:
        with connection.cursor() as own:
            return entries_for(ids, own)
    cursor.execute(
        ENTRY_SQL.replace("{condition}", "p.id = ANY(%s::bigint[])"),
        ["{" + ",".join(map(str, ids)) + "}"],
    )
    return [_entry(row) for row in cursor.fetchall()]


def _all_entries() -> Iterator[list[engine.PatentEntry]]:
    """Every live patent, in chunks by id (keyset: no OFFSET)."""
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                ENTRY_SQL.replace("{condition}", "p.id > %s") + " LIMIT %s", [last, READ_CHUNK]
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield [_entry(row) for row in rows]
        last = rows[-1][0]


def ensure_index() -> tantivy.Index:
    """The index in use; an empty one is created when none exists yet (for an empty
    database: otherwise ``rebuild``)."""
    index = engine.open_index()
    if index is None:
        folder = engine.new_folder()
        engine.create_index(folder)
        engine.switch_to(folder)
        index = engine.open_index()
        assert index is not None
    return index


def _replace(writer: tantivy.IndexWriter, ids: Sequence[int], cursor: Any) -> int:
    """Replace the documents of ``ids`` by the patents as they are now (a deleted or
    missing patent loses its document); the number of documents written."""
    # By query: tantivy-py's delete by term takes a Python int for a signed value, which
    # never equals an unsigned field's term (it deleted nothing).
    writer.delete_documents_by_query(tantivy.Query.term_set_query(engine.SCHEMA, "id", list(ids)))
    entries = entries_for(ids, cursor)
    for entry in entries:
        writer.add_document(engine.document(entry))
    return len(entries)


def apply_pending(limit: int = BATCH) -> int:
    """Apply up to ``limit`` outbox entries to the index; the number of entries applied
    (0: none waiting, or another writer holds the lock)."""
    with transaction.atomic(), connection.cursor() as cursor:
        return _apply(cursor, limit)


def _apply(cursor: Any, limit: int) -> int:
    """``apply_pending`` in the caller's transaction, through ``cursor``."""
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [WRITER_LOCK])
    if not cursor.fetchone()[0]:
        return 0
    cursor.execute("SELECT id, patent_id FROM patents_search_outbox ORDER BY id LIMIT %s", [limit])
    rows = cursor.fetchall()
    if not rows:
        return 0
    index = engine.open_index()
    if index is None:  # never built: the entries wait for the first build (follow, seed)
        return 0
    ids = sorted({patent_id for _id, patent_id in rows})
    writer = index.writer(WRITER_HEAP_BYTES, 1)
    try:
        _replace(writer, ids, cursor)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    cursor.execute(
        "DELETE FROM patents_search_outbox WHERE id = ANY(%s::bigint[])",
        ["{" + ",".join(str(entry_id) for entry_id, _patent in rows) + "}"],
    )
    # Cached search pages were read before the index held these changes.
    cursor.execute("SELECT nextval('patents_search_generation')")
    return len(rows)


def apply_all() -> int:
    """Apply every waiting entry (``seed``, tests); the number applied."""
    applied = 0
    while True:
        done = apply_pending()
        applied += done
        if done < BATCH:
            return applied


def apply_before_reading() -> None:
    """With ``SEARCH_INDEX_APPLY_ON_READ`` (tests, where every change lives in one
    uncommitted transaction), a search first applies what is waiting in that transaction,
    so that it reads the writes before it as it would within moments of their commit."""
    if not settings.SEARCH_INDEX_APPLY_ON_READ:
        return
    # The driver's own cursor: these statements stand in for the indexer's process, so a
    # test counting a request's queries does not count them.
    ensure_index()  # a test's database starts empty, as its index does
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        while _apply(cursor, BATCH) == BATCH:
            pass


def backlog_calls_for_rebuild() -> bool:
    """Whether more than ``REBUILD_BACKLOG`` entries wait, and more than the index holds
    documents (counted up to that bound: no full count of a long outbox)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM patents_search_outbox LIMIT %s) waiting",
            [REBUILD_BACKLOG + 1],
        )
        if cursor.fetchone()[0] <= REBUILD_BACKLOG:
            return False
        cursor.execute("SELECT count(DISTINCT patent_id) FROM patents_search_outbox")
        waiting = int(cursor.fetchone()[0])
    index = engine.open_index()
    if index is None:
        return True
    index.reload()
    return waiting > index.searcher().num_docs


def catch_up() -> int:
    """One step of the indexer: a rebuild when the backlog calls for it (logged), else
    ``apply_pending``; the number of entries applied, or of patents indexed."""
    if backlog_calls_for_rebuild():
        logger.info("search index: a backlog larger than the index; rebuilding it")
        return rebuild()
    return apply_pending()


def follow(*, stop: Any = None, idle_seconds: float = POLL_SECONDS) -> None:
    """Apply entries as they come, until ``stop()`` is true (the indexer's loop). Builds
    the index first when none exists, and again after a backlog larger than it
    (``catch_up``)."""
    if engine.current_folder() is None:
        logger.info("search index: none yet; building it")
        rebuild()
    while not (stop and stop()):
        try:
            applied = catch_up()
        except Exception:
            logger.exception("search index: a batch failed; retrying")
            connection.close()
            time.sleep(1.0)
            continue
        if applied < BATCH:
            time.sleep(idle_seconds)


def rebuild(*, progress: Any = None) -> int:
    """Index every live patent into a new folder and switch to it; the number indexed."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK])
    try:
        with connection.cursor() as cursor:
            # Committed before we read anything: what the rebuild makes redundant.
            cursor.execute("SELECT coalesce(array_agg(id), '{}') FROM patents_search_outbox")
            covered = cursor.fetchone()[0]
        folder = engine.new_folder()
        index = engine.create_index(folder)
        writer = index.writer(REBUILD_HEAP_BYTES, settings.SEARCH_INDEX_THREADS)
        count = 0
        try:
            for chunk in _all_entries():
                for entry in chunk:
                    writer.add_document(engine.document(entry))
                count += len(chunk)
                if progress:
                    progress(count, time.monotonic() - started)
            writer.commit()
        except BaseException:
            writer.rollback()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            writer.wait_merging_threads()
        engine.switch_to(folder)
        with connection.cursor() as cursor:
            for start in range(0, len(covered), 100_000):
                part = covered[start : start + 100_000]
                cursor.execute(
                    "DELETE FROM patents_search_outbox WHERE id = ANY(%s::bigint[])",
                    ["{" + ",".join(map(str, part)) + "}"],
                )
            cursor.execute("SELECT nextval('patents_search_generation')")
        engine.remove_other_folders(folder)
        return count
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [WRITER_LOCK])


def last_entry_of_session() -> int | None:
    """The id of the last outbox entry this database session wrote (committed or not), or
    None before its first one: the session's own value of the outbox sequence."""
    try:
        # A savepoint inside a transaction (the error would end it), else its own.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT currval(pg_get_serial_sequence('patents_search_outbox', 'id'))")
            return int(cursor.fetchone()[0])
    except DatabaseError:  # "currval is not yet defined in this session"
        return None


def wait_until_applied(entry_id: int, seconds: float) -> bool:
    """Wait until no outbox entry up to ``entry_id`` is waiting (the indexer applied
    them), at most ``seconds``; whether it happened."""
    deadline = time.monotonic() + seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM patents_search_outbox WHERE id <= %s)", [entry_id]
            )
            if not cursor.fetchone()[0]:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def status() -> dict[str, Any]:
    """How fresh the index is: documents, entries waiting and the oldest one's age."""
    index = engine.open_index()
    documents = None
    if index is not None:
        index.reload()
        documents = int(index.searcher().num_docs)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), min(queued_at) FROM "
            "(SELECT queued_at FROM patents_search_outbox ORDER BY id LIMIT 100001) waiting"
        )
        pending, oldest = cursor.fetchone()
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "built": index is not None,
        "documents": documents,
        "pending_changes": int(pending),
        "pending_more_than": 100_000 if pending > 100_000 else None,
        "oldest_pending_seconds": round(max(lag, 0.0), 3),
        "checked_at": timezone.now(),
    }
