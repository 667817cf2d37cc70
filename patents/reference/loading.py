"""Load the reference schemes from ``seeds/``: IPC, WIPO technology fields, regions.

Each loader reads its files, builds the complete target state in memory and hands it to
``sync_table`` (one transaction: new rows inserted, changed rows updated, rows the files
no longer contain removed). Running a loader twice leaves the same state as running it
once, and the second run writes nothing.

IPC: Chinese titles (2026.01) with English titles where the English files have them;
the 13 subclasses missing from the Chinese file come from the English one. Subgroup
parents follow the English dot depth where known, else the main group. Rows the Chinese
parser truncated (a subgroup's last digit pushed into the title) are repaired; see
``seeds/README.md`` for each known gap.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from conversion_db.bulk import SyncResult, sync_table
from patents.models import IpcClass, Region, TechField
from patents.reference.ipc import IpcSymbolError, parse_ipc

_EN_VERSION = re.compile(r"\s*\[[^\]]*\]\s*$")
_TRUNCATED = re.compile(r"^(\d)(?:\s+(.*))?$", re.S)
_ONLY_DOTS = re.compile(r"^[.\s·．]*$")


@dataclass
class LoadReport:
    name: str
    rows: int = 0
    result: SyncResult | None = None
    repaired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.name}: {self.rows} rows ({self.result})"
        if (
            self.repaired
            and self.result is not None
            and (self.result.created or self.result.updated)
        ):
            # Truncated source codes read correctly: worth saying when rows were written.
            text += f", {len(self.repaired)} truncated source codes read as their full codes"
        if self.skipped:
            text += f", {len(self.skipped)} skipped ({', '.join(self.skipped[:5])}…)"
        return text


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


# --- Technology fields ------------------------------------------------------------------
def load_tech_fields(seeds_dir: Path) -> LoadReport:
    columns = ["number", "sector_en", "sector_zh", "name_en", "name_zh"]
    rows = [
        (int(row["number"]), *(row[column] for column in columns[1:]))
        for row in _read_csv(seeds_dir / "ipc" / "tech_fields.csv")
    ]
    report = LoadReport("technology fields", rows=len(rows))
    report.result = sync_table(TechField, columns, rows)
    return report


def _tech_field_rules(seeds_dir: Path) -> dict[str, int]:
    """Concordance patterns as key prefixes: ``H04N`` or ``H04N0021`` -> field number."""
    rules: dict[str, int] = {}
    for row in _read_csv(seeds_dir / "ipc" / "ipc_technology_concordance.csv"):
        pattern = row["IPC_code"].rstrip("%").strip()
        number = int(row["Field_number"])
        if "/" in pattern:
            subclass, main = pattern[:4], pattern[4:].strip().rstrip("/")
            rules[f"{subclass}{int(main):04d}"] = number
        else:
            rules[pattern] = number
    return rules


# --- IPC ----------------------------------------------------------------------------------------
@dataclass
class _Entry:
    key: str
    symbol: str
    level: str
    title_zh: str = ""
    title_en: str = ""
    indent: int | None = None
    parent: str | None = None


def _ipc_entries(seeds_dir: Path, report: LoadReport) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}

    def add(code: str, title_zh: str = "", title_en: str = "", indent: int | None = None) -> None:
        try:
            symbol = parse_ipc(code)
        except IpcSymbolError:
            report.skipped.append(code)
            return
        entry = entries.get(symbol.key)
        if entry is None:
            entry = entries[symbol.key] = _Entry(symbol.key, symbol.symbol, symbol.level)
            entry.parent = symbol.parent_key
        entry.title_zh = entry.title_zh or title_zh
        entry.title_en = entry.title_en or title_en
        if indent is not None:
            entry.indent = indent

    for row in _read_csv(seeds_dir / "ipc" / "ipc_zh_2026_01.csv"):
        code, title = row["code"].strip(), row["title_zh_clean"].strip()
        truncated = _TRUNCATED.match(title)
        if row["level"] == "subgroup" and truncated:
            code, title = code + truncated[1], (truncated[2] or "").strip()
            report.repaired.append(code)
        if _ONLY_DOTS.match(title):
            title = ""
        add(code, title_zh=title)
    for row in _read_csv(seeds_dir / "ipc" / "ipc_en_sections_classes_subclasses.csv"):
        add(row["code"].strip(), title_en=_EN_VERSION.sub("", row["title_en"]).strip())
    for row in _read_csv(seeds_dir / "ipc" / "ipc_en_groups_partial.csv"):
        add(
            row["code"].strip(),
            title_en=_EN_VERSION.sub("", row["title_en"]).strip(),
            indent=int(row["indent_dots"]),
        )
    return entries


def _link_groups(entries: dict[str, _Entry]) -> None:
    """Parents of groups from the dot depth: nearest preceding group one dot shallower."""
    by_main: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries.values():
        if entry.level in ("main_group", "subgroup"):
            by_main[entry.key[:8]].append(entry)
    for main_prefix, groups in by_main.items():
        main_key = main_prefix + "000000"
        subclass = main_prefix[:4]
        stack: list[str] = []
        for entry in sorted(groups, key=lambda e: e.key):
            if entry.level == "main_group":
                entry.indent, entry.parent, stack = 0, subclass, [entry.key]
                continue
            depth = entry.indent if entry.indent is not None else 1
            entry.indent = depth
            if not stack:  # a subgroup whose main group is missing from the files
                stack = [main_key] if main_key in entries else []
            chain = stack[:depth]
            entry.parent = chain[-1] if chain else (subclass if subclass in entries else None)
            stack = [*chain, entry.key]
    for entry in entries.values():
        if entry.parent is not None and entry.parent not in entries:
            entry.parent = None


def _ancestors(entries: dict[str, _Entry], entry: _Entry) -> list[str]:
    chain: list[str] = []
    parent = entry.parent
    while parent is not None:
        chain.append(parent)
        parent = entries[parent].parent
    return list(reversed(chain))


def _tech_field_for(rules: dict[str, int], key: str) -> int | None:
    if len(key) < 4:
        return None
    return rules.get(key[:8]) or rules.get(key[:4])


def load_ipc_scheme(seeds_dir: Path) -> LoadReport:
    report = LoadReport("IPC scheme")
    entries = _ipc_entries(seeds_dir, report)
    _link_groups(entries)
    rules = _tech_field_rules(seeds_dir)
    known_fields = set(TechField.objects.values_list("number", flat=True))
    columns = [
        "key", "symbol", "level", "parent_id", "indent", "ancestors", "title_zh", "title_en",
        "tech_field_id",
    ]  # fmt: skip
    rows = []
    for entry in sorted(entries.values(), key=lambda e: e.key):
        field_number = _tech_field_for(rules, entry.key)
        rows.append(
            (
                entry.key,
                entry.symbol,
                entry.level,
                entry.parent,
                entry.indent,
                _ancestors(entries, entry),
                entry.title_zh,
                entry.title_en,
                field_number if field_number in known_fields else None,
            )
        )
    report.rows = len(rows)
    report.result = sync_table(IpcClass, columns, rows)
    return report


# --- Regions ---------------------------------------------------------------------------------------
def _decimal(value: str) -> Decimal | None:
    return Decimal(value) if value.strip() else None


def load_regions(seeds_dir: Path) -> LoadReport:
    columns = [
        "code",
        "name",
        "name_en",
        "level",
        "parent_id",
        "is_current",
        "longitude",
        "latitude",
    ]
    rows = [
        (
            row["code"],
            row["name"],
            row["name_en"],
            row["level"],
            row["parent_code"] or None,
            row["is_current"] == "true",
            _decimal(row["longitude"]),
            _decimal(row["latitude"]),
        )
        for row in _read_csv(seeds_dir / "regions" / "regions.csv")
    ]
    report = LoadReport("regions", rows=len(rows))
    report.result = sync_table(Region, columns, rows)
    return report


def load_reference_data(seeds_dir: Path) -> list[LoadReport]:
    """All reference schemes, in dependency order (fields before the IPC that cites them)."""
    return [load_tech_fields(seeds_dir), load_ipc_scheme(seeds_dir), load_regions(seeds_dir)]
