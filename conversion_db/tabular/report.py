"""What an import answers: the counts and every error by row and column, and the
all-or-nothing rule that writes a file whole or not at all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from django.db import transaction

MAX_REPORTED_ERRORS = 1000

Outcome = Literal["created", "updated", "unchanged"]


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header, too many rows); it is
    reported on ``row``: 1, the header, or the line where reading had to stop."""

    def __init__(self, code: str, message: Any, column: str | None = None, row: int = 1) -> None:
        super().__init__(str(message))
        self.code, self.message, self.column, self.row = code, message, column, row


class Rollback(Exception):
    """Raised inside a transaction to undo it (a dry run, a file with errors, a refused row)."""


@dataclass
class RowError:
    row: int | None  # the line in the file (a CSV/XLSX header is row 1); None: the whole file
    column: str | None
    code: str
    message: str


@dataclass
class ColumnRead:
    """A header cell of the file and the column (the field) it was read into."""

    header: str
    column: str


@dataclass
class ImportReport:
    """The counts of one import and its errors (the first ``MAX_REPORTED_ERRORS`` of
    ``error_count``). A kind that counts more adds fields and names them in ``COUNTS``.
    ``columns`` and ``ignored_columns`` say what a CSV, XLSX or XLS header became."""

    COUNTS: ClassVar[tuple[str, ...]] = ("created", "updated", "unchanged")

    batch: uuid.UUID
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    columns: list[ColumnRead] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def header_read(self, mapping: Any) -> None:
        """Keep what the file's header became (a ``columns.HeaderMapping``)."""
        self.columns = [ColumnRead(cell.header, cell.column) for cell in mapping.mapped]
        self.ignored_columns = list(mapping.ignored)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def add_error(self, row: int | None, column: str | None, code: str, message: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, code, str(message)))

    def add_row_errors(self, line: int, errors: dict[str, list[str]]) -> None:
        """A row's errors by column ("" for the row as a whole), each message once."""
        for column, messages in errors.items():
            for message in dict.fromkeys(messages):
                self.add_error(line, column or None, "invalid", message)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def discard_counts(self) -> None:
        """Nothing was written: no count but ``rows`` stands."""
        for name in self.COUNTS:
            setattr(self, name, 0)

    def summary(self, noun: str, verb: str) -> str:
        """``"2 patents were created, 0 updated, 1 unchanged."``, for the commands."""
        return (
            f"{self.created} {noun} {verb} created, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


@contextmanager
def all_or_nothing(report: ImportReport) -> Iterator[None]:
    """Run an import's writes in one transaction, kept only when the whole file is valid
    and it is not a dry run. A file that cannot be read (``ImportFileError``, raised
    anywhere inside) becomes an error on row 1. When anything failed, the counts are
    discarded: the report says what is wrong, not what would have been written."""
    try:
        with transaction.atomic():
            yield
            if not report.written:
                raise Rollback
    except Rollback:
        pass
    except ImportFileError as exc:
        report.add_error(exc.row, exc.column, exc.code, exc.message)
    if not report.ok:
        report.discard_counts()
