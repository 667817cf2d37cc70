"""Writes of deals: a licence or assignment concluded through the platform, after an
inquiry or by taking an open licence, and the reminders of its recordation.

A deal records its licence through ``patents.licensing.records.licence_record_create``,
so every rule of docs/domain/open-licensing.md and
licences-and-recordation.md applies; recordation with CNIPA is due within 3 months
of the contract taking effect.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, Conflict, locked, stamp
from enterprises.models import Deal, Enterprise, Inquiry, InquiryStatus, Match, MatchState
from enterprises.selectors import deals_due_reminder
from enterprises.services import notices
from enterprises.services.inquiries import record_first_response
from enterprises.services.matches import match_advance
from enterprises.services.validation import FieldErrors, field_error, raise_if_errors
from patents.licensing import records
from patents.models import Holder, LicenceKind, LicensingOffer, OfferStatus, OfferType
from patents.register.terms import add_months

# Record within 3 months of the contract taking effect: docs/domain/licences-and-recordation.md §2.
RECORDATION_MONTHS = 3
DEAL_REMINDER_DAYS = 14  # remind of a recordation due within this many days (or overdue)
DEAL_VALUES = (
    "kind", "term_start", "term_end", "contract_date", "amount_cny", "recordation_number",
    "recordation_date",
)  # fmt: skip


def _create_deal(
    *,
    actor: Actor,
    enterprise: Enterprise,
    holder: Holder,
    origin: str,
    values: dict[str, Any],
    patent_ids: Sequence[int],
    inquiry: Inquiry | None = None,
    match: Match | None = None,
    offer: LicensingOffer | None = None,
    under_open_licence: bool = False,
    notice_date: datetime.date | None = None,
    payment_evidence: str = "",
) -> tuple[Deal, list[Any]]:
    licence_values = {k: v for k, v in values.items() if k in DEAL_VALUES and v is not None}
    licence_values.update(
        licensee_name=enterprise.name,
        licensee_uscc=enterprise.uscc,
        under_open_licence=under_open_licence,
        source="deal",
    )
    record, warnings = records.licence_record_create(
        actor=actor, licensor=holder, values=licence_values, patent_ids=patent_ids
    )
    effective = record.contract_date or record.term_start or timezone.localdate()
    deal = Deal(
        enterprise=enterprise,
        holder=holder,
        origin=origin,
        inquiry=inquiry,
        match=match,
        offer=offer,
        licence_record=record,
        notice_date=notice_date,
        payment_evidence=payment_evidence,
        recordation_due=add_months(effective, RECORDATION_MONTHS),
    )
    stamp(deal, actor, created=True)
    deal.full_clean()
    deal.save()
    match_advance(match, MatchState.CONCLUDED, actor)
    if inquiry is not None and inquiry.status != InquiryStatus.CLOSED:
        inquiry.status = InquiryStatus.CLOSED
        record_first_response(inquiry, actor)
        stamp(inquiry, actor)
        inquiry.save()
    return deal, warnings


@transaction.atomic
def deal_conclude(
    *,
    actor: Actor,
    holder: Holder,
    inquiry: Inquiry,
    values: dict[str, Any],
    patent_ids: Sequence[int] | None = None,
) -> tuple[Deal, list[Any]]:
    """The licensor's member records the licence or assignment agreed through an inquiry
    (its match, offer and enterprise carry over). An inquiry leads to one deal: a second is
    a ``Conflict`` (409), also backed by the constraint ``deal_one_per_inquiry``."""
    inquiry = locked(Inquiry.objects.all(), inquiry.pk)
    if inquiry.holder_id != holder.pk:
        raise field_error(
            "inquiry", _("This inquiry was not addressed to your holder."), "not_yours"
        )
    if inquiry.status == InquiryStatus.DECLINED:
        raise field_error("inquiry", _("This inquiry was declined."), "declined")
    existing = Deal.objects.filter(inquiry=inquiry).values_list("pk", flat=True).first()
    if existing is not None:  # the inquiry's row lock orders concurrent requests
        raise Conflict(
            {
                "inquiry": ValidationError(
                    _("A deal was already recorded for this inquiry (deal %(id)s).")
                    % {"id": existing},
                    code="deal_exists",
                )
            }
        )
    if values.get("kind") not in LicenceKind.values:
        raise field_error("kind", _("Choose the kind of licence or assignment."), "required")
    patents = list(patent_ids or [inquiry.patent_id])
    return _create_deal(
        actor=actor,
        enterprise=inquiry.enterprise,
        holder=holder,
        origin=Deal.Origin.MATCH if inquiry.match_id else Deal.Origin.INQUIRY,
        values=values,
        patent_ids=patents,
        inquiry=inquiry,
        match=inquiry.match,
        offer=inquiry.offer,
    )


@transaction.atomic
def deal_accept_open_licence(
    *,
    actor: Actor,
    enterprise: Enterprise,
    offer: LicensingOffer,
    notice_date: datetime.date,
    payment_evidence: str,
    patent_ids: Sequence[int] | None = None,
    match_id: int | None = None,
) -> tuple[Deal, list[Any]]:
    """Take an open licence (Patent Law Art. 51): written notice plus payment grant an
    ordinary licence at once, for the announced term; it is recorded like any licence."""
    if offer.status != OfferStatus.PUBLISHED or offer.offer_type != OfferType.OPEN_LICENCE:
        raise field_error("offer", _("This is not a published open licence."), "not_open_licence")
    payment_evidence = str(payment_evidence or "").strip()
    errors: FieldErrors = {}
    if not payment_evidence:
        errors["payment_evidence"] = [
            ValidationError(
                _("An open licence is taken by paying as announced: give the payment's reference."),
                code="required",
            )
        ]
    today = timezone.localdate()
    if notice_date is None or notice_date > today:
        errors["notice_date"] = [
            ValidationError(
                _("Give the date of your written notice to the patentee (not in the future)."),
                code="invalid",
            )
        ]
    raise_if_errors(errors)
    offered = list(offer.items.order_by("order", "id").values_list("patent_id", flat=True))
    wanted = list(patent_ids or offered)
    outside = [pk for pk in wanted if pk not in offered]
    if outside:
        raise field_error("patents", _("These patents are not part of the offer."), "not_in_offer")
    match = None
    if match_id is not None:
        match = Match.objects.filter(pk=match_id, demand__enterprise=enterprise).first()
        if match is None:
            raise field_error(
                "match", _("Your enterprise has no match with this id."), "unknown_match"
            )
    start = max(notice_date, offer.term_start or notice_date)
    return _create_deal(
        actor=actor,
        enterprise=enterprise,
        holder=offer.holder,
        origin=Deal.Origin.OPEN_LICENCE,
        values={
            "kind": LicenceKind.ORDINARY,
            "contract_date": notice_date,
            "term_start": start,
            "term_end": offer.term_end,
        },
        patent_ids=wanted,
        match=match,
        offer=offer,
        under_open_licence=True,
        notice_date=notice_date,
        payment_evidence=payment_evidence,
    )


@transaction.atomic
def deal_record(
    *,
    actor: Actor,
    deal: Deal,
    recordation_number: str | None,
    recordation_date: datetime.date | None,
    expected_version: int | None,
) -> tuple[Deal, list[Any]]:
    """Either party (or an operator) enters the recordation number and date CNIPA gave the
    deal's licence contract (``None``: keep the one recorded): the deal's licence record
    takes them through the licence service (its rules and history), the deal's version
    moves on with a history row, and reminders stop (``deals_due_reminder`` skips recorded
    deals)."""
    deal = locked(Deal.objects.all(), deal.pk, expected_version)
    _record, warnings = records.licence_record_recordation(
        actor=actor,
        record=deal.licence_record,
        recordation_number=recordation_number,
        recordation_date=recordation_date,
        expected_version=None,  # the deal's version guards its licence record
    )
    stamp(deal, actor)
    deal.full_clean()
    deal.save()
    return deal, warnings


def send_deal_reminders(*, now: datetime.datetime, within: datetime.timedelta) -> int:
    """Remind both parties of deals whose recordation is due within ``within`` (or
    overdue), at most once a day: one notification per deal, in one transaction each."""
    sent = 0
    today = timezone.localdate(now)
    for deal in deals_due_reminder(on=today, within=within).iterator(chunk_size=500):
        if deal.reminded_at and timezone.localdate(deal.reminded_at) == today:
            continue
        with transaction.atomic():
            notices.recordation_reminder(deal)
            Deal.objects.filter(pk=deal.pk).update(reminded_at=now)
        sent += 1
    return sent
