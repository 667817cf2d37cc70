"""What reading an import file costs a worker: memory (RSS) and time, file by file.

    python -m tests.support.file_memory            # every file, each in a fresh process
    python -m tests.support.file_memory --keep DIR # keep the generated files in DIR

Each file is read in its own process the way ``POST /api/v1/patents/import/`` reads it
(the kit's ``read_rows`` under the API's limits, then every row parsed; no database), and
the process reports its resident memory before, at its peak, and after (with the rows
released), the time taken and what the import would answer. The files are those of
issue 16: a small XLSX that unpacks to about 300 MB, a 200 MB CSV, a sheet of a million
empty rows, a cell of 200,000 characters, and a legitimate 50,000-row file with
abstracts for comparison. docs/file-safety.md has the figures.

Run against another checkout (``PYTHONPATH=/path/to/it``) to compare; with code older than
``FileLimits`` the reading uses that code's own API limit (``IMPORT_MAX_ROWS``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

MB = 1 << 20


def memory_mb(field: str = "VmRSS") -> float:
    """The process's resident memory now (``VmRSS``) or at its peak (``VmHWM``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def patent_row(n: int, abstract: str = "") -> list[str]:
    return [
        f"2019{n:08d}",
        f"一种锂离子电池正极材料及其制备方法{n}",
        abstract,
        "甲大学",
        "2019-03-21",
    ]


HEADER = ["application_number", "title", "abstract", "applicants", "filing_date"]


def write_csv(path: Path, rows: int, abstract: str = "") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(patent_row(n, abstract))


def write_big_csv(path: Path, size: int) -> None:
    abstract = "本发明公开了一种锂离子电池正极材料及其制备方法，属于电池技术领域。" * 8
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        n = 0
        while handle.tell() < size:
            writer.writerow(patent_row(n, abstract))
            n += 1


OFFICE = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = b"http://schemas.openxmlformats.org/package/2006"
SPREADSHEET = b"application/vnd.openxmlformats-officedocument.spreadsheetml"


def part_type(name: bytes, kind: bytes) -> bytes:
    return b'<Override PartName="' + name + b'" ContentType="' + SPREADSHEET + kind + b'"/>'


def relation(number: bytes, kind: bytes, target: bytes) -> bytes:
    return (
        b'<Relationship Id="rId' + number + b'" Type="' + OFFICE + b"/" + kind
        + b'" Target="' + target + b'"/>'
    )  # fmt: skip


def workbook_parts(sheet: bytes, shared: bytes | None = None) -> dict[str, bytes]:
    """The parts of a minimal XLSX of one sheet (and shared strings)."""
    relations = relation(b"1", b"worksheet", b"worksheets/sheet1.xml")
    types = part_type(b"/xl/workbook.xml", b".sheet.main+xml")
    types += part_type(b"/xl/worksheets/sheet1.xml", b".worksheet+xml")
    if shared is not None:
        relations += relation(b"2", b"sharedStrings", b"sharedStrings.xml")
        types += part_type(b"/xl/sharedStrings.xml", b".sharedStrings+xml")
    head = b'<?xml version="1.0"?>'
    parts = {
        "[Content_Types].xml": head
        + b'<Types xmlns="' + PACKAGE + b'/content-types">'
        + b'<Default Extension="rels" '
        + b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + b'<Default Extension="xml" ContentType="application/xml"/>'
        + types
        + b"</Types>",
        "_rels/.rels": head
        + b'<Relationships xmlns="' + PACKAGE + b'/relationships">'
        + relation(b"1", b"officeDocument", b"xl/workbook.xml")
        + b"</Relationships>",
        "xl/workbook.xml": head
        + b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        + b'xmlns:r="' + OFFICE + b'">'
        + b'<sheets><sheet name="patents" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head
        + b'<Relationships xmlns="' + PACKAGE + b'/relationships">'
        + relations
        + b"</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
    }  # fmt: skip
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


def write_zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


SHEET_OPEN = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_CLOSE = b"</sheetData></worksheet>"


def header_row() -> bytes:
    cells = b"".join(
        b'<c t="inlineStr"><is><t>' + name.encode() + b"</t></is></c>" for name in HEADER
    )
    return b'<row r="1">' + cells + b"</row>"


def write_bomb(path: Path, unpacked: int) -> None:
    """About ``unpacked`` bytes of shared strings (what openpyxl keeps in memory even in
    read-only mode) and a sheet of rows that use them, packed a thousand times."""
    item = b"<si><t>\xe4\xb8\x93\xe5\x88\xa9</t></si>"  # 专利
    count = unpacked // len(item)
    shared = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + item * count
        + b"</sst>"
    )
    rows = b'<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>' * 100_000
    write_zip(path, workbook_parts(SHEET_OPEN + header_row() + rows + SHEET_CLOSE, shared))


def write_empty_rows(path: Path) -> None:
    """A header, one row, and a row at 1,048,576: the reader makes up every row between."""
    last = b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>'
    data = b'<row r="2"><c t="inlineStr"><is><t>201910209152</t></is></c></row>'
    write_zip(path, workbook_parts(SHEET_OPEN + header_row() + data + last + SHEET_CLOSE))


def write_long_cell(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(patent_row(1, "长" * 200_000))


FILES = {
    "xlsx_bomb": ("xlsx", lambda path: write_bomb(path, 300 * MB)),
    "csv_200mb": ("csv", lambda path: write_big_csv(path, 200 * MB)),
    "xlsx_million_empty_rows": ("xlsx", write_empty_rows),
    "csv_long_cell": ("csv", write_long_cell),
    "csv_50000_rows_abstracts": (
        "csv",
        lambda path: write_csv(path, 50_000, "本发明公开了一种锂离子电池正极材料。" * 16),
    ),
}


def measure(path: Path, file_format: str) -> dict[str, object]:
    """Read ``path`` as the API does, in this process; what it cost."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conversion_db.settings")
    import django

    django.setup()
    from django.conf import settings

    from conversion_db.tabular import files
    from conversion_db.tabular.report import ImportFileError
    from patents.imports.patents import PatentImport

    kind = PatentImport(actor=None, dry_run=True)
    kind_format = files.FileFormat(file_format)
    before = memory_mb()
    started = time.perf_counter()
    outcome = "read"
    with path.open("rb") as stream:
        upload = io.BufferedReader(stream)  # what an uploaded file gives
        try:
            if hasattr(files, "FileLimits"):
                from conversion_db.tabular.limits import FileLimits, check_size

                limits = FileLimits.for_uploads()
                check_size(upload, limits)  # what the API's 413 checks first
                rows = kind.parsed_rows(files.read_rows(upload, kind_format, kind.columns, limits))
            else:
                older: Any = kind.parsed_rows  # the older signature took the limit
                rows = older(
                    files.read_rows(upload, kind_format, kind.columns), settings.IMPORT_MAX_ROWS
                )
            read = invalid = 0
            for row in rows:  # one at a time, as the import's chunks take them
                read += 1
                invalid += bool(row.errors)
            outcome = f"{read} rows, {invalid} with errors"
        except ImportFileError as exc:
            outcome = f"refused: {exc.code}"
    seconds = time.perf_counter() - started
    import gc

    gc.collect()
    return {
        "rss_before_mb": round(before),
        "rss_peak_mb": round(memory_mb("VmHWM")),
        "rss_after_mb": round(memory_mb()),
        "seconds": round(seconds, 2),
        "outcome": outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Write the files here and keep them.")
    parser.add_argument("--only", help="Measure this file only (a name of FILES).")
    parser.add_argument("--measure", nargs=2, metavar=("PATH", "FORMAT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure(Path(arguments.measure[0]), arguments.measure[1])))
        return
    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="file-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, (file_format, write) in FILES.items():
        if arguments.only and name != arguments.only:
            continue
        path = folder / f"{name}.{file_format}"
        if not path.exists():
            write(path)
        run = subprocess.run(  # noqa: S603 - this interpreter, this module
            [
                sys.executable,
                "-m",
                "tests.support.file_memory",
                "--measure",
                str(path),
                file_format,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        result = (
            json.loads(run.stdout.strip().splitlines()[-1])
            if run.returncode == 0
            else {"error": run.stderr.strip().splitlines()[-1:]}
        )
        print(
            f"{name:28} {path.stat().st_size / MB:7.1f} MB  {json.dumps(result, ensure_ascii=False)}"
        )
        if not arguments.keep:
            path.unlink()


if __name__ == "__main__":
    main()
