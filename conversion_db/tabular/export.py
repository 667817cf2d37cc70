"""Writing rows out: CSV (UTF-8 with a BOM, streamed line by line), XLSX and JSON Lines, in
the same columns the import reads, so an exported file imports again unchanged."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from conversion_db.tabular.cells import LIST_SEPARATORS
from conversion_db.tabular.files import FileFormat

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
    """CSV text line by line (with a BOM, so Excel reads the Chinese right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(list(columns))
    for row in rows:
        yield writer.writerow(row)


def jsonl_lines(rows: Iterable[list[str]], columns: Iterable[str]) -> Iterator[str]:
    """One JSON object a line, keyed by column."""
    names = list(columns)
    for row in rows:
        yield json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"


def xlsx_bytes(rows: Iterable[list[str]], columns: Iterable[str], sheet_name: str) -> bytes:
    """A workbook of one sheet (built whole: XLSX cannot be streamed)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lines(
    rows: Iterable[list[str]], columns: Iterable[str], file_format: FileFormat
) -> Iterator[str]:
    """The text of a CSV or JSON Lines file, line by line (for a streamed answer)."""
    if file_format == FileFormat.JSONL:
        return jsonl_lines(rows, columns)
    if file_format == FileFormat.CSV:
        return csv_lines(rows, columns)
    raise ValueError(f"{file_format} is not a text format")
