"""Uploads for the import endpoints: rows (dicts) as a CSV, XLSX or JSON Lines file.

The columns are the union of the rows' keys, in first-seen order; ``name`` is the file name
the upload carries (the import reads the format from its extension and records it as the
rows' source).
"""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook


def columns_of(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def named(content: bytes, name: str) -> io.BytesIO:
    """``content`` as an upload called ``name``."""
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def csv_file(rows: list[dict], name: str = "rows.csv", encoding: str = "utf-8") -> io.BytesIO:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns_of(rows))
    writer.writeheader()
    writer.writerows(rows)
    return named(text.getvalue().encode(encoding), name)


def xlsx_file(rows: list[dict], name: str = "rows.xlsx") -> io.BytesIO:
    columns = columns_of(rows)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    upload = io.BytesIO()
    workbook.save(upload)
    return named(upload.getvalue(), name)


def jsonl_file(rows: list[dict], name: str = "rows.jsonl") -> io.BytesIO:
    content = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    return named(content, name)
