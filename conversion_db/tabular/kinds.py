"""The base of an import kind: one kind of file (patents, offers, ...), its column table,
and one run of an import of such a file.

``ImportKind.import_file`` reads the file (``files``), parses each row by the column
table (``Row``: typed values and errors by column), and hands the rows to the kind in
chunks, inside one transaction kept only when the whole file is valid and it is not a dry
run (``report.all_or_nothing``), with the import's batch id on every history row written.
A kind writes either

- row by row (the default ``run_chunk``): ``import_row`` writes one row through the
  services, in its own savepoint, so a later row sees the earlier ones and a refused row
  is undone alone; a ``ValidationError`` becomes the row's errors by column; or
- set by set (``run_chunk`` overridden, as patents do): a chunk's look-ups and writes in a
  few statements, for files of millions of rows.

Rows are read, parsed and ``prepare``d one chunk ahead in a helper thread
(``prepared_chunks``), so that pure Python work overlaps the database's.

The export side (class methods): ``export_rows`` writes records in the same columns, the
private ones blank for records whose owner the reader is not; ``export_file`` writes them
to a file in any format (what a background export job calls with its file).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import IO, Any, ClassVar, Generic, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from conversion_db.models import ImportRun, import_batch
from conversion_db.services import Actor, StaleVersion, concurrent_writes
from conversion_db.tabular import cells, export
from conversion_db.tabular.columns import Columns, EmptyCell
from conversion_db.tabular.files import FileFormat, FileRow, read_rows
from conversion_db.tabular.limits import FileLimits
from conversion_db.tabular.report import (
    ImportReport,
    Outcome,
    Rollback,
    all_or_nothing,
)

CONCURRENT_IMPORT = _(
    "Another import or change wrote some of these records at the same moment; nothing of "
    "this file was written. Send it again."
)


@dataclass
class Row:
    """One data row: its line in the file, its typed values by column (only the columns
    the file has, less blank cells of columns that keep), and its errors by column ("" for
    the row as a whole)."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, column: str | None, message: Any) -> None:
        self.errors.setdefault(column or "", []).append(str(message))


RowT = TypeVar("RowT", bound=Row)


class ImportKind(Generic[RowT]):
    """One kind of file; an instance is one run of an import of such a file.

    A subclass sets ``name`` (files, sheets and messages say it) and ``columns``, and
    implements ``new_row`` and either ``import_row`` or ``run_chunk``."""

    name: ClassVar[str]
    columns: ClassVar[Columns]
    chunk_size: ClassVar[int] = 500
    report_class: ClassVar[type[ImportReport]] = ImportReport

    def __init__(
        self, *, actor: Actor, owner: Any = None, dry_run: bool = False, source: str = "import"
    ) -> None:
        self.actor = actor
        self.owner = owner  # whom the file is for (a holder), None: each row names it
        self.source = source  # where the file came from, for kinds that keep provenance
        self.report = self.report_class(batch=uuid.uuid4(), dry_run=dry_run)

    @classmethod
    def import_file(
        cls,
        *,
        actor: Actor,
        stream: IO[bytes],
        file_format: FileFormat,
        owner: Any = None,
        dry_run: bool = False,
        max_rows: int | None = None,
        source: str = "import",
        limits: FileLimits | None = None,
    ) -> ImportReport:
        """Import a file of this kind, all or nothing; the report has every error.

        ``limits`` bound the reading (``FileLimits.for_files()`` by default, the commands'
        rules; the web applies ``for_uploads()``); ``max_rows`` lowers its row limit. Raises
        ``Conflict`` when a concurrent import or edit wrote the same records first (nothing
        of this file is written; the same call again then sees them)."""
        limits = limits or FileLimits.for_files()
        if max_rows is not None:
            limits = replace(limits, max_rows=min(max_rows, limits.max_rows or max_rows))
        with concurrent_writes(CONCURRENT_IMPORT):
            report = cls(actor=actor, owner=owner, dry_run=dry_run, source=source).run(
                stream, file_format, limits=limits
            )
        if not dry_run:
            record_run(cls.name, report, actor=actor, source=source)
        return report

    def run(
        self, stream: IO[bytes], file_format: FileFormat, *, limits: FileLimits | None = None
    ) -> ImportReport:
        limits = limits or FileLimits.for_files()
        with (
            all_or_nothing(self.report),
            import_batch(self.report.batch),
            self.writing_scope(),
        ):
            rows = self.parsed_rows(
                read_rows(
                    stream, file_format, self.columns, limits, on_header=self.report.header_read
                )
            )
            for chunk in prepared_chunks(rows, self.prepare, self.chunk_size):
                self.run_chunk(chunk)
        return self.report

    @property
    def writing(self) -> bool:
        """Whether this run still writes (not a dry run, no error so far)."""
        return self.report.written

    # --- Reading --------------------------------------------------------------------------
    def new_row(self, line: int) -> RowT:
        raise NotImplementedError

    def parse(self, raw: FileRow) -> RowT | None:
        """The typed values of one row (None for a blank row); cell errors by column."""
        row = self.new_row(raw.line)
        for name, message in raw.problems.items():
            row.error(name, message)
        if all(cells.is_blank(v) and not isinstance(v, list) for v in raw.cells.values()):
            return row if row.errors else None
        for name, value in raw.cells.items():
            column = self.columns[name]
            if not column.imported or (column.empty is EmptyCell.KEEPS and cells.is_blank(value)):
                continue
            try:
                row.values[name] = column.parse(value)
            except ValueError as exc:
                row.error(name, exc.args[0])
        return row

    def parsed_rows(self, rows: Iterable[FileRow]) -> Iterator[RowT]:
        """The data rows (blank ones skipped; ``read_rows`` counted them against the limit)."""
        for raw in rows:
            row = self.parse(raw)
            if row is None:
                continue
            self.report.rows += 1
            yield row

    def prepare(self, row: RowT) -> None:
        """Work on a row that needs no database, done ahead in the helper thread: it must
        touch nothing but ``row``."""

    # --- Writing --------------------------------------------------------------------------
    def writing_scope(self) -> AbstractContextManager[Any]:
        """A context around all the writes, inside the transaction."""
        return nullcontext()

    def run_chunk(self, chunk: list[RowT]) -> None:
        for row in chunk:
            self.run_row(row)

    def run_row(self, row: RowT) -> None:
        """``import_row`` in a savepoint; its errors, or its outcome, into the report."""
        outcome: Outcome | None = None
        if not row.errors:
            try:
                with transaction.atomic():  # a savepoint: a refused row is undone alone
                    outcome = self.import_row(row)
                    if row.errors:
                        raise Rollback
            except Rollback:
                pass
            except ValidationError as exc:
                self.add_validation_error(row, exc)
            except StaleVersion:
                row.error(None, _("The record changed while the file was imported; try again."))
        self.report.add_row_errors(row.line, row.errors)
        if not row.errors and outcome:
            self.report.count(outcome)

    def import_row(self, row: RowT) -> Outcome | None:
        """Write one row through the services; errors go into ``row.errors`` (or a service
        raises ValidationError). None when the row has errors."""
        raise NotImplementedError

    def add_validation_error(self, row: RowT, exc: ValidationError) -> None:
        """A service's ValidationError as the row's errors, on the columns it names."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                row.error(None, message)
            return
        for key, errors in exc.error_dict.items():
            for message in ValidationError(errors).messages:
                row.error(*self.error_column(key, message))

    def error_column(self, key: str, message: str) -> tuple[str | None, str]:
        """The column (None: the row) a service's error on field ``key`` is reported on."""
        if key == NON_FIELD_ERRORS:
            return None, message
        if key in self.columns.by_name:
            return key, message
        return None, f"{key}: {message}"

    # --- Exporting ------------------------------------------------------------------------
    @classmethod
    def export_queryset(cls, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The records to export, with what their columns read fetched in a fixed number
        of queries per chunk."""
        return queryset

    @classmethod
    def owner_id(cls, record: Any) -> int | None:
        """The id of the owner whose members see ``record``'s private columns."""
        return None

    @classmethod
    def export_rows(
        cls, queryset: QuerySet[Any], *, private_for: Iterable[int] | None = None
    ) -> Iterator[list[str]]:
        """Rows of the records in column order; ``private_for``: the owner ids whose records
        show their private columns (None: all, for operators)."""
        owners = None if private_for is None else set(private_for)
        for record in cls.export_queryset(queryset).iterator(chunk_size=cls.chunk_size):
            # A selector may have flagged the reader's own records already (``party``).
            private = (
                owners is None
                or cls.owner_id(record) in owners
                or bool(getattr(record, "party", False))
            )
            yield cls.columns.export_row(record, private=private)

    @classmethod
    def export_file(
        cls,
        queryset: QuerySet[Any],
        target: IO[bytes],
        file_format: FileFormat,
        *,
        private_for: Iterable[int] | None = None,
    ) -> int:
        """Write the records of ``queryset`` to ``target`` (any binary file: a response's
        temporary file, or a background job's storage) as ``export_rows`` gives them, in
        ``file_format``; the number of records written."""
        return export.write_file(
            target,
            cls.export_rows(queryset, private_for=private_for),
            cls.columns.names,
            file_format,
            cls.name,
        )


RECORDED_ERRORS = 20


def record_run(kind: str, report: ImportReport, *, actor: Actor, source: str) -> None:
    """Keep what an import (not a dry run) did: its counts, or its first errors."""
    ImportRun.objects.create(
        batch=report.batch,
        kind=kind,
        source=source[:200],
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        written=report.written,
        rows=report.rows,
        counts={name: getattr(report, name) for name in report.COUNTS},
        error_count=report.error_count,
        errors=[
            {"row": e.row, "column": e.column, "code": e.code, "message": e.message}
            for e in report.errors[:RECORDED_ERRORS]
        ],
    )


def prepared_chunks(
    rows: Iterator[RowT], prepare: Callable[[RowT], None], size: int
) -> Iterator[list[RowT]]:
    """``rows`` in chunks of ``size``, each read and prepared in a helper thread while the
    caller writes the chunk before it.

    Reading, cleaning and building search documents is pure Python, and PostgreSQL works
    in another process: while the caller waits for a chunk's statements, the thread
    (which gets the interpreter then) readies the next chunk, so the two overlap on two
    cores. The thread touches no database connection and speaks the caller's language.
    An error in it (a bad file, too many rows) is raised here, at the chunk it stopped.
    """
    language = get_language()

    def next_chunk() -> list[RowT]:
        with override(language):
            chunk = list(itertools.islice(rows, size))
            for row in chunk:
                prepare(row)
            return chunk

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-prepare") as helper:
        ahead = helper.submit(next_chunk)
        while chunk := ahead.result():
            ahead = helper.submit(next_chunk)
            yield chunk
