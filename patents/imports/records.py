"""Bulk import and export of licensing offers, licence records and pledges.

One importer per kind of file (``OFFERS``, ``LICENCES``, ``PLEDGES``) over one
all-or-nothing runner (``import_records``), used by ``POST /api/v1/{offers,licences,
pledges}/import/``, ``manage.py import_offers|import_licences|import_pledges`` and the
admin. The files are read by ``patents.imports.patents`` (CSV in UTF-8 or GB18030, XLSX, JSON
Lines) in the columns below; an unknown column is an error.

Every row is written through the services, so every rule of DOMAIN.md 7-9 applies to it
exactly as to the API: ``offers.offer_create`` / ``offer_update`` / ``offer_submit``,
``records.licence_record_create``, ``records.pledge_create``. Each row runs in its own
savepoint inside the file's transaction, so a later row sees the earlier ones (two
exclusive licences of one patent in one file conflict) and a refused row is undone
alone; the row's errors come back by row, column and message (a rule about one patent of
the row is reported on ``patents``, prefixed with that patent's number). If any row has
an error, or on a dry run, the whole transaction is rolled back: nothing is written, and
every error of every row is still reported. Every history row written carries the
import's batch id.

Cells:

- ``patents``: numbers of patents in any accepted spelling (application, publication,
  grant, PCT or WO number, as the ``number`` filter takes them), separated by ``|`` or
  ``;``. Exports write application numbers (a publication number when there is none).
- ``holder`` / ``licensor`` / ``pledgor``: a holder's id or exact name. A holder's member
  (or ``--holder``) imports for that holder: an empty cell means it, another holder is
  refused. An operator without ``--holder`` names the holder on each row.
- Dates ``YYYY-MM-DD`` (and the spellings the patent import reads), booleans
  ``true``/``false`` (是/否), amounts in CNY as plain numbers, choice columns as their code
  (``exclusive``) or label in English or Chinese (``独占许可``).
- For an existing record an empty cell keeps (and is not compared with) the record's
  value, so a file exported without the private columns (see below) imports again
  unchanged; a field cannot be cleared by import. For a new record an empty cell is the
  field's default.

Keys and upserts:

- Offers: ``offer_id``. Empty creates a draft offer (``submit`` true sends it for review
  at once, which runs the eligibility rules, e.g. open licence of a patent not yet
  granted). With an id, the offer is compared: identical is ``unchanged``; otherwise it is
  changed with ``offer_update``, which only changes drafts (the rule's message otherwise),
  and ``submit`` true then submits it. ``status`` is written by exports and ignored by
  imports (statuses change through review, not files).
- Licence records (``licence_id``, else ``recordation_number``) and pledges
  (``pledge_id``, else ``registration_number``) are registrations: no service changes
  them once recorded. A row matching one is ``unchanged`` when every non-empty cell equals
  the record, and otherwise an error on each differing column; nothing is overwritten. A
  row matching none is recorded. ``status`` of pledges is export-only, like offers'.

Exports write the same columns, for the rows the list endpoint shows with its filters.
The columns only a record's parties (and operators) see in the API (offer contacts and
consents, licence amounts and credit codes, pledge amounts and debt periods) are empty
for everyone else, so exports leak nothing the API does not show.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conversion_db.models import import_batch
from conversion_db.services import Actor, StaleVersion
from patents.imports.patents import (
    EXPORT_SEPARATOR,
    FileFormat,
    ImportFileError,
    ImportReport,
    Layout,
    cell_boolean,
    cell_date,
    cell_list,
    cell_text,
    pop_cell_errors,
    read_rows,
)
from patents.licensing import offers, records
from patents.models import (
    Holder,
    LicenceKind,
    LicenceRecord,
    LicensingOffer,
    OfferPatent,
    OfferStatus,
    OfferType,
    Patent,
    Pledge,
    PricingMode,
)
from patents.register import numbers
from patents.register.selectors import with_number
from patents.register.uscc import UsccError, normalise_uscc

OFFER_COLUMNS = (
    "offer_id", "holder", "patents", "offer_type", "pricing_mode", "lump_sum_cny",
    "royalty_rate", "term_start", "term_end", "territory", "field_of_use",
    "sublicensing_allowed", "title", "title_en", "description", "description_en",
    "contact_name", "contact_email", "contact_phone", "pledgee_consent", "co_owners_consent",
    "evaluation_report", "status", "submit",
)  # fmt: skip
LICENCE_COLUMNS = (
    "licence_id", "recordation_number", "licensor", "licensee_name", "licensee_uscc", "kind",
    "patents", "term_start", "term_end", "contract_date", "recordation_date",
    "under_open_licence", "amount_cny", "source",
)  # fmt: skip
PLEDGE_COLUMNS = (
    "pledge_id", "registration_number", "pledgor", "pledgee_name", "pledgee_uscc", "patents",
    "trademark_numbers", "secured_amount_cny", "registration_date", "debt_start", "debt_end",
    "consents_to_licensing", "status",
)  # fmt: skip
# What only the record's parties and operators see (the API's detail serializers).
OFFER_PRIVATE = frozenset(
    {"contact_name", "contact_email", "contact_phone", "pledgee_consent", "co_owners_consent",
     "evaluation_report"}
)  # fmt: skip
LICENCE_PRIVATE = frozenset({"licensee_uscc", "amount_cny", "source"})
PLEDGE_PRIVATE = frozenset(
    {"pledgee_uscc", "secured_amount_cny", "debt_start", "debt_end", "trademark_numbers",
     "consents_to_licensing"}
)  # fmt: skip
EXPORT_ONLY = frozenset({"status"})
CHUNK_SIZE = 500


# --- Cells ------------------------------------------------------------------------------------
def _whole(text: str) -> int | None:
    """A database id written in ``text`` (ASCII digits, within a bigint), else None."""
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**63:
        return int(text)
    return None


def _identifier(value: Any) -> int:
    text = cell_text(value)
    if _whole(text) is None:
        raise ValueError(_("Write the record's id, a whole number (empty for a new record)."))
    return int(text)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(_("Write an amount as a number, e.g. 120000.00."))
    text = cell_text(value).replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Write an amount as a number, e.g. 120000.00.")) from None
    if not number.is_finite():
        raise ValueError(_("Write an amount as a number, e.g. 120000.00."))
    return number


def _chooser(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    def choose(value: Any) -> str:
        text = cell_text(value)
        words = {code: code for code in choices.values}
        for code, label in choices.choices:
            words[str(label).lower()] = code
            with translation.override("zh-hans"):
                words[str(label)] = code
        found = words.get(text.lower()) or words.get(text)
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(choices.values)}
            )
        return found

    return choose


def _raw_text(value: Any) -> str:
    return str(value if value is not None else "").strip()


@dataclass(frozen=True)
class Kind:
    """One kind of file: its columns, how to read each, what the public may not see."""

    name: str
    layout: Layout
    readers: dict[str, Callable[[Any], Any]]
    private: frozenset[str]
    model: type[models.Model]
    party: str  # the holder column (and model field)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.layout.columns


_DATES = dict.fromkeys(
    ("term_start", "term_end", "contract_date", "recordation_date", "registration_date",
     "debt_start", "debt_end"),
    cell_date,
)  # fmt: skip

OFFERS = Kind(
    "offers",
    Layout(OFFER_COLUMNS),
    {
        "offer_id": _identifier,
        "patents": cell_list,
        "offer_type": _chooser(OfferType),
        "pricing_mode": _chooser(PricingMode),
        "lump_sum_cny": _decimal,
        "royalty_rate": _decimal,
        **_DATES,
        "sublicensing_allowed": cell_boolean,
        "pledgee_consent": cell_boolean,
        "co_owners_consent": cell_boolean,
        "evaluation_report": cell_boolean,
        "submit": cell_boolean,
        "description": _raw_text,
        "description_en": _raw_text,
    },
    OFFER_PRIVATE,
    LicensingOffer,
    "holder",
)
LICENCES = Kind(
    "licences",
    Layout(LICENCE_COLUMNS),
    {
        "licence_id": _identifier,
        "patents": cell_list,
        "kind": _chooser(LicenceKind),
        "amount_cny": _decimal,
        **_DATES,
        "under_open_licence": cell_boolean,
    },
    LICENCE_PRIVATE,
    LicenceRecord,
    "licensor",
)
PLEDGES = Kind(
    "pledges",
    Layout(PLEDGE_COLUMNS),
    {
        "pledge_id": _identifier,
        "patents": cell_list,
        "trademark_numbers": cell_list,
        "secured_amount_cny": _decimal,
        **_DATES,
        "consents_to_licensing": cell_boolean,
    },
    PLEDGE_PRIVATE,
    Pledge,
    "pledgor",
)
KINDS = {kind.name: kind for kind in (OFFERS, LICENCES, PLEDGES)}


@dataclass
class Row:
    line: int
    values: dict[str, Any]  # the non-empty cells, typed (export-only columns dropped)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, column: str | None, message: Any) -> None:
        self.errors.setdefault(column or "", []).append(str(message))


def _parse(kind: Kind, line: int, raw: dict[str, Any]) -> Row | None:
    row = Row(line, {})
    if "__error__" in raw:
        column, message = raw["__error__"]
        row.error(column, message)
        return row
    for column, message in pop_cell_errors(raw).items():
        row.error(column, message)
    if all(cell_text(v) == "" and not isinstance(v, bool | list) for v in raw.values()):
        return row if row.errors else None
    for column, value in raw.items():
        if column in EXPORT_ONLY or (cell_text(value) == "" and not isinstance(value, bool)):
            continue
        if isinstance(value, list) and not value:
            continue
        try:
            row.values[column] = kind.readers.get(column, cell_text)(value)
        except ValueError as exc:
            row.error(column, exc.args[0])
    return row


# --- Looking things up ------------------------------------------------------------------------
def _number_of(patent: Patent) -> str:
    return patent.application_number or patent.publication_number


@dataclass
class _Importer:
    kind: Kind
    actor: Actor
    owner: Holder | None
    report: ImportReport
    seen: dict[int, int] = field(default_factory=dict)
    numbers_by_id: dict[int, str] = field(default_factory=dict)

    # Shared steps
    def patent_ids(self, row: Row) -> list[int] | None:
        """The ids of the row's patents (None when the column is empty or absent)."""
        if "patents" not in row.values:
            return None
        ids = []
        for text in row.values["patents"]:
            try:
                patent = with_number(Patent.objects.all(), text).order_by("id").first()
            except numbers.PatentNumberError as exc:
                row.error("patents", f"{text}: {exc.message}")
                continue
            if patent is None:
                row.error("patents", _("No patent has the number “%(number)s”.") % {"number": text})
                continue
            self.numbers_by_id[patent.pk] = _number_of(patent)
            ids.append(patent.pk)
        return list(dict.fromkeys(ids))

    def party(self, row: Row) -> Holder | None:
        """The holder a new record is for: the row's, or the importer's own."""
        column = self.kind.party
        text = row.values.get(column)
        if text is None:
            if self.owner is None:
                row.error(column, _("Name the holder (its id or exact name)."))
            return self.owner
        pk = _whole(text)
        found = list((Holder.objects.filter(pk=pk) if pk else Holder.objects.filter(name=text))[:2])
        if not found:
            row.error(column, _("No holder has the id or name “%(value)s”.") % {"value": text})
            return None
        if len(found) > 1:
            row.error(
                column, _("Several holders are called “%(value)s”; give its id.") % {"value": text}
            )
            return None
        if self.owner is not None and found[0].pk != self.owner.pk:
            row.error(
                column,
                _("You import for “%(name)s”; this row names another holder.")
                % {"name": self.owner.name},
            )
            return None
        return found[0]

    def same_party(self, row: Row, holder: Holder) -> bool:
        text = row.values.get(self.kind.party)
        return text is None or text in (str(holder.pk), holder.name)

    def first_time(self, row: Row, pk: int) -> bool:
        first = self.seen.setdefault(pk, row.line)
        if first != row.line:
            row.error(None, _("The same record as row %(row)d.") % {"row": first})
            return False
        return True

    def visible(self, holder_id: int) -> bool:
        return self.owner is None or holder_id == self.owner.pk

    def add_validation_error(self, row: Row, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                row.error(None, message)
            return
        for key, errors in exc.error_dict.items():
            for message in ValidationError(errors).messages:
                column: str | None = key
                if key.startswith("patents[") and key.endswith("]"):
                    number = self.numbers_by_id.get(int(key[8:-1])) if key[8:-1].isdigit() else None
                    column, message = "patents", f"{number or key}: {message}"
                elif key == NON_FIELD_ERRORS:
                    column = None
                elif key not in self.kind.columns:
                    column, message = None, f"{key}: {message}"
                row.error(column, message)

    def import_row(self, row: Row) -> str:
        """Write one row through the services: "created", "updated" or "unchanged"; errors
        go into ``row.errors`` (or raise ValidationError from a service)."""
        raise NotImplementedError


class _OfferImporter(_Importer):
    def import_row(self, row: Row) -> str:
        values = {k: v for k, v in row.values.items() if k in offers.OFFER_FIELDS}
        submit = bool(row.values.get("submit"))
        offer_id = row.values.get("offer_id")
        patent_ids = self.patent_ids(row)
        if offer_id is None:
            holder = self.party(row)
            if "offer_type" not in values:
                row.error("offer_type", _("This field is required."))
            if row.errors or holder is None:
                return ""
            offer = offers.offer_create(
                actor=self.actor, holder=holder, values=values, patent_ids=patent_ids or []
            )
            if submit:
                offers.offer_submit(actor=self.actor, offer=offer, expected_version=None)
            return "created"
        found = LicensingOffer.objects.select_related("holder").filter(pk=offer_id).first()
        if found is None or not self.visible(found.holder_id):
            row.error(
                "offer_id", _("No offer you may change has the id %(id)d.") % {"id": offer_id}
            )
            return ""
        offer = found
        if not self.first_time(row, offer.pk):
            return ""
        if not self.same_party(row, offer.holder):
            row.error("holder", _("The holder of a record cannot change."))
        if row.errors:
            return ""
        changed = {k: v for k, v in values.items() if getattr(offer, k) != v}
        current = list(offer.items.order_by("order", "id").values_list("patent_id", flat=True))
        patents_changed = patent_ids is not None and patent_ids != current
        if changed or patents_changed:
            offer = offers.offer_update(
                actor=self.actor,
                offer=offer,
                values=changed,
                patent_ids=patent_ids if patents_changed else None,
                expected_version=None,
            )
        elif not (submit and offer.status == OfferStatus.DRAFT):
            return "unchanged"
        if submit and offer.status == OfferStatus.DRAFT:
            offers.offer_submit(actor=self.actor, offer=offer, expected_version=None)
        return "updated"


class _RegistrationImporter(_Importer):
    """Licence records and pledges: created through their service, never changed."""

    id_column: str
    number_column: str
    fields: tuple[str, ...]
    uscc_column: str

    def create(self, party: Holder, values: dict[str, Any], patent_ids: list[int]) -> None:
        raise NotImplementedError

    def existing(self, row: Row) -> Any:
        model = self.kind.model
        pk = row.values.get(self.id_column)
        if pk is not None:
            found = model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
            if found is None or not self.visible(getattr(found, f"{self.kind.party}_id")):
                row.error(
                    self.id_column,
                    _("No record you may see has the id %(id)d.") % {"id": pk},
                )
            return found
        number = row.values.get(self.number_column)
        if number:
            return (
                model.objects.filter(**{self.number_column: number})  # type: ignore[attr-defined]
                .order_by("id")
                .first()
            )
        return None

    def import_row(self, row: Row) -> str:
        values = {k: v for k, v in row.values.items() if k in self.fields}
        patent_ids = self.patent_ids(row)
        record = self.existing(row)
        if row.errors:
            return ""
        if record is None:
            party = self.party(row)
            if row.errors or party is None:
                return ""
            self.create(party, values, patent_ids or [])
            return "created"
        if not self.visible(getattr(record, f"{self.kind.party}_id")):
            row.error(
                self.number_column,
                _("This number is registered for another holder's record."),
            )
            return ""
        if not self.first_time(row, record.pk):
            return ""
        if not self.same_party(row, getattr(record, self.kind.party)):
            row.error(self.kind.party, _("The holder of a record cannot change."))
        if self.uscc_column in values:
            # An invalid code is compared as written: it differs from the recorded one.
            with contextlib.suppress(UsccError):
                values[self.uscc_column] = normalise_uscc(values[self.uscc_column])
        differing = [k for k, v in values.items() if getattr(record, k) != v]
        if patent_ids is not None and set(patent_ids) != {p.pk for p in record.patents.all()}:
            differing.append("patents")
        for column in differing:
            row.error(
                column,
                _(
                    "Differs from the registered record %(id)d, which an import does not "
                    "change; correct the file or ask an operator."
                )
                % {"id": record.pk},
            )
        return "" if row.errors else "unchanged"


class _LicenceImporter(_RegistrationImporter):
    id_column, number_column, fields, uscc_column = (
        "licence_id",
        "recordation_number",
        records.LICENCE_FIELDS,
        "licensee_uscc",
    )

    def create(self, party: Holder, values: dict[str, Any], patent_ids: list[int]) -> None:
        records.licence_record_create(
            actor=self.actor, licensor=party, values=values, patent_ids=patent_ids
        )


class _PledgeImporter(_RegistrationImporter):
    id_column, number_column, fields, uscc_column = (
        "pledge_id",
        "registration_number",
        records.PLEDGE_FIELDS,
        "pledgee_uscc",
    )

    def create(self, party: Holder, values: dict[str, Any], patent_ids: list[int]) -> None:
        records.pledge_create(actor=self.actor, pledgor=party, values=values, patent_ids=patent_ids)


IMPORTERS: dict[str, type[_Importer]] = {
    "offers": _OfferImporter,
    "licences": _LicenceImporter,
    "pledges": _PledgeImporter,
}


# --- The runner -------------------------------------------------------------------------------
class _Rollback(Exception):
    pass


def import_records(
    kind: Kind,
    *,
    actor: Actor,
    stream: IO[bytes],
    file_format: FileFormat,
    owner: Holder | None = None,
    dry_run: bool = False,
    max_rows: int | None = None,
) -> ImportReport:
    """Import a file of ``kind`` (see the module's docstring for the rules)."""
    report = ImportReport(batch=uuid.uuid4(), dry_run=dry_run)
    importer = IMPORTERS[kind.name](kind=kind, actor=actor, owner=owner, report=report)
    try:
        with import_batch(report.batch), transaction.atomic():
            for line, raw in read_rows(stream, file_format, kind.layout):
                row = _parse(kind, line, raw)
                if row is None:
                    continue
                report.rows += 1
                if max_rows is not None and report.rows > max_rows:
                    raise ImportFileError(
                        "too_many_rows",
                        _("At most %(limit)d rows per file here; split the file.")
                        % {"limit": max_rows},
                    )
                _run_row(importer, row)
            if not report.written:
                raise _Rollback
    except _Rollback:
        pass
    except ImportFileError as exc:
        report.add_error(1, exc.column, exc.code, exc.message)
    if not report.ok:
        report.created = report.updated = report.unchanged = 0
    return report


def _run_row(importer: _Importer, row: Row) -> None:
    report = importer.report
    outcome = ""
    if not row.errors:
        try:
            with transaction.atomic():  # a savepoint: a refused row is undone alone
                outcome = importer.import_row(row)
                if row.errors:
                    raise _Rollback
        except _Rollback:
            pass
        except ValidationError as exc:
            importer.add_validation_error(row, exc)
        except StaleVersion:
            row.error(None, _("The record changed while the file was imported; try again."))
    for column, messages in row.errors.items():
        for message in dict.fromkeys(messages):
            report.add_error(row.line, column or None, "invalid", message)
    if not row.errors and outcome:
        setattr(report, outcome, getattr(report, outcome) + 1)


# --- Exporting --------------------------------------------------------------------------------
def export_queryset(kind: Kind, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The records with their holder and patents (a fixed number of queries per chunk)."""
    if kind is OFFERS:
        items = OfferPatent.objects.select_related("patent").order_by("order", "id")
        return (
            queryset.select_related("holder")
            .prefetch_related(None)
            .prefetch_related(Prefetch("items", queryset=items, to_attr="ordered_items"))
        )
    patents = Patent.objects.only("id", "application_number", "publication_number").order_by("id")
    return (
        queryset.select_related(kind.party)
        .prefetch_related(None)
        .prefetch_related(Prefetch("patents", queryset=patents, to_attr="listed_patents"))
    )


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return EXPORT_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def export_row(kind: Kind, record: Any, *, private: bool) -> list[str]:
    """A record in ``kind``'s columns; the private columns empty unless ``private``."""
    cells = []
    for column in kind.columns:
        if column in kind.private and not private:
            value: Any = None
        elif column == f"{kind.name[:-1]}_id":
            value = record.pk
        elif column == kind.party:
            value = getattr(record, kind.party).name
        elif column == "patents":
            patents = (
                [item.patent for item in record.ordered_items]
                if kind is OFFERS
                else record.listed_patents
            )
            value = [_number_of(p) for p in patents]
        elif column == "submit":
            value = None
        else:
            value = getattr(record, column)
        cells.append(_cell(value))
    return cells


def export_rows(
    kind: Kind, queryset: QuerySet[Any], *, private_for: Iterable[int] | None
) -> Iterator[list[str]]:
    """Rows of the records; ``private_for``: the holder ids whose records show their private
    columns (None: all, for operators)."""
    holders = None if private_for is None else set(private_for)
    party_id = f"{kind.party}_id"
    for record in export_queryset(kind, queryset).iterator(chunk_size=CHUNK_SIZE):
        private = holders is None or getattr(record, party_id) in holders
        yield export_row(kind, record, private=private)


def jsonl_lines(rows: Iterable[list[str]], columns: Iterable[str]) -> Iterator[str]:
    names = list(columns)
    for row in rows:
        yield json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"


def file_bytes(kind: Kind, rows: Iterable[list[str]], file_format: FileFormat) -> bytes:
    """A whole file (for the admin and tests; the API streams CSV and JSON Lines)."""
    from patents.imports.patents import csv_lines, xlsx_bytes

    if file_format == FileFormat.XLSX:
        return xlsx_bytes(rows, kind.columns, kind.name)
    lines = (
        jsonl_lines(rows, kind.columns)
        if file_format == FileFormat.JSONL
        else csv_lines(rows, kind.columns)
    )
    buffer = io.StringIO()
    buffer.writelines(lines)
    return buffer.getvalue().encode("utf-8")
