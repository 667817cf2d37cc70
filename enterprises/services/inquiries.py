"""Writes of inquiries: an enterprise member asks a holder about an offer, a patent or a
match; the holder's members reply or decline; unanswered ones are reminded.

The first answer fixes the response time the city reports. A match the inquiry is about
moves along (contacted, then negotiating).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, acting_user, locked, stamp
from enterprises.models import DeclineReason, Enterprise, Inquiry, InquiryStatus, Match, MatchState
from enterprises.selectors import inquiries_due_reminder, patent_current_holder
from enterprises.services import notices
from enterprises.services.matches import match_advance
from enterprises.services.validation import field_error
from patents.models import LicensingOffer, OfferStatus, Patent

INQUIRY_REMINDER_DAYS = 3  # remind of an inquiry unanswered this long, and again as often


@transaction.atomic
def inquiry_create(
    *,
    actor: Actor,
    enterprise: Enterprise,
    message: str,
    offer_id: int | None = None,
    patent_id: int | None = None,
    match_id: int | None = None,
) -> Inquiry:
    """Ask a holder about a published offer or a patent (or a match's patent and offer).

    The inquiry goes to the offer's holder, or to the patent's first current holder, who is
    told (``notices``: its contact address and members, inbox and e-mail). A match of the
    enterprise becomes ``contacted``."""
    message = str(message or "").strip()
    if not message:
        raise field_error("message", _("Write a message."), "required")
    match = None
    if match_id is not None:
        match = (
            Match.objects.select_related("demand")
            .filter(pk=match_id, demand__enterprise=enterprise)
            .first()
        )
        if match is None:
            raise field_error(
                "match", _("Your enterprise has no match with this id."), "unknown_match"
            )
        patent_id = patent_id or match.patent_id
        offer_id = offer_id or match.offer_id
    offer = None
    if offer_id is not None:
        offer = LicensingOffer.objects.filter(pk=offer_id, status=OfferStatus.PUBLISHED).first()
        if offer is None:
            raise field_error("offer", _("No published offer has this id."), "unknown_offer")
        offered = list(offer.items.order_by("order", "id").values_list("patent_id", flat=True))
        if patent_id is None:
            patent_id = offered[0] if offered else None
        elif patent_id not in offered:
            raise field_error("patent", _("This patent is not part of the offer."), "not_in_offer")
    if patent_id is None:
        raise field_error("patent", _("Name an offer, a patent or a match."), "required")
    patent = Patent.objects.filter(pk=patent_id).first()
    if patent is None:
        raise field_error("patent", _("No patent has this id."), "unknown_patent")
    holder = offer.holder if offer is not None else patent_current_holder(patent)
    if holder is None:
        raise field_error("patent", _("This patent has no holder of record to ask."), "no_holder")
    inquiry = Inquiry(
        enterprise=enterprise,
        sender=acting_user(actor),
        holder=holder,
        offer=offer,
        patent=patent,
        match=match,
        message=message,
    )
    stamp(inquiry, actor, created=True)
    inquiry.full_clean()
    inquiry.save()
    match_advance(match, MatchState.CONTACTED, actor)
    notices.inquiry_received(inquiry, actor=actor)
    return inquiry


def _locked_open_inquiry(inquiry: Inquiry, expected_version: int | None) -> Inquiry:
    inquiry = locked(Inquiry.objects.all(), inquiry.pk, expected_version)
    if inquiry.status not in (InquiryStatus.OPEN, InquiryStatus.REPLIED):
        raise field_error(
            "status",
            _("This inquiry is %(status)s; it takes no more answers.")
            % {"status": inquiry.get_status_display()},
            "not_open",
        )
    return inquiry


def record_first_response(inquiry: Inquiry, actor: Actor) -> None:
    """The first answer (a reply, a decline, a deal) fixes who answered and how fast (not
    saved: part of the answer's write)."""
    if inquiry.responded_at is None:
        inquiry.responded_at = timezone.now()
        inquiry.responded_by = acting_user(actor)
        inquiry.response_seconds = max(
            0, int((inquiry.responded_at - inquiry.created_at).total_seconds())
        )


@transaction.atomic
def inquiry_reply(
    *, actor: Actor, inquiry: Inquiry, reply: str, expected_version: int | None
) -> Inquiry:
    """The holder answers; the first answer fixes the response time; the enterprise is told."""
    reply = str(reply or "").strip()
    if not reply:
        raise field_error("reply", _("Write a reply."), "required")
    inquiry = _locked_open_inquiry(inquiry, expected_version)
    inquiry.reply = reply
    inquiry.status = InquiryStatus.REPLIED
    record_first_response(inquiry, actor)
    stamp(inquiry, actor)
    inquiry.save()
    match_advance(inquiry.match, MatchState.NEGOTIATING, actor)
    notices.inquiry_answered(inquiry, actor=actor)
    return inquiry


@transaction.atomic
def inquiry_decline(
    *,
    actor: Actor,
    inquiry: Inquiry,
    reason: str,
    reply: str = "",
    expected_version: int | None,
) -> Inquiry:
    """The holder declines with a structured reason (and optionally a message); the
    enterprise is told."""
    if reason not in DeclineReason.values:
        raise field_error("reason", _("Choose a reason for declining."), "required")
    inquiry = _locked_open_inquiry(inquiry, expected_version)
    inquiry.status = InquiryStatus.DECLINED
    inquiry.decline_reason = reason
    if reply:
        inquiry.reply = str(reply).strip()
    record_first_response(inquiry, actor)
    stamp(inquiry, actor)
    inquiry.full_clean()
    inquiry.save()
    notices.inquiry_answered(inquiry, actor=actor)
    return inquiry


def send_inquiry_reminders(*, now: datetime.datetime, after: datetime.timedelta) -> int:
    """Remind the holders of inquiries unanswered for ``after`` (again every ``after``):
    one notification and its reminder count per inquiry, in one transaction each."""
    sent = 0
    for inquiry in inquiries_due_reminder(now=now, after=after).iterator(chunk_size=500):
        with transaction.atomic():
            notices.inquiry_reminder(inquiry)
            Inquiry.objects.filter(pk=inquiry.pk).update(
                reminded_at=now, reminders_sent=inquiry.reminders_sent + 1
            )
        sent += 1
    return sent
