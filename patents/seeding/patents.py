"""Seed the database with the real Chinese patents in ``seeds/patents/`` (see seeds/README.md).

Three public datasets, merged by publication number:
- 7,770 titles with IPC subclasses (2021-2022, all fields);
- 57 G06F patents with abstracts (their CPC codes are kept at subclass level, which is
  IPC);
- 33 material-chemistry patents with applicants (mostly universities), inventors, dates
  and abstracts.

What the sources do not say is not invented: no filing date where none is given, and no
holder where none is named. A published application (kind A) is ``pending``; a granted
document (B, U) is ``in_force`` with that document as its grant number: the sources carry
no later legal events. Patents already in the database (same publication number) are
left alone, so running the seed twice gives the same state.
"""

from __future__ import annotations

import csv
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from patents.models import Patent
from patents.register import numbers
from patents.register.bulk import BulkPatent, patents_bulk_create

TITLES_SOURCE = "lxingy3/chinese-patent-ipc-classifier@42c34e8"
ABSTRACTS_SOURCE = "liaoleyuan/chinese-patent-cpc-multilabel-classification@755a6d8"
CNKI_SOURCE = "Zhang-NJ-Lab/zhiwang_zhuanli_nlp@9b7f0b8"


def _record(number: str, title: str, source: str) -> dict[str, Any]:
    publication = numbers.parse_publication_number(number)
    record: dict[str, Any] = {
        "publication_number": publication.canonical,
        "patent_type": publication.patent_type,
        "title": title.strip(),
        "legal_status": "in_force" if publication.is_grant else "pending",
        "source": source,
        "ipc_codes": [],
    }
    if publication.is_grant:
        record["grant_number"] = publication.canonical
    return record


def read_records(seeds_dir: Path) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    folder = seeds_dir / "patents"
    records: dict[str, dict[str, Any]] = {}
    applicants: dict[str, list[str]] = {}
    with (folder / "cn_patents_titles_ipc_subclasses.dev.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        for row in csv.DictReader(handle):
            record = _record(row["publication_number"], row["title_zh"], TITLES_SOURCE)
            record["ipc_codes"] = [
                code for code in row["ipc_subclasses"].split("|") if code.strip()
            ]
            records[record["publication_number"]] = record
    with (folder / "cn_g06f_title_abstract_cpc.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            record = records.setdefault(
                row["publication_number"],
                _record(row["publication_number"], row["title_zh"], ABSTRACTS_SOURCE),
            )
            record["abstract"] = row["abstract_zh"].strip()
            subclasses = [code[:4] for code in row.get("cpc_codes", []) if code[:1] != "Y"]
            record["ipc_codes"] = list(dict.fromkeys([*record["ipc_codes"], *subclasses]))
    with (folder / "cnki_material_chemistry_2018.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            number = row["cnki_filename"].strip()
            record = records.setdefault(number, _record(number, row["title_zh"], CNKI_SOURCE))
            record["abstract"] = row["abstract_zh"].strip()
            record["inventors"] = [
                name.strip() for name in row["inventors"].split(";") if name.strip()
            ]
            if row["filing_date"]:
                record["filing_date"] = date.fromisoformat(row["filing_date"])
            if row["publication_date"]:
                record["publication_date"] = date.fromisoformat(row["publication_date"])
            names = [name.strip() for name in row["applicant"].split(";") if name.strip()]
            if names:  # co-applicants are separated by ";"
                applicants[record["publication_number"]] = names
    return records, applicants


def load_seed_patents(seeds_dir: Path) -> tuple[int, int]:
    """Create the seed patents that are not in the database yet; return (created, already there)."""
    records, applicants = read_records(seeds_dir)
    existing = set(
        Patent.all_objects.filter(jurisdiction="CN", publication_number__in=list(records))
        .exclude(publication_number="")  # the unique index's condition (see imports.run_chunk)
        .values_list("publication_number", flat=True)
    )
    rows = [
        BulkPatent(
            values=record,
            applicants=applicants.get(number, []),
            current_holders=applicants.get(number, []),
        )
        for number, record in sorted(records.items())
        if number not in existing
    ]
    if rows:
        patents_bulk_create(actor=None, rows=rows, batch=uuid.uuid4(), source="seed")
    return len(rows), len(existing)
