"""Writing rows out: CSV (UTF-8 with a BOM, streamed line by line), XLSX and JSON Lines, in
the same columns the import reads, so an exported file imports again unchanged.

Spreadsheet files are safe to open: every CSV and XLSX cell that a spreadsheet would run as
a formula is neutralised (``formulas``; the import restores it), and XLSX cells are
written as text, never as formulas, less the control characters XLSX cannot hold (they
stay in CSV and JSON Lines). ``write_file`` writes any format to a binary file, for a
response or a background job; ``lines`` gives CSV and JSON Lines as text to stream.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from conversion_db.tabular.cells import LIST_SEPARATORS
from conversion_db.tabular.files import FileFormat
from conversion_db.tabular.formulas import neutralise

EXPORT_SEPARATOR = LIST_SEPARATORS[0]
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.JSONL: "application/x-ndjson; charset=utf-8",
}


def cell(value: Any) -> str:
    """A value as the import reads it back: lists joined by ``|``, ``true``/``false``,
    ISO dates, nothing for None."""
    if isinstance(value, list):
        return EXPORT_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]], columns: Iterable[str]) -> Iterator[str]:
    """CSV text line by line (with a BOM, so Excel reads the Chinese right), every cell
    neutralised against formula injection."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(list(columns))
    for row in rows:
        yield writer.writerow([neutralise(value) for value in row])


def jsonl_lines(rows: Iterable[list[str]], columns: Iterable[str]) -> Iterator[str]:
    """One JSON object a line, keyed by column."""
    names = list(columns)
    for row in rows:
        yield json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"


def write_xlsx(
    target: IO[bytes], rows: Iterable[list[str]], columns: Iterable[str], sheet_name: str
) -> int:
    """A workbook of one sheet written to ``target``: rows go to a temporary file as they
    come (openpyxl's write-only mode), then into the zip. Every cell is text, neutralised.
    The number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))
        cell.data_type = "s"  # text, even when it looks like a number or a formula
        return cell

    sheet.append([text_cell(name) for name in columns])
    count = 0
    for row in rows:
        sheet.append([text_cell(value) for value in row])
        count += 1
    workbook.save(target)
    return count


def xlsx_bytes(rows: Iterable[list[str]], columns: Iterable[str], sheet_name: str) -> bytes:
    """The workbook ``write_xlsx`` writes, as bytes."""
    buffer = io.BytesIO()
    write_xlsx(buffer, rows, columns, sheet_name)
    return buffer.getvalue()


def write_file(
    target: IO[bytes],
    rows: Iterable[list[str]],
    columns: Iterable[str],
    file_format: FileFormat,
    sheet_name: str,
) -> int:
    """``rows`` in ``file_format`` written to the binary file ``target`` (CSV in UTF-8 with a
    BOM, JSON Lines in UTF-8); the number of rows written."""
    if file_format == FileFormat.XLSX:
        return write_xlsx(target, rows, columns, sheet_name)
    count = -1 if file_format == FileFormat.CSV else 0  # the CSV header is a line too
    for line in lines(rows, columns, file_format):
        target.write(line.encode("utf-8"))
        count += 1
    return count


def lines(
    rows: Iterable[list[str]], columns: Iterable[str], file_format: FileFormat
) -> Iterator[str]:
    """The text of a CSV or JSON Lines file, line by line (for a streamed answer)."""
    if file_format == FileFormat.JSONL:
        return jsonl_lines(rows, columns)
    if file_format == FileFormat.CSV:
        return csv_lines(rows, columns)
    raise ValueError(f"{file_format} is not a text format")
