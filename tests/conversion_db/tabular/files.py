"""Files for the file-safety tests: uploads in each format, built in memory, and the calls
that send them through the API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from openpyxl import Workbook


def named(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def csv_text(rows: list[dict[str, Any]]) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()


def csv_file(rows: list[dict[str, Any]], encoding: str = "utf-8") -> io.BytesIO:
    return named(csv_text(rows).encode(encoding), "file.csv")


def xlsx_file(rows: list[dict[str, Any]]) -> io.BytesIO:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    upload = io.BytesIO()
    workbook.save(upload)
    return named(upload.getvalue(), "file.xlsx")


def jsonl_file(rows: list[dict[str, Any]]) -> io.BytesIO:
    lines = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return named(lines.encode(), "file.jsonl")


def post_file(client: Any, kind: str, upload: io.BytesIO, **fields: Any) -> Any:
    return client.post(f"/api/v1/{kind}/import/", {"file": upload, **fields}, format="multipart")


def export(client: Any, kind: str, **params: Any) -> bytes:
    response = client.get(f"/api/v1/{kind}/export/", params)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def errors_of(response: Any) -> set[tuple[int | None, str | None, str]]:
    return {(e["row"], e["column"], e["code"]) for e in response.json()["errors"]}
