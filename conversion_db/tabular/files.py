"""Reading a file into rows: its format, its text encoding, and CSV, XLSX and JSON Lines
read into ``FileRow``s (the line, and the cells by column), one at a time.

- CSV is UTF-8 (with or without a BOM) or GB18030, the encoding Excel in China saves.
- XLSX: the first sheet, its cells' own types (numbers, dates, booleans).
- JSON Lines: one object a line, keyed by column; blank lines are skipped; arrays are lists.
- A header (CSV, XLSX) is checked by the kind's ``Columns``; a line of JSON Lines that is
  not an object, or names an unknown column, is an error of that line alone.
- PostgreSQL cannot store U+0000 in text: a cell holding it becomes an error of its
  column, and the rest of the row is read as usual.

Limits on a file's size, rows or cell length belong in ``read_rows``, the one entry.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

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


def read_rows(stream: IO[bytes], file_format: FileFormat, columns: Columns) -> Iterator[FileRow]:
    """The rows of a file in ``columns``; raises ImportFileError for the file as a whole."""
    readers = {
        FileFormat.CSV: _read_csv,
        FileFormat.XLSX: _read_xlsx,
        FileFormat.JSONL: _read_jsonl,
    }
    for row in readers[file_format](stream, columns):
        _refuse_nul(row)
        yield row


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("encoding", _("The file is neither UTF-8 nor GB18030 text."))


def _read_csv(stream: IO[bytes], columns: Columns) -> Iterator[FileRow]:
    reader = csv.reader(io.StringIO(decode(stream.read()), newline=""))
    header = next(reader, None)
    if not header:
        raise ImportFileError("empty", _("The file is empty."))
    names = columns.header_names(header)
    for line, cells in enumerate(reader, start=2):
        yield FileRow(line, {name: cell for name, cell in zip(names, cells, strict=False) if name})


def _read_xlsx(stream: IO[bytes], columns: Columns) -> Iterator[FileRow]:
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


def _read_jsonl(stream: IO[bytes], columns: Columns) -> Iterator[FileRow]:
    for line, raw in enumerate(decode(stream.read()).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
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
