"""The offers import kind: licensing offers from files, as drafts, through the offers
services (``patents.licensing.offers``); used by ``POST /api/v1/offers/import/``,
``manage.py import_offers`` and the admin.

Upsert on ``offer_id``. A blank id creates a draft offer (``submit`` true sends it for
review at once, which runs the eligibility rules, e.g. open licence of a patent not yet
granted). With an id, the offer is compared: identical is ``unchanged``; otherwise it is
changed with ``offer_update``, which only changes drafts (the rule's message otherwise),
and ``submit`` true then submits it. ``status`` is written by exports and ignored by
imports (statuses change through review, not files). The shared rules of the three
record kinds are in ``patents.imports.records``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
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
from patents.licensing import offers
from patents.models import LicensingOffer, OfferPatent, OfferStatus, OfferType, PricingMode

TABLE = Columns(
    identifier_column("offer_id", "the offer to change (blank: a new draft)"),
    holder_column("holder"),
    patents_column(lambda offer: [item.patent for item in offer.ordered_items]),
    Column("offer_type", cells.choice(OfferType), doc="code or label (独占实施许可)"),
    Column("pricing_mode", cells.choice(PricingMode), doc="code or label"),
    Column("lump_sum_cny", cells.decimal, doc="CNY"),
    Column("royalty_rate", cells.decimal, doc="percent"),
    date_column("term_start"),
    date_column("term_end"),
    Column("territory"),
    Column("field_of_use"),
    Column("sublicensing_allowed", cells.boolean, doc="true / false"),
    Column("title"),
    Column("title_en"),
    Column("description", cells.long_text, doc="line breaks kept"),
    Column("description_en", cells.long_text, doc="line breaks kept"),
    Column("contact_name", private=True),
    Column("contact_email", private=True),
    Column("contact_phone", private=True),
    Column("pledgee_consent", cells.boolean, private=True, doc="true / false"),
    Column("co_owners_consent", cells.boolean, private=True, doc="true / false"),
    Column("evaluation_report", cells.boolean, private=True, doc="true / false"),
    STATUS_COLUMN,
    Column(
        "submit",
        cells.boolean,
        export=lambda offer: None,
        doc="true: send the offer for review (imports only)",
    ),
)
OFFER_COLUMNS = TABLE.names


class OfferImport(RecordImport):
    name = "offers"
    columns = TABLE
    model = LicensingOffer
    party = "holder"

    def import_row(self, row: Row) -> Outcome | None:
        values = {k: v for k, v in row.values.items() if k in offers.OFFER_FIELDS}
        submit = bool(row.values.get("submit"))
        offer_id = row.values.get("offer_id")
        patent_ids = self.patent_ids(row)
        if offer_id is None:
            holder = self.holder_for(row)
            if "offer_type" not in values:
                row.error("offer_type", _("This field is required."))
            if row.errors or holder is None:
                return None
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
            return None
        offer = found
        if not self.first_time(row, offer.pk):
            return None
        if not self.same_party(row, offer.holder):
            row.error("holder", _("The holder of a record cannot change."))
        if row.errors:
            return None
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

    @classmethod
    def export_queryset(cls, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The offers with their holder and their patents in the offer's order."""
        items = OfferPatent.objects.select_related("patent").order_by("order", "id")
        return (
            queryset.select_related("holder")
            .prefetch_related(None)
            .prefetch_related(Prefetch("items", queryset=items, to_attr="ordered_items"))
        )
