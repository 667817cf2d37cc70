"""Bulk import and export of patents: CSV, XLSX and JSON Lines in one set of columns.

One service for every path that imports (``POST /api/v1/patents/import/``,
``manage.py import_patents`` and the admin), so they share every rule:

- The columns are ``COLUMNS``; an unknown column is an error (a typo would otherwise drop
  data silently). A column absent from the file leaves that field alone on existing
  patents; a present column with an empty cell clears the field, except the identity and
  state columns (numbers, ``patent_type``, ``legal_status``) and the holder columns, where
  an empty cell keeps what the patent has.
- Upsert on the natural key: the application number, or the publication number for a
  record without one. A row matching a soft-deleted patent brings it back.
- All or nothing: the whole file runs in one transaction; if any row is invalid, every
  row is still checked, every error is reported by row, column and message, and nothing
  is written. A dry run checks and counts the same way and writes nothing.
- Every write carries the import batch id (on the patent and in every history row).
- Holder names that match no holder create unverified holders. An import for a holder
  (its members', or ``--holder``) puts the patents under that holder: it is the current
  holder when the row names none, must be among them when the row names some, and
  existing patents of other holders are refused.
- Exports write the same columns, so an exported file imports again unchanged.

Rows are read and written in chunks, so memory stays flat whatever the file's size. The
reading half (``Layout``, ``read_rows``, the cell readers ``cell_*``, ``ImportReport``) and
the writers (``csv_lines``, ``xlsx_bytes``) take their columns as arguments, so the
importers of offers, licences and pledges (``patents.imports.records``) share them.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import itertools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from conversion_db import bulk
from conversion_db.services import Actor
from patents.models import Holder, Holding, LegalStatus, Patent, PatentType
from patents.register import numbers, services
from patents.register.bulk import BulkPatent, holders_by_name, patents_bulk_insert_cleaned
from patents.register.services import HoldingInput, PatentInput

COLUMNS = (
    "application_number", "publication_number", "grant_number", "patent_type", "title", "title_en",
    "abstract", "abstract_en", "keywords", "ipc_codes", "applicants", "current_holders", "inventors",
    "filing_date", "publication_date", "grant_date", "legal_status", "pct_application_number",
    "wo_publication_number", "has_foreign_grant",
)  # fmt: skip
LIST_COLUMNS = frozenset({"keywords", "ipc_codes", "applicants", "current_holders", "inventors"})
DATE_COLUMNS = frozenset({"filing_date", "publication_date", "grant_date"})
HOLDER_COLUMNS = frozenset({"applicants", "current_holders"})
# An empty cell in these keeps the patent's value (a new patent: derived, or the default).
KEPT_WHEN_EMPTY = frozenset(
    {"application_number", "publication_number", "grant_number", "patent_type", "legal_status"}
)
LIST_SEPARATORS = ("|", ";", "；", "｜")
EXPORT_SEPARATOR = "|"
MAX_REPORTED_ERRORS = 1000
CHUNK_SIZE = 2000
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "是", "有"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "否", "无", ""})


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header)."""

    def __init__(self, code: str, message: Any, column: str | None = None) -> None:
        super().__init__(str(message))
        self.code, self.message, self.column = code, message, column


@dataclass
class RowError:
    row: int | None  # the line in the file (a CSV/XLSX header is row 1); None: the whole file
    column: str | None
    code: str
    message: str


@dataclass
class ImportReport:
    batch: uuid.UUID
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    holders_created: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def add_error(self, row: int | None, column: str | None, code: str, message: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, code, str(message)))


# --- Reading files --------------------------------------------------------------------------
def format_for(filename: str, declared: str | None = None) -> FileFormat:
    """The file's format: declared, or from the name's extension."""
    if declared:
        try:
            return FileFormat(declared.lower())
        except ValueError:
            pass
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    aliases = {"csv": "csv", "txt": "csv", "xlsx": "xlsx", "jsonl": "jsonl", "ndjson": "jsonl"}
    if suffix in aliases:
        return FileFormat(aliases[suffix])
    raise ImportFileError(
        "unknown_format",
        _("Send a .csv, .xlsx or .jsonl file (or name the format)."),
    )


@dataclass(frozen=True)
class Layout:
    """The columns a kind of file accepts, and which of them the header must include (at
    least one of ``one_of``; ``one_of_message`` says so otherwise)."""

    columns: tuple[str, ...]
    one_of: frozenset[str] = frozenset()
    one_of_message: Any = ""


PATENT_LAYOUT = Layout(
    COLUMNS,
    one_of=frozenset({"application_number", "publication_number"}),
    one_of_message=_("The file needs an application_number or a publication_number column."),
)


def _unknown_column(column: str, layout: Layout) -> Any:
    return _("Unknown column “%(column)s”; the columns are: %(columns)s.") % {
        "column": column,
        "columns": ", ".join(layout.columns),
    }


def check_header(header: list[str], layout: Layout) -> list[str]:
    """The header's column names, normalised; raises ImportFileError when it is not valid."""
    names = [str(name or "").strip().lstrip("\ufeff").lower() for name in header]
    unknown = [name for name in names if name and name not in layout.columns]
    if unknown:
        raise ImportFileError(
            "unknown_column", _unknown_column(unknown[0], layout), column=unknown[0]
        )
    duplicated = [name for name in names if name and names.count(name) > 1]
    if duplicated:
        raise ImportFileError(
            "duplicate_column",
            _("The column “%(column)s” appears twice.") % {"column": duplicated[0]},
            column=duplicated[0],
        )
    if layout.one_of and not layout.one_of & set(names):
        raise ImportFileError("number_column_required", layout.one_of_message)
    return names


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("encoding", _("The file is neither UTF-8 nor GB18030 text."))


def _read_csv(stream: IO[bytes], layout: Layout) -> Iterator[tuple[int, dict[str, Any]]]:
    text = _decode(stream.read())
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ImportFileError("empty", _("The file is empty."))
    names = check_header(header, layout)
    for line, cells in enumerate(reader, start=2):
        yield line, {name: cell for name, cell in zip(names, cells, strict=False) if name}


def _read_xlsx(stream: IO[bytes], layout: Layout) -> Iterator[tuple[int, dict[str, Any]]]:
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
        names = check_header([str(cell) if cell is not None else "" for cell in header], layout)
        for line, cells in enumerate(rows, start=2):
            yield line, {name: cell for name, cell in zip(names, cells, strict=False) if name}
    finally:
        workbook.close()


def _read_jsonl(stream: IO[bytes], layout: Layout) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, raw in enumerate(_decode(stream.read()).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            record = None
        if not isinstance(record, dict):
            yield line, {"__error__": ("", _("This line is not a JSON object."))}
            continue
        unknown = [key for key in record if key not in layout.columns]
        if unknown:
            yield line, {"__error__": (unknown[0], _unknown_column(unknown[0], layout))}
            continue
        yield line, record


CELL_ERRORS = "__cell_errors__"


def read_rows(
    stream: IO[bytes], file_format: FileFormat, layout: Layout | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, {column: raw value}) for each row of a file in ``layout``'s columns (by default
    the patents'); raises ImportFileError for the file as a whole."""
    readers = {
        FileFormat.CSV: _read_csv,
        FileFormat.XLSX: _read_xlsx,
        FileFormat.JSONL: _read_jsonl,
    }
    return _refuse_nul(readers[file_format](stream, layout or PATENT_LAYOUT))


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _refuse_nul(
    rows: Iterator[tuple[int, dict[str, Any]]],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """PostgreSQL cannot store U+0000 in text: such a cell becomes an error of its column
    (``CELL_ERRORS``) and the rest of the row is read as usual."""
    for line, raw in rows:
        bad = [c for c, value in raw.items() if c != "__error__" and _has_nul(value)]
        if bad:
            message = _("This cell contains a NUL character (U+0000), which cannot be stored.")
            raw = {c: v for c, v in raw.items() if c not in bad}
            raw[CELL_ERRORS] = dict.fromkeys(bad, message)
        yield line, raw


def pop_cell_errors(raw: dict[str, Any]) -> dict[str, Any]:
    """The cell errors the reader found in a row (removed from it)."""
    return raw.pop(CELL_ERRORS, None) or {}


# --- Parsing cells --------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's number cell
    return " ".join(str(value).split())


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        items = [_text(item) for item in value]
    else:
        text = _text(value)
        for separator in LIST_SEPARATORS[1:]:
            text = text.replace(separator, LIST_SEPARATORS[0])
        items = [item.strip() for item in text.split(LIST_SEPARATORS[0])]
    return list(dict.fromkeys(item for item in items if item))


def _date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if len(text) == 19 and text[10] in " T" and text.endswith("00:00:00"):
        text = text[:10]  # a spreadsheet's date cell written as a datetime
    text = text.replace("/", "-").replace(".", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Write dates as YYYY-MM-DD, e.g. 2019-03-15.")) from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("Write true or false (是/否)."))


@functools.lru_cache(maxsize=32)
def _choice_words(choices: type[PatentType] | type[LegalStatus], language: str | None) -> dict:
    """Every accepted spelling of each code: the code, its label in ``language`` and in
    Chinese (built once per language, not once per row)."""
    by_word = {code: code for code in choices.values}
    for code, label in choices.choices:
        by_word[str(label).lower()] = code
    by_word.update(CHINESE_CHOICE_WORDS.get(choices.__name__, {}))
    return by_word


def _choice(value: Any, choices: type[PatentType] | type[LegalStatus]) -> str:
    text = _text(value)
    by_word = _choice_words(choices, get_language())
    found = by_word.get(text.lower()) or by_word.get(text)
    if found is None:
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(choices.values)}
        )
    return found


# The cell readers, for the importers of other kinds of files (patents.imports.records).
cell_text, cell_list, cell_date, cell_boolean = _text, _split, _date, _boolean


CHINESE_CHOICE_WORDS = {
    "PatentType": {"发明": "invention", "实用新型": "utility_model", "外观设计": "design"},
    "LegalStatus": {
        "审中": "pending", "有效": "in_force", "宽限期": "in_grace_period", "失效": "lapsed",
        "期满": "expired", "无效": "invalidated", "撤回": "withdrawn", "驳回": "rejected",
    },
}  # fmt: skip


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    applicants: list[str]
    current_holders: list[str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Filled by ``_Importer.prepare`` (pure work, done ahead in a helper thread):
    application_number: str | None = None  # canonical, the natural key
    publication_number: str | None = None
    as_new: dict[str, Any] | None = None  # clean_patent_values for a new patent
    as_new_errors: dict[str, list[str]] = field(default_factory=dict)
    chinese_document: str | None = None  # its search document, when it is valid


def parse_row(line: int, raw: dict[str, Any]) -> ParsedRow | None:
    """Typed values of one row (``None`` for an empty row); cell errors kept by column."""
    parsed = ParsedRow(line, {}, [], [])
    if "__error__" in raw:
        column, message = raw["__error__"]
        parsed.errors[column] = [str(message)]
        return parsed
    for column, message in pop_cell_errors(raw).items():
        parsed.errors.setdefault(column, []).append(str(message))
    if all(_text(value) == "" and not isinstance(value, bool | list) for value in raw.values()):
        return parsed if parsed.errors else None
    for column, value in raw.items():
        try:
            if column in HOLDER_COLUMNS:
                names = _split(value)
                for name in names:
                    if len(name) > Holder._meta.get_field("name").max_length:  # type: ignore[operator]
                        raise ValueError(_("A holder name has at most 200 characters."))
                setattr(parsed, column, names)
            elif column in LIST_COLUMNS:
                parsed.values[column] = _split(value)
            elif column in DATE_COLUMNS:
                parsed.values[column] = _date(value)
            elif column == "has_foreign_grant":
                parsed.values[column] = _boolean(value)
            elif column in KEPT_WHEN_EMPTY:
                if _text(value):
                    parsed.values[column] = (
                        _choice(value, PatentType)
                        if column == "patent_type"
                        else _choice(value, LegalStatus)
                        if column == "legal_status"
                        else _text(value)
                    )
            else:
                parsed.values[column] = _text(value) if column != "abstract" else str(value or "")
        except ValueError as exc:
            parsed.errors.setdefault(column, []).append(str(exc.args[0]))
    if "abstract" in parsed.values:
        parsed.values["abstract"] = parsed.values["abstract"].strip()
    return parsed


def _natural_numbers(parsed: ParsedRow) -> tuple[str | None, str | None]:
    """Canonical application and publication numbers, or the errors saying why not."""
    application = publication = None
    raw_application = parsed.values.get("application_number")
    if raw_application:
        try:
            application = numbers.parse_application_number(raw_application).canonical
        except numbers.PatentNumberError as exc:
            parsed.errors.setdefault("application_number", []).append(str(exc.message))
    raw_publication = parsed.values.get("publication_number")
    if raw_publication:
        try:
            publication = numbers.parse_publication_number(raw_publication).canonical
        except numbers.PatentNumberError as exc:
            parsed.errors.setdefault("publication_number", []).append(str(exc.message))
    return application, publication


# --- Importing ----------------------------------------------------------------------------
class _Rollback(Exception):
    pass


def _cleaned_over(
    row: ParsedRow, patent: Patent
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The row's values cleaned as an update of ``patent``, or their errors."""
    try:
        return services.clean_patent_values(row.values, current=patent), {}
    except ValidationError as exc:
        return None, exc.message_dict


@dataclass
class _Importer:
    actor: Actor
    owner: Holder | None
    report: ImportReport
    source: str
    seen: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def writing(self) -> bool:
        return not self.report.dry_run and self.report.ok

    def prepare(self, row: ParsedRow) -> None:
        """The work on a row that needs no database: its natural key, its values cleaned
        as a new patent and, when they are valid, its search document. Runs in the helper
        thread of ``_prepared_chunks``, so it touches nothing but ``row``."""
        row.application_number, row.publication_number = _natural_numbers(row)
        try:
            row.as_new = services.clean_patent_values(row.values)
        except ValidationError as exc:
            row.as_new_errors = exc.message_dict
            return
        if not row.errors:
            row.chinese_document = services.chinese_search_document(
                title=row.as_new["title"],
                keywords=row.as_new.get("keywords") or [],
                abstract=row.as_new.get("abstract") or "",
                holder_names=[*self._holder_names(row, None)[1], *row.applicants],
            )

    def run_chunk(self, chunk: list[ParsedRow]) -> None:
        keys = [(row, row.application_number, row.publication_number) for row in chunk]
        applications = [a for _row, a, _p in keys if a]
        publications = [p for _row, _a, p in keys if p]
        # Each arm restates its unique index's condition: the planner proves it from an
        # IN list of at most 100 values only, and without it read the whole table (330 ms
        # a chunk at a million patents, against 4 ms through the two indexes).
        existing = list(
            (
                Patent.all_objects.filter(jurisdiction="CN", application_number__in=applications)
                | Patent.all_objects.filter(
                    jurisdiction="CN", publication_number__in=publications
                ).exclude(publication_number="")
            ).order_by()
        )
        by_application = {p.application_number: p for p in existing if p.application_number}
        by_publication = {p.publication_number: p for p in existing if p.publication_number}
        holdings = self._holdings_of([p.pk for p in existing])

        creates: list[tuple[ParsedRow, dict[str, Any]]] = []
        updates: list[tuple[ParsedRow, Patent, dict[str, Any]]] = []
        for row, application, publication in keys:
            patent = self._match(row, application, publication, by_application, by_publication)
            self._check_owner(row, patent, holdings)
            if patent is None:
                cleaned, clean_errors = row.as_new, row.as_new_errors
            else:
                cleaned, clean_errors = _cleaned_over(row, patent)
            for column, messages in clean_errors.items():
                row.errors.setdefault(column, []).extend(messages)
            if row.errors:
                for column, messages in row.errors.items():
                    for message in dict.fromkeys(messages):
                        self.report.add_error(row.line, column or None, "invalid", message)
                continue
            assert cleaned is not None  # (no errors)
            if patent is None:
                creates.append((row, cleaned))
            elif self._changed(row, patent, cleaned, holdings.get(patent.pk, {})):
                updates.append((row, patent, cleaned))
            else:
                self.report.unchanged += 1
        self.report.created += len(creates)
        self.report.updated += len(updates)
        self._count_new_holders(creates, updates)
        if self.writing:
            self._write(creates, updates)

    def _match(
        self,
        row: ParsedRow,
        application: str | None,
        publication: str | None,
        by_application: dict[str, Patent],
        by_publication: dict[str, Patent],
    ) -> Patent | None:
        patent = by_application.get(application) if application else None
        other = by_publication.get(publication) if publication else None
        if other is not None and (
            (patent is not None and other.pk != patent.pk)
            or (patent is None and other.application_number and application)
        ):
            row.errors.setdefault("publication_number", []).append(
                str(
                    _(
                        "This publication number belongs to the patent with application number %(number)s."
                    )
                    % {"number": other.application_number}
                )
            )
            return None
        patent = patent or other
        identities = [("id", str(patent.pk))] if patent is not None else []
        identities += [("application", a) for a in [application] if a]
        identities += [("publication", p) for p in [publication] if p]
        for identity in identities:
            first = self.seen.get(identity)
            if first is not None:
                row.errors.setdefault("", []).append(
                    str(_("The same patent as row %(row)d.") % {"row": first})
                )
                return patent
        for identity in identities:
            self.seen[identity] = row.line
        return patent

    def _holdings_of(self, patent_ids: list[int]) -> dict[int, dict[str, list[Holding]]]:
        found: dict[int, dict[str, list[Holding]]] = {}
        for holding in (
            Holding.objects.filter(patent_id__in=patent_ids)
            .select_related("holder")
            .order_by("patent_id", "role", "order", "id")
        ):
            found.setdefault(holding.patent_id, {}).setdefault(holding.role, []).append(holding)
        return found

    def _check_owner(
        self,
        row: ParsedRow,
        patent: Patent | None,
        holdings: dict[int, dict[str, list[Holding]]],
    ) -> None:
        if self.owner is None:
            return
        if patent is not None:
            held = holdings.get(patent.pk, {})
            if not any(h.holder_id == self.owner.pk for role in held.values() for h in role):
                column = (
                    "application_number"
                    if row.values.get("application_number")
                    else "publication_number"
                )
                row.errors.setdefault(column, []).append(
                    str(
                        _(
                            "This patent is registered for another holder; ask an operator to change it."
                        )
                    )
                )
        if row.current_holders and self.owner.name not in row.current_holders:
            row.errors.setdefault("current_holders", []).append(
                str(
                    _("Your holder “%(name)s” must be among the current holders.")
                    % {"name": self.owner.name}
                )
            )

    def _holder_names(self, row: ParsedRow, patent: Patent | None) -> tuple[list[str], list[str]]:
        current = row.current_holders
        if not current and patent is None and self.owner is not None:
            current = [self.owner.name]
        return row.applicants, current

    def _changed(
        self,
        row: ParsedRow,
        patent: Patent,
        cleaned: dict[str, Any],
        held: dict[str, list[Holding]],
    ) -> bool:
        if patent.deleted_at is not None:
            return True
        if any(getattr(patent, key) != value for key, value in cleaned.items()):
            return True
        for role, names in (
            (Holding.Role.APPLICANT, row.applicants),
            (Holding.Role.CURRENT, row.current_holders),
        ):
            if names and names != [h.holder.name for h in held.get(role, [])]:
                return True
        return False

    def _count_new_holders(
        self,
        creates: list[tuple[ParsedRow, dict[str, Any]]],
        updates: list[tuple[ParsedRow, Patent, dict[str, Any]]],
    ) -> None:
        names = {
            name
            for row in [*(r for r, _c in creates), *(r for r, _p, _c in updates)]
            for name in (*row.applicants, *row.current_holders)
        }
        if self.owner is not None:
            names.discard(self.owner.name)
        if names:
            known = set(Holder.objects.filter(name__in=names).values_list("name", flat=True))
            self.report.holders_created += len(names - known)

    def _write(
        self,
        creates: list[tuple[ParsedRow, dict[str, Any]]],
        updates: list[tuple[ParsedRow, Patent, dict[str, Any]]],
    ) -> None:
        batch = self.report.batch
        if creates:
            rows = []
            for row, _cleaned in creates:
                applicants, current = self._holder_names(row, None)
                rows.append(
                    BulkPatent(
                        values={},
                        current_holders=current,
                        applicants=applicants,
                        chinese_document=row.chinese_document,
                    )
                )
            patents_bulk_insert_cleaned(
                actor=self.actor,
                rows=rows,
                cleaned_rows=[cleaned for _row, cleaned in creates],
                batch=batch,
                source=self.source,
                owner=self.owner,
            )
        if updates:
            names = (n for row, _p, _c in updates for n in (*row.applicants, *row.current_holders))
            holders = holders_by_name(actor=self.actor, names=names, batch=batch, owner=self.owner)
            held = self._holdings_of([patent.pk for _row, patent, _c in updates])
            for row, patent, cleaned in updates:
                services.patent_update(
                    actor=self.actor,
                    patent=patent,
                    data=PatentInput(
                        values=cleaned,
                        holdings=self._holdings_input(row, held.get(patent.pk, {}), holders),
                    ),
                    expected_version=patent.version,
                    batch=batch,
                    restore=True,
                )

    def _holdings_input(
        self, row: ParsedRow, held: dict[str, list[Holding]], holders: dict[str, Holder]
    ) -> list[HoldingInput] | None:
        if not row.applicants and not row.current_holders:
            return None
        result: list[HoldingInput] = []
        for role, names in (
            (Holding.Role.APPLICANT, row.applicants),
            (Holding.Role.CURRENT, row.current_holders),
        ):
            if names:
                result.extend(HoldingInput(holders[name], role=role) for name in names)
            else:
                result.extend(
                    HoldingInput(h.holder, role=role, share=h.share, since=h.since)
                    for h in held.get(role, [])
                )
        return result


def import_patents(
    *,
    actor: Actor,
    stream: IO[bytes],
    file_format: FileFormat,
    owner: Holder | None = None,
    dry_run: bool = False,
    max_rows: int | None = None,
    source: str = "import",
) -> ImportReport:
    """Import a file of patents (see the module's docstring for the rules)."""
    report = ImportReport(batch=uuid.uuid4(), dry_run=dry_run)
    importer = _Importer(actor=actor, owner=owner, report=report, source=source[:200])
    try:
        with transaction.atomic():
            with bulk.batched_gin_upkeep(Patent):
                parsed = _parsed_rows(read_rows(stream, file_format), report, max_rows)
                for chunk in _prepared_chunks(parsed, importer.prepare):
                    importer.run_chunk(chunk)
            if not report.written:
                raise _Rollback
    except _Rollback:
        pass
    except ImportFileError as exc:
        report.add_error(1, exc.column, exc.code, exc.message)
    if not report.ok:
        report.created = report.updated = report.unchanged = report.holders_created = 0
    return report


def _prepared_chunks(
    rows: Iterator[ParsedRow], prepare: Callable[[ParsedRow], None]
) -> Iterator[list[ParsedRow]]:
    """``rows`` in chunks of ``CHUNK_SIZE``, each read and prepared in a helper thread
    while the caller writes the chunk before it.

    Reading, cleaning and building search documents is pure Python, and PostgreSQL works
    in another process: while the caller waits for a chunk's statements, the thread
    (which gets the interpreter then) readies the next chunk, so the two overlap on two
    cores. The thread touches no database connection and speaks the caller's language.
    An error in it (a bad file, too many rows) is raised here, at the chunk it stopped.
    """
    language = get_language()

    def next_chunk() -> list[ParsedRow]:
        with override(language):
            chunk = list(itertools.islice(rows, CHUNK_SIZE))
            for row in chunk:
                prepare(row)
            return chunk

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-prepare") as helper:
        ahead = helper.submit(next_chunk)
        while chunk := ahead.result():
            ahead = helper.submit(next_chunk)
            yield chunk


def _parsed_rows(
    rows: Iterable[tuple[int, dict[str, Any]]], report: ImportReport, max_rows: int | None
) -> Iterator[ParsedRow]:
    for line, raw in rows:
        parsed = parse_row(line, raw)
        if parsed is None:
            continue
        report.rows += 1
        if max_rows is not None and report.rows > max_rows:
            raise ImportFileError(
                "too_many_rows",
                _("At most %(limit)d rows per file here; split the file.") % {"limit": max_rows},
            )
        yield parsed


# --- Exporting ----------------------------------------------------------------------------
def export_queryset(queryset: QuerySet[Patent]) -> QuerySet[Patent]:
    """The patents to export, every column read (no deferred fields, which would cost a
    query per row), with their holders in one extra query per chunk."""
    return (
        queryset.defer(None)
        .defer("search_document")
        .prefetch_related(
            Prefetch(
                "holdings",
                queryset=Holding.objects.select_related("holder").order_by("role", "order", "id"),
            )
        )
    )


def export_row(patent: Patent) -> list[str]:
    """A patent as the import columns, in ``COLUMNS`` order."""
    holdings = list(patent.holdings.all())
    names = {
        role: [h.holder.name for h in holdings if h.role == role]
        for role in (Holding.Role.APPLICANT, Holding.Role.CURRENT)
    }
    cells: list[str] = []
    for column in COLUMNS:
        if column == "applicants":
            value: Any = names[Holding.Role.APPLICANT]
        elif column == "current_holders":
            value = names[Holding.Role.CURRENT]
        else:
            value = getattr(patent, column)
        if isinstance(value, list):
            cells.append(EXPORT_SEPARATOR.join(value))
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, datetime.date):
            cells.append(value.isoformat())
        else:
            cells.append("" if value is None else str(value))
    return cells


def export_rows(queryset: QuerySet[Patent], chunk_size: int = CHUNK_SIZE) -> Iterator[list[str]]:
    for patent in export_queryset(queryset).iterator(chunk_size=chunk_size):
        yield export_row(patent)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]], columns: Iterable[str] = COLUMNS) -> Iterator[str]:
    """CSV text line by line (with a BOM, so Excel reads the Chinese right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(list(columns))
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(
    rows: Iterable[list[str]], columns: Iterable[str] = COLUMNS, sheet_name: str = "patents"
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
