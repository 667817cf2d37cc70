"""Enterprises and the demand side, written by ``enterprises.services``.

``EnterpriseFactory`` registers an enterprise with a fresh credit code (its size class
computed as the service does; a non-operator ``actor`` becomes its administrator, as on
the API). ``DemandFactory`` posts a draft demand for solid electrolytes (``open_now=True``
opens and matches it). ``InquiryFactory`` asks about ``patent`` (or ``offer``, or
``match``) for ``enterprise``; ``DealFactory`` has the addressed holder record an ordinary
licence agreed through ``inquiry``; ``SavedSearchFactory`` saves a patent search for
H01M for ``actor`` (the user it belongs to).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from conversion_db.services import Actor
from enterprises.models import Deal, Enterprise, Inquiry, SavedSearch, TechnologyDemand
from enterprises.services.deals import deal_conclude
from enterprises.services.demands import demand_create
from enterprises.services.enterprises import enterprise_create
from enterprises.services.inquiries import inquiry_create
from enterprises.services.saved_searches import saved_search_create
from patents.models import Holder, Patent
from tests.factories.base import ServiceFactory
from tests.factories.identifiers import uscc


class EnterpriseFactory(ServiceFactory[Enterprise]):
    class Meta:
        model = Enterprise

    actor: Actor = None
    designations: Any = None
    name = factory.Sequence(lambda n: f"上海示例{n}号科技有限公司")
    uscc = factory.Sequence(uscc)

    @classmethod
    def _create(
        cls, model_class: type, *args: Any, actor: Actor, designations: Any, **values: Any
    ) -> Enterprise:
        return enterprise_create(actor=actor, values=values, designations=designations)


class DemandFactory(ServiceFactory[TechnologyDemand]):
    class Meta:
        model = TechnologyDemand

    actor: Actor = None
    enterprise = factory.SubFactory(EnterpriseFactory)
    open_now = False
    title = "寻求锂电池固态电解质技术"
    description = "用于动力锂电池的硫化物固态电解质。"
    keywords = factory.LazyFunction(lambda: ["固态电解质"])
    ipc_codes = factory.LazyFunction(lambda: ["H01M 10/0562"])
    wanted_offer_types = factory.LazyFunction(lambda: ["ordinary", "open_licence"])
    budget_max_cny = Decimal("2000000")

    @classmethod
    def _create(
        cls,
        model_class: type,
        *args: Any,
        actor: Actor,
        enterprise: Enterprise,
        open_now: bool,
        **values: Any,
    ) -> TechnologyDemand:
        return demand_create(actor=actor, enterprise=enterprise, values=values, open_now=open_now)


class InquiryFactory(ServiceFactory[Inquiry]):
    class Meta:
        model = Inquiry

    actor: Actor = None
    enterprise = factory.SubFactory(EnterpriseFactory)
    message = "请问许可条件？"
    patent: Any = None
    offer: Any = None
    match: Any = None

    @classmethod
    def _create(
        cls,
        model_class: type,
        *args: Any,
        actor: Actor,
        enterprise: Enterprise,
        message: str,
        patent: Patent | None,
        offer: Any,
        match: Any,
    ) -> Inquiry:
        return inquiry_create(
            actor=actor,
            enterprise=enterprise,
            message=message,
            patent_id=patent.pk if patent else None,
            offer_id=offer.pk if offer else None,
            match_id=match.pk if match else None,
        )


class DealFactory(ServiceFactory[Deal]):
    class Meta:
        model = Deal

    actor: Actor = None
    inquiry = factory.SubFactory(InquiryFactory)
    holder = factory.LazyAttribute(lambda deal: deal.inquiry.holder)
    kind = "ordinary"
    contract_date = datetime.date(2026, 11, 20)

    @classmethod
    def _create(
        cls,
        model_class: type,
        *args: Any,
        actor: Actor,
        inquiry: Inquiry,
        holder: Holder,
        **values: Any,
    ) -> Deal:
        deal, _warnings = deal_conclude(actor=actor, holder=holder, inquiry=inquiry, values=values)
        return deal


class SavedSearchFactory(ServiceFactory[SavedSearch]):
    class Meta:
        model = SavedSearch

    actor: Actor = None
    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "锂电池"
    target = SavedSearch.Target.PATENTS
    query = factory.LazyFunction(lambda: {"ipc": ["H01M"]})

    @classmethod
    def _create(
        cls, model_class: type, *args: Any, actor: Actor, enterprise: Enterprise, **values: Any
    ) -> SavedSearch:
        return saved_search_create(actor=actor, enterprise=enterprise, values=values)
