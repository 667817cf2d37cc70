"""Reading a file into rows: its format, its text encoding, and CSV, XLSX and JSON Lines
read into ``FileRow``s (the line, and the cells by column), one at a time.

- CSV is UTF-8 (with or without a BOM) or GB18030, the encoding Excel in China saves;
  anything else is refused naming the encoding detected (``encodings``).
- XLSX: the first sheet, read as a stream (openpyxl's read-only mode), its cells' own types
  (numbers, dates, booleans).
- JSON Lines: one object a line, keyed by column; blank lines are skipped; arrays are lists.
- CSV and XLSX cells quoted by an export against formula injection are restored
  (``formulas``).
- A header (CSV, XLSX) is checked by the kind's ``Columns``; a line of JSON Lines that is
  not an object, or names an unknown column, is an error of that line alone.
- PostgreSQL cannot store U+0000 in text: a cell holding it becomes an error of its
  column, and the rest of the row is read as usual.

Limits on a file's size, rows, cell length and unpacked size (``limits``) are applied in
``read_rows``, the one entry; every reader streams, so no file is held whole in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from conversion_db.tabular import encodings, formulas
from conversion_db.tabular.limits import (
    CSV_FIELD_LIMIT,
    FileLimits,
    cell_too_long,
    check_size,
    check_workbook,
    line_too_long,
    too_many_rows,
)
from conversion_db.tabular.report import ImportFileError

if TYPE_CHECKING:
    from conversion_db.tabular.columns import Columns


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"


EXTENSIONS = {"csv": "csv", "txt": "csv", "xlsx": "xlsx", "jsonl": "jsonl", "ndjson": "jsonl"}


@dataclass
class FileRow:
    """One row as the file holds it: ``cells`` by column (raw values), and ``problems`` by
    column ("" for the whole line) for what could not be read."""

    line: int  # the line in the file (a CSV/XLSX header is line 1)
    cells: dict[str, Any]
    problems: dict[str, Any] = field(default_factory=dict)


def format_for(filename: str, declared: str | None = None) -> FileFormat:
    """The file's format: declared, or from the name's extension."""
    if declared:
        try:
            return FileFormat(declared.lower())
        except ValueError:
            pass
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in EXTENSIONS:
        return FileFormat(EXTENSIONS[suffix])
    raise ImportFileError(
        "unknown_format",
        _("Send a .csv, .xlsx or .jsonl file (or name the format)."),
    )


def read_rows(
    stream: IO[bytes],
    file_format: FileFormat,
    columns: Columns,
    limits: FileLimits | None = None,
) -> Iterator[FileRow]:
    """The rows of a file in ``columns``, every one (empty ones too) counted against
    ``limits`` (by default ``FileLimits.for_files()``); raises ImportFileError for the file
    as a whole."""
    limits = limits or FileLimits.for_files()
    check_size(stream, limits)
    if file_format == FileFormat.XLSX:
        check_workbook(stream, limits)
    readers = {
        FileFormat.CSV: _read_csv,
        FileFormat.XLSX: _read_xlsx,
        FileFormat.JSONL: _read_jsonl,
    }
    spreadsheet = file_format != FileFormat.JSONL
    for count, row in enumerate(readers[file_format](stream, columns, limits), start=1):
        if limits.max_rows is not None and count > limits.max_rows:
            raise too_many_rows(limits.max_rows)
        if spreadsheet:
            _restore_formulas(row)
        _refuse_nul(row)
        _refuse_long(row, limits.max_cell_chars)
        yield row


def decode(raw: bytes) -> str:
    """Bytes of text in UTF-8 or GB18030 (``encodings``); raises ImportFileError otherwise."""
    stream = io.BytesIO(raw)
    return raw.decode(encodings.text_encoding(stream))


def _text_lines(stream: IO[bytes], limit: int) -> Generator[str, None, None]:
    """The lines of a text file, decoded as they are read; a line longer than ``limit``
    characters stops the reading (the number is the line in the file)."""
    text = encodings.open_text(stream)
    try:
        number = 0
        while True:
            try:
                line = text.readline(limit + 1)
            except UnicodeDecodeError:
                raise encodings.decoding_error(text.encoding) from None
            if not line:
                return
            number += 1
            if len(line) > limit:
                raise line_too_long(number, limit)
            yield line
    finally:
        with suppress(ValueError):  # already closed with the request
            text.detach()  # the caller owns the stream


def _read_csv(stream: IO[bytes], columns: Columns, limits: FileLimits) -> Iterator[FileRow]:
    lines = _text_lines(stream, limits.line_chars(len(columns.names)))
    reader = csv.reader(lines)
    header: list[str] | None = None
    line = 1
    try:
        header = next(reader, None)
        if not header:
            raise ImportFileError("empty", _("The file is empty."))
        names = columns.header_names(header)
        for line, cells in enumerate(reader, start=2):
            yield FileRow(
                line, {name: cell for name, cell in zip(names, cells, strict=False) if name}
            )
    except csv.Error as exc:  # a field beyond the csv module's limit
        row = line + 1 if header else 1
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                "cell_too_long", cell_too_long(min(limits.max_cell_chars, CSV_FIELD_LIMIT)), row=row
            ) from None
        raise ImportFileError("not_csv", _("This line cannot be read as CSV."), row=row) from exc
    finally:
        lines.close()


def _read_xlsx(stream: IO[bytes], columns: Columns, limits: FileLimits) -> Iterator[FileRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportFileError("not_xlsx", _("The file is not an XLSX workbook.")) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise ImportFileError("empty", _("The file is empty."))
        names = columns.header_names([str(cell) if cell is not None else "" for cell in header])
        for line, cells in enumerate(rows, start=2):
            yield FileRow(
                line, {name: cell for name, cell in zip(names, cells, strict=False) if name}
            )
    finally:
        workbook.close()


def _read_jsonl(stream: IO[bytes], columns: Columns, limits: FileLimits) -> Iterator[FileRow]:
    with closing(_text_lines(stream, limits.line_chars(len(columns.names)))) as lines:
        yield from _jsonl_rows(lines, columns)


def _jsonl_rows(lines: Iterator[str], columns: Columns) -> Iterator[FileRow]:
    for line, raw in enumerate(lines, start=1):
        if not raw.strip():
            yield FileRow(line, {})  # counted as read, skipped as blank
            continue
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            record = None
        if not isinstance(record, dict):
            yield FileRow(line, {}, {"": _("This line is not a JSON object.")})
            continue
        unknown = [key for key in record if columns.column_for(key) is None]
        if unknown:
            yield FileRow(line, {}, {unknown[0]: columns.unknown_column(unknown[0])})
            continue
        yield FileRow(
            line, {columns.column_for(key) or key: value for key, value in record.items()}
        )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _refuse_nul(row: FileRow) -> None:
    bad = [column for column, value in row.cells.items() if _has_nul(value)]
    if bad:
        message = _("This cell contains a NUL character (U+0000), which cannot be stored.")
        for column in bad:
            del row.cells[column]
            row.problems[column] = message


def _restore_formulas(row: FileRow) -> None:
    for column, value in row.cells.items():
        if isinstance(value, str):
            row.cells[column] = formulas.restore(value)


def _length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return max((_length(item) for item in value), default=0)
    return 0


def _refuse_long(row: FileRow, limit: int) -> None:
    long = [column for column, value in row.cells.items() if _length(value) > limit]
    for column in long:
        del row.cells[column]
        row.problems[column] = cell_too_long(limit)
