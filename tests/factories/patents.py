"""Holders and patents, written by ``patents.register.services``.

``PatentFactory`` is a granted invention in force (a lithium-ion battery cathode, filed
2019-03-21, granted 2021-06-01, no IPC symbols unless given) with a fresh application
number; ``holders`` become its current holders and ``applicants`` its original applicants,
in that order of roles as ``HoldingInput`` takes them. ``pending=True`` leaves it
ungranted; ``bare=True`` gives it nothing but its number and title (a pending application
without dates); ``publication_only=True`` numbers it by a publication number alone.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory

from conversion_db.services import Actor
from patents.models import Holder, Holding, Patent
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from tests.factories.base import ServiceFactory
from tests.factories.identifiers import application_number, publication_number


class HolderFactory(ServiceFactory[Holder]):
    """``services.holder_create``: a holder named in the series 第n大学 unless named;
    its kind is guessed from the name, as the service does, unless given. ``verified=True``
    then verifies it as an operator does (``services.holders_verify``): only verified
    holders' offers are published."""

    class Meta:
        model = Holder

    actor: Actor = None
    verified = False
    name = factory.Sequence(lambda n: f"第{n}大学")

    @classmethod
    def _create(
        cls, model_class: type, *args: Any, actor: Actor, verified: bool, **data: Any
    ) -> Holder:
        holder = services.holder_create(actor=actor, data=data)
        if verified:
            services.holders_verify(actor=actor, holders=[holder])
            holder.refresh_from_db()
        return holder


class PatentFactory(ServiceFactory[Patent]):
    """``services.patent_create`` with the holdings named (see the module docstring)."""

    class Meta:
        model = Patent

    class Params:
        pending = factory.Trait(grant_date=None, legal_status="pending")
        bare = factory.Trait(filing_date=None, grant_date=None, legal_status="pending")
        publication_only = factory.Trait(
            application_number=None,
            publication_number=factory.Sequence(publication_number),
        )

    actor: Actor = None
    holders: Any = factory.LazyFunction(list)
    applicants: Any = factory.LazyFunction(list)
    application_number = factory.Sequence(application_number)
    title = "一种锂离子电池正极材料"
    filing_date = datetime.date(2019, 3, 21)
    grant_date = datetime.date(2021, 6, 1)
    legal_status = "in_force"

    @classmethod
    def _create(
        cls,
        model_class: type,
        *args: Any,
        actor: Actor,
        holders: list[Holder],
        applicants: list[Holder],
        **values: Any,
    ) -> Patent:
        holdings = [HoldingInput(h, role=Holding.Role.APPLICANT) for h in applicants] + [
            HoldingInput(h) for h in holders
        ]
        return services.patent_create(
            actor=actor, data=PatentInput(values=values, holdings=holdings)
        )


def current_holder(patent: Patent) -> Holder:
    """The first current holder of ``patent`` (who offers, licenses or pledges it)."""
    return patent.holdings.filter(role=Holding.Role.CURRENT).order_by("order", "id")[0].holder
