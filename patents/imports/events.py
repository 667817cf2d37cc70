"""The legal-status events import kind: the patent office's register entries, one row per
event, as CNIPA's records and the platforms' exports write them; used by ``POST
/api/v1/legal-events/import/``, ``manage.py import_legal_events`` and the admin.

Each row names an existing patent (any accepted spelling of any of its numbers), the
event's date, the event in the register's or a platform's words (专利权的终止, 权利转移,
专利实施许可合同备案的生效 ...; ``patents.licensing.events.event_type_of``, the table in
docs/importing-exports.md) and its details: in their own columns, or inside the details
text as the register labels them (变更后权利人：…, 受让人：…, 质权人：…); a column wins over
the text. Every row goes through ``legal_event_apply`` in its own savepoint, in file
order (a file lists each patent's events oldest first, as the register does), so the
rules of docs/domain/ apply and a later row sees the earlier ones. All or nothing, like
every kind. An event already stored (patent, date, type, number) is ``unchanged``: a
file imports again with nothing written. A dry run counts the rows by event type
(``event_types``). An import for a holder (``--holder``) may only name its patents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from conversion_db.tabular import cells
from conversion_db.tabular.columns import Column, Columns, RequiredColumns
from conversion_db.tabular.kinds import ImportKind, Row
from conversion_db.tabular.report import ImportReport, Outcome
from patents.imports.patents import holder_names
from patents.imports.records import number_of
from patents.licensing.events import EventInput, details_of, event_type_of, legal_event_apply
from patents.models import EventType, Holding, Patent
from patents.register import numbers
from patents.register.selectors import with_number


def _detail(name: str) -> Any:
    return lambda event: event.details.get(name, "")


TABLE = Columns(
    Column("patent_number", export=lambda event: number_of(event.patent),
           doc="the patent, by any of its numbers in any spelling (申请号 / 专利号 / 公开号)",
           aliases=("申请号", "专利号", "申请号/专利号", "专利申请号", "申请号（专利号）"),
           fallbacks=("公开（公告）号", "公开号", "公告号", "授权公告号")),
    Column("event_date", cells.date, doc="the event's date (法律状态公告日 / 生效日)",
           aliases=("法律状态公告日", "法律状态日", "法律状态生效日", "生效日", "事务公告日",
                    "事件日期", "登记生效日", "公告日", "日期")),
    Column("event", export=lambda event: event.source_words,
           doc="the event in the register's or a platform's words (权利转移, 专利权的终止 ...) or its code",
           aliases=("法律状态", "法律事件", "法律状态事件", "事件", "法律状态名称", "事务数据",
                    "法律状态/事件", "法律状态类型", "简单法律状态")),
    Column("event_type", imported=False, doc="written by exports: the event as a code of ours"),
    Column("details", cells.long_text, export=lambda event: event.details_text,
           doc="the entry's details as written; labelled values (变更后权利人：…) are read",
           aliases=("法律状态信息", "详细信息", "法律状态详情", "详情", "事务数据信息", "描述", "说明",
                    "备注")),
    Column("number", doc="recordation (备案号) or registration (登记号) number",
           aliases=("登记号", "备案号", "合同备案号", "质押登记号", "登记号/备案号", "备案号/登记号")),
    Column("new_holders", holder_names, export=_detail("new_holders"),
           doc="a transfer's new holders, a list (for a licence: its licensee)",
           aliases=("变更后权利人", "变更后专利权人", "新权利人", "受让人")),
    Column("previous_holders", holder_names, export=_detail("previous_holders"),
           doc="a transfer's holders before it, a list (must be the holders of record)",
           aliases=("变更前权利人", "变更前专利权人", "原权利人", "转让人")),
    Column("licensor", export=_detail("licensor"), doc="a licence's licensor (blank: the first holder of record)",
           aliases=("许可人", "让与人", "许可方")),
    Column("licensee", export=_detail("licensee"), doc="a licence's licensee", aliases=("被许可人", "被许可方")),
    Column("licence_kind", export=_detail("licence_kind"), doc="独占 / 排他 / 普通 (blank: ordinary)",
           aliases=("许可种类", "许可类型")),
    Column("pledgor", export=_detail("pledgor"), doc="a pledge's pledgor (blank: the first holder of record)",
           aliases=("出质人",)),
    Column("pledgee", export=_detail("pledgee"), doc="a pledge's pledgee", aliases=("质权人",)),
    Column("amount_cny", cells.decimal, export=_detail("amount_cny"), doc="a pledge's secured amount, CNY",
           aliases=("质押金额", "登记金额", "担保金额", "主债权金额")),
    Column("debt_start", cells.date, export=_detail("debt_start"), doc="a pledge's debt period from",
           aliases=("债务履行期限起", "债务起始日")),
    Column("debt_end", cells.date, export=_detail("debt_end"), doc="a pledge's debt period to (required for a pledge)",
           aliases=("债务履行期限止", "债务履行期限届满日", "债务到期日")),
    required=RequiredColumns(
        frozenset({"patent_number"}),
        "patent_number_column_required",
        _("The file needs a patent_number column (申请号 / 专利号)."),
    ),
)  # fmt: skip
COLUMNS = TABLE.names
# A service's field, as the column of this kind its value came from.
FIELD_COLUMNS = {
    "legal_status": "event", "legal_status_date": "event_date", "grant_date": "event",
    "kind": "event", "status": "event", "terminated_at": "event_date",
    "cancellation_date": "event_date", "recordation_number": "number",
    "registration_number": "number", "recordation_date": "event_date",
    "registration_date": "event_date", "licensee_name": "licensee", "pledgee_name": "pledgee",
    "secured_amount_cny": "amount_cny", "holdings": "new_holders",
}  # fmt: skip


@dataclass
class EventImportReport(ImportReport):
    event_types: dict[str, int] = field(default_factory=dict)

    def discard_counts(self) -> None:
        super().discard_counts()
        self.event_types = {}

    def summary(self, noun: str, verb: str) -> str:
        types = ", ".join(f"{name} {count}" for name, count in sorted(self.event_types.items()))
        return f"{super().summary(noun, verb)[:-1]}; by type: {types or 'none'}."


class LegalEventImport(ImportKind[Row]):
    name = "legal-events"
    columns = TABLE
    report_class = EventImportReport
    report: EventImportReport
    chunk_size: ClassVar[int] = 500

    def __init__(self, **arguments: Any) -> None:
        super().__init__(**arguments)
        self.types: Counter[str] = Counter()

    def new_row(self, line: int) -> Row:
        return Row(line)

    def _patent(self, row: Row) -> Patent | None:
        text = row.values.get("patent_number")
        if not text:
            row.error("patent_number", _("Give the patent's number."))
            return None
        try:
            patent = with_number(Patent.objects.all(), text).order_by("id").first()
        except numbers.PatentNumberError as exc:
            row.error("patent_number", f"{text}: {exc.message}")
            return None
        if patent is None:
            row.error(
                "patent_number", _("No patent has the number “%(number)s”.") % {"number": text}
            )
            return None
        if (
            self.owner is not None
            and not Holding.objects.filter(patent=patent, holder=self.owner).exists()
        ):
            row.error(
                "patent_number",
                _("This patent is registered for another holder; ask an operator to change it."),
            )
            return None
        return patent

    def import_row(self, row: Row) -> Outcome | None:
        patent = self._patent(row)
        words = cells.text(row.values.get("event"))
        event_type = event_type_of(words)
        if not words:
            row.error("event", _("Give the event (法律状态)."))
        elif event_type is None:
            row.error(
                "event",
                _(
                    "Unknown event “%(words)s”; the accepted words are listed in "
                    "docs/importing-exports.md (e.g. 授权, 专利权的终止, 权利转移)."
                )
                % {"words": words},
            )
        if row.values.get("event_date") is None:
            row.error("event_date", _("Give the event's date."))
        if row.errors or patent is None or event_type is None:
            return None
        event = self.event_input(row, event_type, words)
        _stored, outcome = legal_event_apply(
            actor=self.actor,
            patent=patent,
            event=event,
            batch=self.report.batch,
            source=self.source,
        )
        types = self.report.event_types
        types[event_type] = types.get(event_type, 0) + 1
        return outcome

    def event_input(self, row: Row, event_type: str, words: str) -> EventInput:
        """The row's event: its columns, else the labelled values of its details."""
        values = row.values
        text = values.get("details", "")
        read = details_of(text)

        def given(name: str) -> str:
            return cells.text(values.get(name)) or read.get(name, "")

        new_holders = values.get("new_holders") or cells.items(read.get("new_holders", ""))
        licensee = given("licensee")
        if event_type == EventType.TRANSFER and not new_holders:
            new_holders = cells.items(read.get("licensee", ""))  # 受让人 of a transfer
        if event_type != EventType.TRANSFER and not licensee and values.get("new_holders"):
            licensee = values["new_holders"][0]  # 受让人 of a licence
        amount = values.get("amount_cny")
        if amount is None and read.get("amount_cny"):
            try:
                amount = cells.decimal(read["amount_cny"].removesuffix("元"))
            except ValueError:
                amount = None
        return EventInput(
            event_date=values["event_date"],
            event_type=event_type,
            source_words=words,
            number=cells.normalised(given("number")).upper()[:40],
            details_text=text,
            new_holders=new_holders,
            previous_holders=values.get("previous_holders")
            or cells.items(read.get("previous_holders", "")),
            licensor=given("licensor"),
            licensee=licensee,
            licence_kind=given("licence_kind"),
            pledgor=given("pledgor"),
            pledgee=given("pledgee"),
            amount_cny=amount,
            debt_start=values.get("debt_start"),
            debt_end=values.get("debt_end"),
        )

    def error_column(self, key: str, message: str) -> tuple[str | None, str]:
        if key.startswith("patents[") or key == "patents":
            return "patent_number", message
        if key in FIELD_COLUMNS:
            return FIELD_COLUMNS[key], message
        return super().error_column(key, message)

    # --- Exporting ------------------------------------------------------------------------
    @classmethod
    def export_queryset(cls, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("patent").only(
            *("id", "event_date", "event_type", "source_words", "number", "details_text"),
            *("details", "patent__id", "patent__application_number", "patent__publication_number"),
        )
