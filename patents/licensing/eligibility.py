"""What the licensing rules say about an offer's patents: their facts, and the verdict.

``licensing_facts`` gathers what ``patents.licensing.rules`` needs to know of one patent
(recorded licences, pledges, co-owners, an open licence in force, fee status);
``offer_eligibility`` runs the rules that fit the offer's type over each of its patents
and returns every error and warning, without writing. Submitting and approving an offer
refuse it with every blocking reason at once (``raise_if_ineligible``); recording a
licence or a pledge asks the same facts (``patents.licensing.records``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patents.licensing import rules
from patents.models import (
    Holding,
    LegalStatus,
    LicenceKind,
    LicenceRecord,
    LicensingOffer,
    OfferStatus,
    OfferType,
    Patent,
    Pledge,
    PledgeStatus,
)
from patents.register.selectors import current_holders

# A patent in these states can no longer be licensed, assigned or offered.
TERMINATED_STATUSES = frozenset(
    {LegalStatus.LAPSED, LegalStatus.EXPIRED, LegalStatus.INVALIDATED, LegalStatus.WITHDRAWN}
)
RECORD_KINDS: dict[str, rules.LicenceKind] = {
    LicenceKind.EXCLUSIVE: "exclusive",
    LicenceKind.SOLE: "sole",
    LicenceKind.ORDINARY: "ordinary",
}
LICENCE_KIND_OF_OFFER: dict[str, rules.LicenceKind] = {
    OfferType.EXCLUSIVE: "exclusive",
    OfferType.SOLE: "sole",
    OfferType.ORDINARY: "ordinary",
    OfferType.OPEN_LICENCE: "ordinary",
}


def licensing_facts(
    patent: Patent, *, offer: LicensingOffer | None = None, on: datetime.date | None = None
) -> rules.PatentFacts:
    """What the licensing rules need to know of ``patent`` (three small queries)."""
    on = on or timezone.localdate()
    licences = [
        rules.LicenceFact(
            kind=RECORD_KINDS[record.kind],
            period=rules.Period(record.term_start or record.contract_date or on, record.term_end),
            active=record.terminated_at is None or record.terminated_at > on,
        )
        for record in LicenceRecord.objects.filter(patents=patent).exclude(
            kind=LicenceKind.ASSIGNMENT
        )
    ]
    pledges = [
        rules.PledgeFact(
            active=True,
            pledgee_consents_to_licensing=pledge.consents_to_licensing
            or bool(offer and offer.pledgee_consent),
        )
        for pledge in Pledge.objects.filter(patents=patent).exclude(status=PledgeStatus.CANCELLED)
    ]
    owners = Holding.objects.filter(patent=patent, role=Holding.Role.CURRENT).count() or 1
    open_licences = LicensingOffer.objects.filter(
        items__patent=patent, offer_type=OfferType.OPEN_LICENCE, status=OfferStatus.PUBLISHED
    )
    if offer is not None and offer.pk is not None:
        open_licences = open_licences.exclude(pk=offer.pk)
    open_licence = open_licences.exists()
    fee_status: rules.FeeStatus = (
        "in_grace_period"
        if patent.legal_status == LegalStatus.IN_GRACE_PERIOD
        else "lapsed"
        if patent.legal_status == LegalStatus.LAPSED
        else "paid"
    )
    return rules.PatentFacts(
        patent_type=patent.patent_type,
        granted=bool(patent.grant_date or patent.grant_number),
        expiry_date=patent.expiry_date,
        fee_status=fee_status,
        has_evaluation_report=bool(offer and offer.evaluation_report),
        licences=licences,
        pledges=pledges,
        co_owners=owners,
        co_owners_consenting=owners if (offer and offer.co_owners_consent) else 1,
        open_licence_in_force=open_licence,
        terminated=patent.legal_status in TERMINATED_STATUSES,
    )


@dataclass(frozen=True)
class PatentEligibility:
    patent: Patent
    result: rules.CheckResult


def offer_eligibility(
    offer: LicensingOffer, *, on: datetime.date | None = None
) -> list[PatentEligibility]:
    """The rules' verdict for every patent of the offer, errors and warnings (no writes)."""
    on = on or timezone.localdate()
    verdicts = []
    period = (
        rules.Period(offer.term_start or on, offer.term_end)
        if offer.term_start or offer.term_end
        else None
    )
    patents = offer.patents.prefetch_related(current_holders()).order_by("offer_items__order")
    for patent in patents:
        facts = licensing_facts(patent, offer=offer, on=on)
        if offer.offer_type == OfferType.OPEN_LICENCE:
            result = rules.open_licence_eligibility(
                facts,
                rules.OpenLicenceTerms(
                    pricing_mode=offer.pricing_mode,  # type: ignore[arg-type]
                    period=period,
                    fixed_fee=offer.lump_sum_cny,
                    royalty_rate=offer.royalty_rate,
                ),
                on=on,
            )
        elif offer.offer_type in LICENCE_KIND_OF_OFFER:
            result = _licence_offer_check(facts, offer, period, on)
        else:  # assignment, equity contribution: the right must exist and be unencumbered
            result = _transfer_offer_check(facts)
        verdicts.append(PatentEligibility(patent, result))
    return verdicts


def _licence_offer_check(
    facts: rules.PatentFacts,
    offer: LicensingOffer,
    period: rules.Period | None,
    on: datetime.date,
) -> rules.CheckResult:
    checked = rules.new_licence_check(
        facts,
        LICENCE_KIND_OF_OFFER[offer.offer_type],
        period or rules.Period(on, None),
        on=on,
    )
    extra = []
    if any(p.active and not p.pledgee_consents_to_licensing for p in facts.pledges):
        extra.append(
            rules.Problem(
                "pledged_without_consent",
                "Recordation Measures 12 (9)",
                _("The patent is pledged and the pledgee's consent is not on file."),
            )
        )
    if facts.terminated:
        extra.append(
            rules.Problem(
                "patent_terminated",
                "Recordation Measures 12 (1)",
                _("The patent has lapsed, expired or been invalidated."),
            )
        )
    return rules.CheckResult(checked.errors + tuple(extra), checked.warnings)


def _transfer_offer_check(facts: rules.PatentFacts) -> rules.CheckResult:
    errors = []
    if facts.terminated:
        errors.append(
            rules.Problem(
                "patent_terminated",
                "Patent Law 10",
                _("The patent has lapsed, expired or been invalidated."),
            )
        )
    if any(p.active and not p.pledgee_consents_to_licensing for p in facts.pledges):
        errors.append(
            rules.Problem(
                "pledged_without_consent",
                "Civil Code 444",
                _("The patent is pledged and the pledgee's consent is not on file."),
            )
        )
    return rules.CheckResult(tuple(errors))


def raise_if_ineligible(verdicts: Sequence[PatentEligibility]) -> None:
    """A ValidationError with every blocking reason of every patent, under
    ``patents[<id>]``, when the rules refuse any."""
    errors = {
        f"patents[{verdict.patent.pk}]": [
            ValidationError(str(problem.message), code=problem.code)
            for problem in verdict.result.errors
        ]
        for verdict in verdicts
        if verdict.result.errors
    }
    if errors:
        raise ValidationError(errors)
