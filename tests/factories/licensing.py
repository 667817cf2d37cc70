"""Offers, licence records and pledges, written by ``patents.licensing``.

``OfferFactory`` is an open licence at 3 % of net sales for 2026-2030 of ``patents``, by
their current holder, as a draft; ``status="pending_review"`` also submits it (as
``actor``) and ``status="published"`` has ``reviewer`` (an operator) approve it, so a
published offer has been through the eligibility rules, the review and ``has_offer``.
``LicenceRecordFactory`` records an ordinary licence for 2025-2030 and
``PledgeFactory`` a pledge to 上海银行 of 5,000,000 CNY for 2025-2028, both by the
patents' current holder.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from conversion_db.services import Actor
from patents.licensing import offers, records
from patents.models import Holder, LicenceRecord, LicensingOffer, OfferStatus, Patent, Pledge
from tests.factories.base import ServiceFactory
from tests.factories.patents import current_holder


class OfferFactory(ServiceFactory[LicensingOffer]):
    class Meta:
        model = LicensingOffer

    actor: Actor = None
    reviewer: Actor = None
    status = OfferStatus.DRAFT
    patents: Any = factory.LazyFunction(list)
    holder = factory.LazyAttribute(lambda offer: current_holder(offer.patents[0]))
    offer_type = "open_licence"
    title = "锂电池正极材料开放许可"
    pricing_mode = "royalty_net_sales"
    royalty_rate = Decimal("3.00")
    term_start = datetime.date(2026, 1, 1)
    term_end = datetime.date(2030, 12, 31)

    @classmethod
    def _create(
        cls,
        model_class: type,
        *args: Any,
        actor: Actor,
        reviewer: Actor,
        status: str,
        patents: list[Patent],
        holder: Holder,
        **values: Any,
    ) -> LicensingOffer:
        if status not in (OfferStatus.DRAFT, OfferStatus.PENDING_REVIEW, OfferStatus.PUBLISHED):
            raise ValueError(
                f"OfferFactory makes drafts, pending or published offers, not {status}"
            )
        offer = offers.offer_create(
            actor=actor, holder=holder, values=values, patent_ids=[p.pk for p in patents]
        )
        if status != OfferStatus.DRAFT:
            offer = offers.offer_submit(actor=actor, offer=offer, expected_version=offer.version)
        if status == OfferStatus.PUBLISHED:
            offer = offers.offer_review(
                actor=reviewer, offer=offer, approve=True, note="", expected_version=offer.version
            )
        return offer


class LicenceRecordFactory(ServiceFactory[LicenceRecord]):
    class Meta:
        model = LicenceRecord

    actor: Actor = None
    patents: Any = factory.LazyFunction(list)
    licensor = factory.LazyAttribute(lambda record: current_holder(record.patents[0]))
    licensee_name = "上海某新能源有限公司"
    kind = "ordinary"
    term_start = datetime.date(2025, 1, 10)
    term_end = datetime.date(2030, 1, 9)
    contract_date = datetime.date(2025, 1, 10)
    recordation_date = datetime.date(2025, 3, 1)

    @classmethod
    def _create(
        cls,
        model_class: type,
        *args: Any,
        actor: Actor,
        patents: list[Patent],
        licensor: Holder,
        **values: Any,
    ) -> LicenceRecord:
        record, _warnings = records.licence_record_create(
            actor=actor, licensor=licensor, values=values, patent_ids=[p.pk for p in patents]
        )
        return record


class PledgeFactory(ServiceFactory[Pledge]):
    class Meta:
        model = Pledge

    actor: Actor = None
    patents: Any = factory.LazyFunction(list)
    pledgor = factory.LazyAttribute(lambda pledge: current_holder(pledge.patents[0]))
    pledgee_name = "上海银行"
    secured_amount_cny = Decimal("5000000")
    registration_date = datetime.date(2025, 5, 1)
    debt_end = datetime.date(2028, 5, 1)

    @classmethod
    def _create(
        cls,
        model_class: type,
        *args: Any,
        actor: Actor,
        patents: list[Patent],
        pledgor: Holder,
        **values: Any,
    ) -> Pledge:
        return records.pledge_create(
            actor=actor, pledgor=pledgor, values=values, patent_ids=[p.pk for p in patents]
        )
