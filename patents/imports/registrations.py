"""The licence records and pledges import kinds: registrations from files, recorded
through their services (``patents.licensing.records``); used by ``POST /api/v1/
{licences,pledges}/import/``, ``manage.py import_licences|import_pledges`` and the admin.

Licence records (``licence_id``, else ``recordation_number``) and pledges (``pledge_id``,
else ``registration_number``) are registrations: no service changes them once recorded.
A row matching one is ``unchanged`` when every non-blank cell equals the record, and
otherwise an error on each differing column; nothing is overwritten. A row matching none
is recorded. ``status`` of pledges is export-only. The shared rules of the three record
kinds are in ``patents.imports.records``.
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from conversion_db.tabular import cells
from conversion_db.tabular.columns import Column, Columns
from conversion_db.tabular.kinds import Row
from conversion_db.tabular.report import Outcome
from patents.imports.records import (
    STATUS_COLUMN,
    RecordImport,
    date_column,
    holder_column,
    identifier_column,
    patents_column,
)
from patents.licensing import records
from patents.models import Holder, LicenceKind, LicenceRecord, Pledge
from patents.register.uscc import UsccError, normalise_uscc


def _listed_patents(record: Any) -> Any:
    return record.listed_patents  # prefetched by RecordImport.export_queryset


LICENCE_TABLE = Columns(
    identifier_column("licence_id", "the record, to compare with (blank: by recordation number)"),
    Column("recordation_number", doc="备案号"),
    holder_column("licensor"),
    Column("licensee_name"),
    Column("licensee_uscc", private=True, doc="统一社会信用代码"),
    Column("kind", cells.choice(LicenceKind), doc="code or label (独占实施许可)"),
    patents_column(_listed_patents),
    date_column("term_start"),
    date_column("term_end"),
    date_column("contract_date"),
    date_column("recordation_date"),
    Column("under_open_licence", cells.boolean, doc="true / false"),
    Column("amount_cny", cells.decimal, private=True, doc="CNY"),
    Column("source", private=True),
)
PLEDGE_TABLE = Columns(
    identifier_column("pledge_id", "the pledge, to compare with (blank: by registration number)"),
    Column("registration_number", doc="质押登记号"),
    holder_column("pledgor"),
    Column("pledgee_name"),
    Column("pledgee_uscc", private=True, doc="统一社会信用代码"),
    patents_column(_listed_patents),
    Column("trademark_numbers", cells.split, private=True, doc="list"),
    Column("secured_amount_cny", cells.decimal, private=True, doc="CNY"),
    date_column("registration_date"),
    date_column("debt_start", private=True),
    date_column("debt_end", private=True),
    Column("consents_to_licensing", cells.boolean, private=True, doc="true / false"),
    STATUS_COLUMN,
)
LICENCE_COLUMNS = LICENCE_TABLE.names
PLEDGE_COLUMNS = PLEDGE_TABLE.names


class RegistrationImport(RecordImport):
    """Licence records and pledges: created through their service, never changed."""

    id_column: ClassVar[str]
    number_column: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]
    uscc_column: ClassVar[str]

    def create(self, party: Holder, values: dict[str, Any], patent_ids: list[int]) -> None:
        raise NotImplementedError

    def existing(self, row: Row) -> Any:
        model = self.model
        pk = row.values.get(self.id_column)
        if pk is not None:
            found = model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
            if found is None or not self.visible(getattr(found, f"{self.party}_id")):
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

    def import_row(self, row: Row) -> Outcome | None:
        values = {k: v for k, v in row.values.items() if k in self.fields}
        patent_ids = self.patent_ids(row)
        record = self.existing(row)
        if row.errors:
            return None
        if record is None:
            party = self.holder_for(row)
            if row.errors or party is None:
                return None
            self.create(party, values, patent_ids or [])
            return "created"
        if not self.visible(getattr(record, f"{self.party}_id")):
            row.error(
                self.number_column,
                _("This number is registered for another holder's record."),
            )
            return None
        if not self.first_time(row, record.pk):
            return None
        if not self.same_party(row, getattr(record, self.party)):
            row.error(self.party, _("The holder of a record cannot change."))
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
        return None if row.errors else "unchanged"


class LicenceImport(RegistrationImport):
    name = "licences"
    columns = LICENCE_TABLE
    model = LicenceRecord
    party = "licensor"
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


class PledgeImport(RegistrationImport):
    name = "pledges"
    columns = PLEDGE_TABLE
    model = Pledge
    party = "pledgor"
    id_column, number_column, fields, uscc_column = (
        "pledge_id",
        "registration_number",
        records.PLEDGE_FIELDS,
        "pledgee_uscc",
    )

    def create(self, party: Holder, values: dict[str, Any], patent_ids: list[int]) -> None:
        records.pledge_create(actor=self.actor, pledgor=party, values=values, patent_ids=patent_ids)
