"""Seed the database with the real Chinese patents in ``seeds/patents/`` (see seeds/README.md).

Six public datasets, merged by publication number (the first source of a number wins;
later ones only add what it lacks):
- 7,770 titles with IPC subclasses (2021-2022, all fields; no holder, no date);
- 57 G06F patents with abstracts (their CPC codes are kept at subclass level, which is
  IPC);
- 33 material-chemistry patents from CNKI with applicants, inventors, dates, abstracts;
- 16,212 CNKI records with applicants, inventors, filing and publication dates (an
  application publication A and the grant B of the same application, recognised by the
  same title, applicants and filing date, become one patent);
- 10 full records (a 61-column export) with applicant address, legal status, IPC, abstract
  and current holder;
- 12 ecology patents with applicant, dates and the applicant's city as their source gives it.

What the sources do not say is not invented: no filing date where none is given, no holder
where none is named, no region where neither an address, a source nor a registered
enterprise name states one. Where the source gives no legal status, it follows from the
documents: an application publication (A) is ``pending``; a granted document (B, U, S) is
``in_force``; and any patent whose statutory term, counted from its filing date, has ended
is ``expired``. Patents already in the database (same publication number) are left alone;
holders the seed created get their kind and region repaired when the rules give another
one; so running the seed twice writes nothing the second time.
"""

from __future__ import annotations

import csv
import gzip
import json
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from patents.models import Holder, Patent, Region
from patents.reference.regions import RegionGazetteer, RegionRow
from patents.register import numbers
from patents.register.bulk import BulkPatent, patents_bulk_create
from patents.register.services import holder_kind_from_name, holder_update
from patents.register.terms import termination_date

TITLES_SOURCE = "lxingy3/chinese-patent-ipc-classifier@42c34e8"
ABSTRACTS_SOURCE = "liaoleyuan/chinese-patent-cpc-multilabel-classification@755a6d8"
CNKI_SOURCE = "Zhang-NJ-Lab/zhiwang_zhuanli_nlp@9b7f0b8"
CNKI_APPLICANTS_SOURCE = "Hank0438/CNKI-download@6c1460f"
FULL_RECORDS_SOURCE = "Pinellia-0/PatentSemantix@4e22718"
ECO_SOURCE = "wuxinsci-bit/shengtaianquanzhuanlidaohang@bde4e63"

_STATUS_WORDS = {"有权": "in_force", "审中": "pending", "授权": "in_force"}


@dataclass
class HolderFacts:
    """What the sources say about a holder besides its name."""

    address: str = ""
    region: str = ""  # a region code a source states for it


@dataclass
class SeedRecords:
    patents: dict[str, dict[str, Any]] = field(default_factory=dict)
    applicants: dict[str, list[str]] = field(default_factory=dict)
    current_holders: dict[str, list[str]] = field(default_factory=dict)
    holders: dict[str, HolderFacts] = field(default_factory=lambda: defaultdict(HolderFacts))
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class SeedPatentsReport:
    created: int = 0
    existing: int = 0
    holders_created: int = 0
    holders_repaired: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        text = (
            f"{self.created} created, {self.existing} already there; holders: "
            f"{self.holders_created} created, {self.holders_repaired} repaired"
        )
        if self.skipped:
            text += " (source rows not loaded: " + ", ".join(
                f"{count} {reason}" for reason, count in sorted(self.skipped.items())
            )
            text += ")"
        return text


def _names(text: str) -> list[str]:
    """Co-applicants, separated by ";" in every source, in their order, without repeats."""
    return list(dict.fromkeys(" ".join(n.split()) for n in text.split(";") if n.strip()))


def _date(text: str) -> date | None:
    text = (text or "").strip()
    if not text or text == "0":  # the full records write 0 for "none"
        return None
    if len(text) == 8 and text.isdigit():
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    return date.fromisoformat(text[:10])


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


def _add(
    seed: SeedRecords,
    record: dict[str, Any],
    applicants: list[str] | None = None,
    current: list[str] | None = None,
) -> None:
    """Merge one source's record: the first source of a number wins, later ones fill gaps."""
    number = record["publication_number"]
    existing = seed.patents.get(number)
    if existing is None:
        seed.patents[number] = record
    else:
        for key, value in record.items():
            if value and not existing.get(key):
                existing[key] = value
    if applicants and number not in seed.applicants:
        seed.applicants[number] = applicants
    if current and number not in seed.current_holders:
        seed.current_holders[number] = current


def _read_titles(folder: Path, seed: SeedRecords) -> None:
    with (folder / "cn_patents_titles_ipc_subclasses.dev.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        for row in csv.DictReader(handle):
            record = _record(row["publication_number"], row["title_zh"], TITLES_SOURCE)
            record["ipc_codes"] = [
                code for code in row["ipc_subclasses"].split("|") if code.strip()
            ]
            _add(seed, record)


def _read_g06f(folder: Path, seed: SeedRecords) -> None:
    with (folder / "cn_g06f_title_abstract_cpc.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            record = seed.patents.get(row["publication_number"]) or _record(
                row["publication_number"], row["title_zh"], ABSTRACTS_SOURCE
            )
            record["abstract"] = row["abstract_zh"].strip()
            subclasses = [code[:4] for code in row.get("cpc_codes", []) if code[:1] != "Y"]
            record["ipc_codes"] = list(dict.fromkeys([*record["ipc_codes"], *subclasses]))
            _add(seed, record)


def _read_cnki_chemistry(folder: Path, seed: SeedRecords) -> None:
    with (folder / "cnki_material_chemistry_2018.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record = _record(row["cnki_filename"].strip(), row["title_zh"], CNKI_SOURCE)
            record["abstract"] = row["abstract_zh"].strip()
            record["inventors"] = _names(row["inventors"])
            record["filing_date"] = _date(row["filing_date"])
            record["publication_date"] = _date(row["publication_date"])
            names = _names(row["applicant"])
            _add(seed, record, names, names)


def _read_cnki_applicants(folder: Path, seed: SeedRecords) -> None:
    """16,212 CNKI records; an A and a B of one application become one patent."""
    groups: dict[tuple[str, str, str], list[tuple[numbers.PublicationNumber, dict[str, str]]]] = (
        defaultdict(list)
    )
    with gzip.open(
        folder / "cnki_patents_with_applicants.csv.gz", "rt", encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            try:
                publication = numbers.parse_publication_number(row["publication_number"])
            except numbers.PatentNumberError:
                seed.skipped["unreadable publication numbers"] += 1
                continue
            key = (row["title_zh"].strip(), row["applicants"], row["application_date"])
            groups[key].append((publication, row))
    for documents in groups.values():
        # Only an invention's A and B: an A and a U filed the same day are two applications.
        applications = [d for d in documents if not d[0].is_grant]
        grants = [d for d in documents if d[0].is_grant and d[0].patent_type == "invention"]
        pairs: list[tuple[Any, Any]]
        if len(applications) == 1 and len(grants) == 1:
            pairs = [(applications[0], grants[0])]
        else:
            pairs = [(d, None) for d in documents]
        for (publication, row), grant in pairs:
            record = _record(publication.canonical, row["title_zh"], CNKI_APPLICANTS_SOURCE)
            record["inventors"] = _names(row["inventors"])
            record["filing_date"] = _date(row["application_date"])
            record["publication_date"] = _date(row["publication_date"])
            if row["application_number"]:
                record["application_number"] = row["application_number"]
            if publication.is_grant:  # U, S, B: the publication is the grant announcement
                record["grant_date"] = record["publication_date"]
            if grant is not None:
                record["grant_number"] = grant[0].canonical
                record["grant_date"] = _date(grant[1]["publication_date"])
                record["legal_status"] = "in_force"
            names = _names(row["applicants"])
            _add(seed, record, names, names)


def _read_full_records(folder: Path, seed: SeedRecords) -> None:
    with (folder / "kejichengguo_cases.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            record = _record(row["公开号"], row["专利名称"], FULL_RECORDS_SOURCE)
            if row["授权公告号"].strip():
                record["grant_number"] = row["授权公告号"].strip()
            record["application_number"] = row["申请号"].strip()
            record["filing_date"] = _date(row["申请日"])
            record["publication_date"] = _date(row["公开日"])
            record["grant_date"] = _date(row["授权公告日"])
            record["abstract"] = row["申请摘要"].strip()
            record["inventors"] = _names(row["发明人"])
            record["ipc_codes"] = _names(row["分类号"])
            status = row["法律状态"].split("-")[0]
            record["legal_status"] = _STATUS_WORDS.get(status, record["legal_status"])
            applicants = _names(row["申请人"])
            current = _names(row["当前权利人"]) or applicants
            for name in applicants:
                seed.holders[name].address = seed.holders[name].address or row["申请人地址"].strip()
            _add(seed, record, applicants, current)


def _read_eco(folder: Path, seed: SeedRecords) -> None:
    with (folder / "eco_patents_seed_google.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record = _record(row["publicationNumber"], row["title"], ECO_SOURCE)
            record["filing_date"] = _date(row["filingDate"])
            record["publication_date"] = _date(row["publicationDate"])
            record["grant_date"] = _date(row["grantDate"])
            record["legal_status"] = _STATUS_WORDS.get(row["legalStatus"], record["legal_status"])
            names = _names(row["applicant"].replace("（", "(").replace("）", ")"))
            for name in names:
                seed.holders[name].region = seed.holders[name].region or row["cityAdcode"]
            _add(seed, record, names, names)


def _apply_term(seed: SeedRecords, today: date) -> None:
    """A patent whose statutory term from its filing date has ended is ``expired``."""
    for record in seed.patents.values():
        filing = record.get("filing_date")
        if filing is None or record["legal_status"] not in ("pending", "in_force"):
            continue
        end = termination_date(record["patent_type"], filing)
        if end < today:
            record["legal_status"] = "expired"
            record["legal_status_date"] = end


def read_records(seeds_dir: Path, *, today: date | None = None) -> SeedRecords:
    folder = seeds_dir / "patents"
    seed = SeedRecords()
    _read_titles(folder, seed)
    _read_g06f(folder, seed)
    _read_cnki_chemistry(folder, seed)
    _read_cnki_applicants(folder, seed)
    _read_full_records(folder, seed)
    _read_eco(folder, seed)
    for number in seed.applicants:
        for name in [*seed.applicants[number], *seed.current_holders.get(number, [])]:
            seed.holders.setdefault(name, HolderFacts())
    _apply_term(seed, today or timezone.localdate())
    return seed


def gazetteer() -> RegionGazetteer:
    return RegionGazetteer(
        [
            RegionRow(code, name, level, parent, current)
            for code, name, level, parent, current in Region.objects.values_list(
                "code", "name", "level", "parent_id", "is_current"
            )
        ]
    )


def holder_region(name: str, facts: HolderFacts, places: RegionGazetteer) -> str | None:
    """Where a holder is: from its address; else the region a source states; else the
    division a registered enterprise name states; else unknown."""
    if facts.address:
        found = places.from_address(facts.address)
        if found:
            return found
    if facts.region and facts.region in places.rows:
        return facts.region
    if holder_kind_from_name(name) == Holder.Kind.ENTERPRISE:
        return places.from_enterprise_name(name)
    return None


def _seed_holders(seed: SeedRecords, batch: uuid.UUID, report: SeedPatentsReport) -> None:
    """Create the holders the sources name; repair those created by a seed (unverified,
    never edited by a person) whose kind or region the rules now give differently."""
    places = gazetteer()
    wanted = {
        name: (holder_kind_from_name(name), holder_region(name, facts, places), facts.address)
        for name, facts in seed.holders.items()
    }
    existing = {h.name: h for h in Holder.objects.filter(name__in=list(wanted)).order_by("-id")}
    missing = [
        Holder(name=name, kind=kind, region_id=region, address=address[:300])
        for name, (kind, region, address) in sorted(wanted.items())
        if name not in existing
    ]
    bulk_create_with_history(
        missing, Holder, batch_size=1000, custom_historical_attrs={"import_batch": batch}
    )
    report.holders_created = len(missing)
    for name, holder in existing.items():
        kind, region, address = wanted[name]
        if holder.updated_by_id is not None:
            continue  # a person edited it: an operator's or a member's word stands
        changes: dict[str, Any] = {}
        if holder.kind != kind:
            changes["kind"] = kind
        if region and holder.region_id != region:
            changes["region"] = region
        if address and not holder.address:
            changes["address"] = address[:300]
        if changes:
            holder_update(actor=None, holder=holder, data=changes, expected_version=None)
            report.holders_repaired += 1


@transaction.atomic
def load_seed_patents(seeds_dir: Path, *, attributed_only: bool = False) -> SeedPatentsReport:
    """Create the seed holders and patents that are not in the database yet.

    ``attributed_only``: only the patents whose applicant a source names (leaves out the
    7,827 title and abstract records that name no holder)."""
    seed = read_records(seeds_dir)
    report = SeedPatentsReport(skipped=seed.skipped)
    batch = uuid.uuid4()
    _seed_holders(seed, batch, report)
    existing = set(
        Patent.all_objects.filter(jurisdiction="CN", publication_number__in=list(seed.patents))
        .exclude(publication_number="")  # the unique index's condition (see imports.run_chunk)
        .values_list("publication_number", flat=True)
    )
    rows = [
        BulkPatent(
            values=record,
            applicants=seed.applicants.get(number, []),
            current_holders=seed.current_holders.get(number, []),
        )
        for number, record in sorted(seed.patents.items())
        if number not in existing and (number in seed.applicants or not attributed_only)
    ]
    if rows:
        patents_bulk_create(actor=None, rows=rows, batch=batch, source="seed")
    report.created, report.existing = len(rows), len(existing)
    return report


def seed_coverage() -> list[tuple[str, int, int, int, int, int]]:
    """Per source of the patents in the database: (source, patents, with a current holder,
    with a filing date, with a legal status the source states or its documents give, with
    a region)."""
    from django.db.models import Count, Q

    rows = (
        Patent.objects.values("source")
        .annotate(
            patents=Count("id"),
            holder=Count("id", filter=Q(holder_kinds__len__gt=0)),
            filing=Count("id", filter=Q(filing_date__isnull=False)),
            status=Count("id", filter=~Q(legal_status="")),
            region=Count("id", filter=Q(region__isnull=False)),
        )
        .order_by("-patents", "source")
    )
    return [
        (r["source"], r["patents"], r["holder"], r["filing"], r["status"], r["region"])
        for r in rows
    ]
