"""Reading a file into rows: its format, its text encoding, and CSV, XLSX and JSON Lines
read into ``FileRow``s (the line, and the cells by column), one at a time.

- CSV is UTF-8 (with or without a BOM) or GB18030, the encoding Excel in China saves;
  anything else is refused naming the encoding detected (``encodings``).
- XLSX: the first sheet, read as a stream (openpyxl's read-only mode), its cells' own types
  (numbers, dates, booleans).
- XLS (Excel 97–2003, what older platform exports write): the first sheet, through xlrd,
  its cells' own types (a date cell is a date, not a serial number). xlrd reads the file
  whole, so besides the file's size an XLS may be at most ``max_unpacked_bytes``; a sheet
  holds at most 65,536 rows of 256 columns by the format. Formula cells are read as the
  value Excel last computed, never evaluated. A file whose content is the other Excel
  format than its name says is read as what it is.
- JSON Lines: one object a line, keyed by column; blank lines are skipped; arrays are lists.
- CSV, XLSX and XLS cells quoted by an export against formula injection are restored
  (``formulas``).
- A header (CSV, XLSX, XLS) is checked by the kind's ``Columns`` (which also knows the
  Chinese headers of exports), and what it became is handed to ``on_header``; a line of JSON Lines that is
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
from collections.abc import Callable, Generator, Iterator
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
    file_too_large,
    line_too_long,
    stream_size,
    too_many_rows,
)
from conversion_db.tabular.report import ImportFileError

if TYPE_CHECKING:
    from conversion_db.tabular.columns import Columns, HeaderMapping


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"
    XLS = "xls"  # read only: exports write CSV, XLSX and JSON Lines


EXTENSIONS = {
    "csv": "csv",
    "txt": "csv",
    "xlsx": "xlsx",
    "xls": "xls",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
}
EXPORT_FORMATS = (FileFormat.CSV, FileFormat.XLSX, FileFormat.JSONL)
SPREADSHEETS = frozenset({FileFormat.CSV, FileFormat.XLSX, FileFormat.XLS})
ZIP_MAGIC = b"PK\x03\x04"  # an XLSX is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an XLS is an OLE2 compound file


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
        _("Send a .csv, .xlsx, .xls or .jsonl file (or name the format)."),
    )


def read_rows(
    stream: IO[bytes],
    file_format: FileFormat,
    columns: Columns,
    limits: FileLimits | None = None,
    on_header: Callable[[HeaderMapping], None] | None = None,
) -> Iterator[FileRow]:
    """The rows of a file in ``columns``, every one (empty ones too) counted against
    ``limits`` (by default ``FileLimits.for_files()``); raises ImportFileError for the file
    as a whole. ``on_header`` is told what a CSV, XLSX or XLS header became."""
    limits = limits or FileLimits.for_files()
    check_size(stream, limits)
    file_format = _excel_format(stream, file_format)
    if file_format == FileFormat.XLSX:
        check_workbook(stream, limits)
    if file_format == FileFormat.XLS:
        check_xls(stream, limits)
    readers = {
        FileFormat.CSV: _read_csv,
        FileFormat.XLSX: _read_xlsx,
        FileFormat.XLS: _read_xls,
        FileFormat.JSONL: _read_jsonl,
    }
    header = on_header or (lambda mapping: None)
    spreadsheet = file_format in SPREADSHEETS
    for count, row in enumerate(readers[file_format](stream, columns, limits, header), start=1):
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


def _excel_format(stream: IO[bytes], file_format: FileFormat) -> FileFormat:
    """XLS for an XLSX that is really an old workbook, and the other way round (platforms
    and people rename them); any other file keeps its format. The stream is left at its
    start."""
    if file_format not in (FileFormat.XLS, FileFormat.XLSX) or not stream.seekable():
        return file_format
    start = stream.read(len(OLE_MAGIC))
    stream.seek(0)
    if start.startswith(ZIP_MAGIC):
        return FileFormat.XLSX
    if start == OLE_MAGIC:
        return FileFormat.XLS
    return file_format


def check_xls(stream: IO[bytes], limits: FileLimits) -> None:
    """xlrd reads an XLS whole: refuse one larger than what a workbook may unpack to."""
    size = stream_size(stream)
    if limits.max_unpacked_bytes is not None and size and size > limits.max_unpacked_bytes:
        raise file_too_large(limits.max_unpacked_bytes)


Header = Callable[["HeaderMapping"], None]


def _read_csv(
    stream: IO[bytes], columns: Columns, limits: FileLimits, on_header: Header
) -> Iterator[FileRow]:
    lines = _text_lines(stream, limits.line_chars(len(columns.names)))
    reader = csv.reader(lines)
    header: list[str] | None = None
    line = 1
    try:
        header = next(reader, None)
        if not header:
            raise ImportFileError("empty", _("The file is empty."))
        mapping = columns.read_header(header)
        on_header(mapping)
        names = mapping.names
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


def _read_xlsx(
    stream: IO[bytes], columns: Columns, limits: FileLimits, on_header: Header
) -> Iterator[FileRow]:
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
        mapping = columns.read_header([str(cell) if cell is not None else "" for cell in header])
        on_header(mapping)
        names = mapping.names
        for line, cells in enumerate(rows, start=2):
            yield FileRow(
                line, {name: cell for name, cell in zip(names, cells, strict=False) if name}
            )
    finally:
        workbook.close()


class XlsError:
    """A cell an XLS holds as a spreadsheet error (#N/A, #REF!): no value to read."""


XLS_ERROR = XlsError()


def xls_rows(stream: IO[bytes]) -> Generator[list[Any], None, None]:
    """The rows of an XLS's first sheet, the header first, each cell in its own type (a date
    cell a datetime, a boolean, a number, text; ``XLS_ERROR`` for an error cell). Raises
    ImportFileError for a file that is not an XLS or has no rows. The caller checks the
    file's size first (``check_xls``): xlrd reads it whole."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=stream.read(), on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises many kinds for a file that is not XLS
        raise ImportFileError("not_xls", _("The file is not an XLS workbook.")) from exc
    try:
        if sheet.nrows == 0:
            raise ImportFileError("empty", _("The file is empty."))
        for index in range(sheet.nrows):
            yield [_xls_value(cell, book.datemode) for cell in sheet.row(index)]
    finally:
        book.release_resources()


def _xls_value(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return XLS_ERROR
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _read_xls(
    stream: IO[bytes], columns: Columns, limits: FileLimits, on_header: Header
) -> Iterator[FileRow]:
    rows = xls_rows(stream)
    try:
        header = next(rows)
        mapping = columns.read_header(["" if cell is XLS_ERROR else cell for cell in header])
        on_header(mapping)
        for line, cells in enumerate(rows, start=2):
            values: dict[str, Any] = {}
            problems: dict[str, Any] = {}
            for name, cell in zip(mapping.names, cells, strict=False):
                if not name:
                    continue
                if cell is XLS_ERROR:
                    problems[name] = _("The spreadsheet shows an error in this cell (#N/A, #REF!).")
                else:
                    values[name] = cell
            yield FileRow(line, values, problems)
    finally:
        rows.close()


def _read_jsonl(
    stream: IO[bytes], columns: Columns, limits: FileLimits, on_header: Header
) -> Iterator[FileRow]:
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
        unknown = [
            key for key in record if columns.column_for(key) is None and not columns.is_ignored(key)
        ]
        if unknown:
            yield FileRow(line, {}, {unknown[0]: columns.unknown_column(unknown[0])})
            continue
        yield FileRow(
            line,
            {
                column: value
                for key, value in record.items()
                if (column := columns.column_for(key)) is not None
            },
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
