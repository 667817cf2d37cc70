"""The patents import kind: files of patents in and out, in one set of columns.

One service for every path that imports (``POST /api/v1/patents/import/``,
``manage.py import_patents``, the admin and the bench's load), so they share every rule;
the reading, the all-or-nothing run and the report are the tabular kit's
(``conversion_db.tabular``). The rules of this kind:

- The columns are ``TABLE``; an unknown column is an error (a typo would otherwise drop
  data silently), naming the closest accepted headers. ``TABLE`` is also the alias table:
  the Chinese headers of the patent office's and the platforms' exports each column
  answers to, and the headers they carry that are ignored; their values (lists in any
  separator, IPC editions, dates, status words) are read here too. The status as the file
  words it is kept in ``legal_status_source``. docs/importing-exports.md has the tables.
- A column absent from the file leaves that field alone on existing patents; a blank
  cell clears the field, except the identity and state columns (numbers, ``patent_type``,
  ``legal_status``, ``legal_status_source``) and the holder columns, where it keeps what
  the patent has (the kit's empty-cell rule says why).
- Upsert on the natural key: the application number, or the publication number for a
  record without one. A row matching a soft-deleted patent brings it back.
- Holder names that match no holder create unverified holders. An import for a holder
  (its members', or ``--holder``) puts the patents under that holder: it is the current
  holder when the row names none, must be among them when the row names some, and
  existing patents of other holders are refused. Other holders a member's file names are
  recorded unconfirmed until they (or an operator) confirm (``patents.register.coholders``);
  a holder column states every holder of its role, so a pending holder it leaves out is
  withdrawn.
- Exports write the same columns, so an exported file imports again unchanged.

Speed (the bench loads a million patents through here): rows are read, cleaned as new
patents and given their search document ahead, in the kit's helper thread
(``PatentImport.prepare``); each chunk then finds its existing patents in two index
look-ups, and new patents go in by ``COPY`` (``patents_bulk_insert_cleaned``), with the
GIN indexes' upkeep batched for the whole file (``conversion_db.bulk.GinUpkeep``); a file
larger than the table (a city's first load) builds them again after its rows instead.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from conversion_db import bulk
from conversion_db.services import Actor
from conversion_db.tabular import cells
from conversion_db.tabular.columns import Column, Columns, EmptyCell, RequiredColumns
from conversion_db.tabular.files import FileFormat, FileRow
from conversion_db.tabular.kinds import ImportKind, Row
from conversion_db.tabular.report import ImportReport
from patents.models import Holder, Holding, LegalStatus, Patent, PatentType
from patents.register import numbers, services
from patents.register.bulk import BulkPatent, holders_by_name, patents_bulk_insert_cleaned
from patents.register.services import HoldingInput, PatentInput

CHUNK_SIZE = 2000
HOLDER_NAME_LENGTH: int = Holder._meta.get_field("name").max_length  # type: ignore[assignment]
STATUS_SOURCE_LENGTH: int = Patent._meta.get_field("legal_status_source").max_length  # type: ignore[assignment]
# Words of the trade for a type or a status, beside the labels (发明, 审查中 ...).
PATENT_TYPE_WORDS = {
    "发明": "invention", "发明专利": "invention", "发明申请": "invention", "发明授权": "invention",
    "实用新型": "utility_model", "实用新型专利": "utility_model", "新型": "utility_model",
    "外观设计": "design", "外观": "design", "外观设计专利": "design",
}  # fmt: skip
# The legal status as the patent office's search system, incoPat, PatSnap, SooPAT and
# Innojoy word it (their simple status, or the latest event), as a status of ours. The
# table and the reasons are in docs/importing-exports.md.
LEGAL_STATUS_WORDS = {
    # pending: filed, published, under examination
    "审中": "pending", "审查中": "pending", "在审": "pending", "实质审查": "pending",
    "实审": "pending", "实质审查的生效": "pending", "公开": "pending", "公布": "pending",
    "受理": "pending", "pct进入国家阶段": "pending",
    # in force: granted, and events that keep a granted patent alive
    "有效": "in_force", "授权": "in_force", "专利权有效": "in_force", "部分无效": "in_force",
    "权利转移": "in_force", "转让": "in_force", "许可": "in_force", "质押": "in_force",
    "保全": "in_force", "权利恢复": "in_force", "恢复": "in_force", "变更": "in_force",
    # fee grace period
    "宽限期": "in_grace_period", "年费宽限期": "in_grace_period", "等年费滞纳金": "in_grace_period",
    # lapsed: granted, then ended early
    "失效": "lapsed", "未缴年费": "lapsed", "放弃": "lapsed", "放弃专利权": "lapsed",
    "避重放弃": "lapsed", "终止": "lapsed", "专利权终止": "lapsed",
    # expired: the full term ran out
    "期满": "expired", "期限届满": "expired", "届满": "expired", "专利权期限届满": "expired",
    # invalidated as a whole
    "无效": "invalidated", "全部无效": "invalidated", "宣告无效": "invalidated",
    # withdrawn and rejected applications
    "撤回": "withdrawn", "视为撤回": "withdrawn", "主动撤回": "withdrawn", "视为放弃": "withdrawn",
    "驳回": "rejected", "申请驳回": "rejected",
}  # fmt: skip
IPC_EDITION = re.compile(r"\s*\(\s*\d{4}\s*\.\s*\d{1,2}\s*\)\s*$")
_status_choice = cells.choice(LegalStatus, LEGAL_STATUS_WORDS)


def holder_names(value: Any) -> list[str]:
    """The cell of a holder column: a list of names that fit a holder's name."""
    names = cells.items(value)
    if any(len(name) > HOLDER_NAME_LENGTH for name in names):
        raise ValueError(_("A holder name has at most 200 characters."))
    return names


def ipc_symbols(value: Any) -> list[str]:
    """The IPC cell of an export: a list of symbols, full-width or not, each without the
    edition exports append (``H01M 10/0525(2010.01)`` → ``H01M 10/0525``)."""
    symbols = (IPC_EDITION.sub("", cells.normalised(item)) for item in cells.items(value))
    return list(dict.fromkeys(symbol for symbol in symbols if symbol))


def legal_status(value: Any) -> str:
    """A status by code, label or a platform's word (``LEGAL_STATUS_WORDS``); a cell of
    several words or events gives the first that names a status."""
    try:
        return _status_choice(value)
    except ValueError:
        for item in cells.items(cells.normalised(value)):
            with contextlib.suppress(ValueError):
                return _status_choice(item)
        raise


def family_members(value: Any) -> list[str]:
    """The family cell of an export: its members abroad as written (the service checks
    each); the Chinese members platforms list beside them (CN…) are read past."""
    return [
        item for item in cells.items(value) if not cells.normalised(item).upper().startswith("CN")
    ]


def optional_text(value: Any) -> str | None:
    """One line of text, or None for a blank cell (not stated)."""
    return cells.text(value) or None


def _holder_names_of(role: str) -> Callable[[Patent], list[str]]:
    """The export of a holder column: the names in the patent's prefetched holdings."""

    def names(patent: Patent) -> list[str]:
        return [h.holder.name for h in patent.holdings.all() if h.role == role]

    return names


KEEPS, CLEARS = EmptyCell.KEEPS, EmptyCell.CLEARS
# The alias table: the headers of the patent office's search system, incoPat, PatSnap,
# SooPAT and Innojoy exports, by column (docs/importing-exports.md lists them). Compared
# without spaces, full- and half-width alike, in any letter case (columns.header_key).
TABLE = Columns(
    Column("application_number", empty=KEEPS, doc="申请号 in any accepted spelling; the natural key",
           aliases=("申请号", "专利申请号", "申请号码")),
    Column("publication_number", empty=KEEPS, doc="公开号 with kind code; the key without an application number",
           aliases=("公开（公告）号", "公开号", "公告号", "公开（公布）号", "公布号", "公开公告号")),
    Column("grant_number", empty=KEEPS, doc="授权公告号", aliases=("授权公告号", "授权号")),
    Column("patent_type", cells.choice(PatentType, PATENT_TYPE_WORDS), KEEPS, doc="read from the numbers when blank",
           aliases=("专利类型", "类型")),
    Column("title", empty=CLEARS, doc="Chinese title (required for a new patent)",
           aliases=("发明名称", "标题", "专利名称", "名称", "发明名称（中文）", "标题（中文）")),
    Column("title_en", empty=CLEARS, doc="English title",
           aliases=("英文标题", "标题（英文）", "发明名称（英文）", "英文名称")),
    Column("abstract", cells.long_text, CLEARS, doc="Chinese abstract (line breaks kept)",
           aliases=("摘要", "摘要（中文）", "中文摘要")),
    Column("abstract_en", empty=CLEARS, doc="English abstract", aliases=("英文摘要", "摘要（英文）")),
    Column("keywords", cells.items, CLEARS, doc="关键词, a list", aliases=("关键词", "关键字")),
    Column("ipc_codes", ipc_symbols, CLEARS, doc="list of IPC symbols in any spelling, at any level",
           aliases=("IPC分类号", "IPC", "IPC分类", "分类号"), fallbacks=("IPC主分类", "IPC主分类号", "主分类号")),
    Column("applicants", holder_names, KEEPS, _holder_names_of(Holding.Role.APPLICANT),
           doc="list of holder names; an unknown name creates an unverified holder",
           aliases=("申请人", "申请（专利权）人", "原始申请人", "申请人名称")),
    Column("current_holders", holder_names, KEEPS, _holder_names_of(Holding.Role.CURRENT),
           doc="list of holder names; an unknown name creates an unverified holder",
           aliases=("当前权利人", "专利权人", "当前专利权人", "当前申请（专利权）人", "权利人")),
    Column("inventors", cells.items, CLEARS, doc="发明人, a list", aliases=("发明人", "发明（设计）人", "设计人")),
    Column("filing_date", cells.date, CLEARS, doc="申请日", aliases=("申请日", "申请日期")),
    Column("publication_date", cells.date, CLEARS, doc="公开日",
           aliases=("公开（公告）日", "公开日", "公告日", "公开（公布）日", "公布日", "公开日期")),
    Column("grant_date", cells.date, CLEARS, doc="授权公告日", aliases=("授权公告日", "授权日", "授权日期")),
    Column("legal_status", legal_status, KEEPS, doc="pending when new and blank; a platform's word is kept",
           aliases=("简单法律状态", "当前法律状态", "法律状态（简单）"), fallbacks=("法律状态", "法律状态/事件")),
    Column("legal_status_source", optional_text, KEEPS,
           doc="the legal status as the file's platform words it (filled from legal_status when absent)"),
    Column("pct_application_number", empty=CLEARS, doc="PCT application, e.g. PCT/CN2009/072663",
           aliases=("PCT申请号", "国际申请号")),
    Column("wo_publication_number", empty=CLEARS, doc="WO publication, e.g. WO2010003367A1",
           aliases=("PCT公开号", "国际公布号", "国际公开号")),
    Column("foreign_family", family_members, CLEARS,
           doc="family members abroad, e.g. US11295096B2 | EP3456789A1 (Chinese members are read past)",
           aliases=("同族专利", "同族", "family members", "海外同族", "同族专利号", "同族公开号"),
           fallbacks=("简单同族", "扩展同族")),
    Column("has_foreign_grant", cells.boolean, CLEARS,
           doc="granted abroad: true / false (是 / 否); a granted family member sets it"),
    required=RequiredColumns(
        frozenset({"application_number", "publication_number"}),
        "number_column_required",
        _("The file needs an application_number or a publication_number column."),
    ),
    # Headers exports carry that a patent here does not store: read past, reported.
    ignored=(
        "申请人地址", "申请人邮编", "申请人所在国（省）", "申请人省市", "申请人城市", "申请人区县",
        "申请人类型", "国省代码", "代理机构", "专利代理机构", "代理人", "专利代理人", "审查员",
        "优先权", "优先权号", "优先权日", "最早优先权日", "分案原申请", "同族数量", "被引用次数",
        "被引证次数", "引用次数", "引证次数", "页数",
        "权利要求数", "权利要求", "主权项", "首项权利要求", "CPC", "CPC分类号",
        "洛迦诺分类号", "文献类型", "公开国别", "受理局", "序号", "链接", "法律状态日", "法律状态公告日",
        "专利价值", "合享价值度", "附图",
    ),
)  # fmt: skip
COLUMNS = TABLE.names


@dataclass
class PatentImportReport(ImportReport):
    COUNTS = (*ImportReport.COUNTS, "holders_created")

    holders_created: int = 0

    def summary(self, noun: str, verb: str) -> str:
        return f"{super().summary(noun, verb)[:-1]}; {self.holders_created} new holders."


@dataclass
class PatentRow(Row):
    applicants: list[str] = field(default_factory=list)  # blank: keep the patent's
    current_holders: list[str] = field(default_factory=list)
    # Filled by ``PatentImport.prepare`` (pure work, done ahead in the helper thread):
    application_number: str | None = None  # canonical, the natural key
    publication_number: str | None = None
    as_new: dict[str, Any] | None = None  # clean_patent_values for a new patent
    as_new_errors: dict[str, list[str]] = field(default_factory=dict)
    chinese_document: str | None = None  # its search document, when it is valid


def _status_wording(written: Any, status: str) -> str | None:
    """The legal status as the file words it, when that is not our code: kept beside the
    status it was read as (None, the file speaks our codes)."""
    wording = cells.text(written)
    if cells.normalised(wording).lower() == status:
        return None
    return wording[:STATUS_SOURCE_LENGTH]


def _natural_numbers(row: PatentRow) -> tuple[str | None, str | None]:
    """Canonical application and publication numbers, or the errors saying why not."""
    application = publication = None
    raw_application = row.values.get("application_number")
    if raw_application:
        try:
            application = numbers.parse_application_number(raw_application).canonical
        except numbers.PatentNumberError as exc:
            row.error("application_number", exc.message)
    raw_publication = row.values.get("publication_number")
    if raw_publication:
        try:
            publication = numbers.parse_publication_number(raw_publication).canonical
        except numbers.PatentNumberError as exc:
            row.error("publication_number", exc.message)
    return application, publication


def _cleaned_over(
    row: PatentRow, patent: Patent
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The row's values cleaned as an update of ``patent``, or their errors."""
    try:
        return services.clean_patent_values(row.values, current=patent), {}
    except ValidationError as exc:
        return None, exc.message_dict


class PatentImport(ImportKind[PatentRow]):
    """Patents, set by set: a chunk's existing patents in two look-ups, new ones by COPY."""

    name = "patents"
    columns = TABLE
    chunk_size = CHUNK_SIZE
    report_class = PatentImportReport
    owner: Holder | None
    report: PatentImportReport

    def __init__(self, **arguments: Any) -> None:
        super().__init__(**arguments)
        self.source = self.source[:200]
        self.seen: dict[tuple[str, str], int] = {}

    def new_row(self, line: int) -> PatentRow:
        return PatentRow(line)

    def parse(self, raw: FileRow) -> PatentRow | None:
        row = super().parse(raw)
        if row is not None:
            row.applicants = row.values.pop("applicants", [])
            row.current_holders = row.values.pop("current_holders", [])
            if "foreign_family" in row.values and cells.is_blank(
                raw.cells.get("has_foreign_grant")
            ):
                # A blank flag beside a family column is not stated: the members decide.
                row.values.pop("has_foreign_grant", None)
            if "legal_status" in row.values and "legal_status_source" not in raw.cells:
                row.values["legal_status_source"] = _status_wording(
                    raw.cells["legal_status"], row.values["legal_status"]
                )
        return row

    def writing_scope(self) -> AbstractContextManager[Any]:
        self.gin_upkeep = bulk.GinUpkeep(Patent)
        return self.gin_upkeep

    def prepare(self, row: PatentRow) -> None:
        """The work on a row that needs no database: its natural key, its values cleaned
        as a new patent and, when they are valid, its search document."""
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

    def run_chunk(self, chunk: list[PatentRow]) -> None:
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

        creates: list[tuple[PatentRow, dict[str, Any]]] = []
        updates: list[tuple[PatentRow, Patent, dict[str, Any]]] = []
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
                self.report.add_row_errors(row.line, row.errors)
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
            self.gin_upkeep.written(len(creates) + len(updates))

    def _match(
        self,
        row: PatentRow,
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
            row.error(
                "publication_number",
                _(
                    "This publication number belongs to the patent with application number %(number)s."
                )
                % {"number": other.application_number},
            )
            return None
        patent = patent or other
        identities = [("id", str(patent.pk))] if patent is not None else []
        identities += [("application", a) for a in [application] if a]
        identities += [("publication", p) for p in [publication] if p]
        for identity in identities:
            first = self.seen.get(identity)
            if first is not None:
                row.error(None, _("The same patent as row %(row)d.") % {"row": first})
                return patent
        for identity in identities:
            self.seen[identity] = row.line
        return patent

    def _holdings_of(self, patent_ids: list[int]) -> dict[int, dict[str, list[Holding]]]:
        """Every holding of these patents, the unconfirmed ones too (a row that leaves a
        role's column blank keeps them)."""
        found: dict[int, dict[str, list[Holding]]] = {}
        for holding in (
            Holding.all_objects.filter(patent_id__in=patent_ids)
            .select_related("holder")
            .order_by("patent_id", "role", "order", "id")
        ):
            found.setdefault(holding.patent_id, {}).setdefault(holding.role, []).append(holding)
        return found

    def _check_owner(
        self,
        row: PatentRow,
        patent: Patent | None,
        holdings: dict[int, dict[str, list[Holding]]],
    ) -> None:
        if self.owner is None:
            return
        if patent is not None:
            held = holdings.get(patent.pk, {})
            if not any(
                h.holder_id == self.owner.pk and h.confirmed for role in held.values() for h in role
            ):
                column = (
                    "application_number"
                    if row.values.get("application_number")
                    else "publication_number"
                )
                row.error(
                    column,
                    _(
                        "This patent is registered for another holder; ask an operator to change it."
                    ),
                )
        if row.current_holders and self.owner.name not in row.current_holders:
            row.error(
                "current_holders",
                _("Your holder “%(name)s” must be among the current holders.")
                % {"name": self.owner.name},
            )

    def _holder_names(self, row: PatentRow, patent: Patent | None) -> tuple[list[str], list[str]]:
        current = row.current_holders
        if not current and patent is None and self.owner is not None:
            current = [self.owner.name]
        return row.applicants, current

    def _changed(
        self,
        row: PatentRow,
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
        creates: list[tuple[PatentRow, dict[str, Any]]],
        updates: list[tuple[PatentRow, Patent, dict[str, Any]]],
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
        creates: list[tuple[PatentRow, dict[str, Any]]],
        updates: list[tuple[PatentRow, Patent, dict[str, Any]]],
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
        self, row: PatentRow, held: dict[str, list[Holding]], holders: dict[str, Holder]
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

    # --- Exporting ------------------------------------------------------------------------
    @classmethod
    def export_queryset(cls, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The patents to export, every column read (no deferred fields, which would cost a
        query per row), with their holders in one extra query per chunk."""
        return (
            queryset.defer(None)
            .defer("search_document")
            .prefetch_related(
                Prefetch(
                    "holdings",
                    queryset=Holding.objects.select_related("holder").order_by(
                        "role", "order", "id"
                    ),
                )
            )
        )


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
    return PatentImport.import_file(
        actor=actor,
        stream=stream,
        file_format=file_format,
        owner=owner,
        dry_run=dry_run,
        max_rows=max_rows,
        source=source,
    )
