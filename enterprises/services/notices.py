"""What the demand side tells whom, through ``notifications.services.notify``.

Holders hear of inquiries (a new one, and a reminder while it waits); the enterprise that
asked hears the reply or the decline; both parties of a deal hear that its recordation is
due. An organisation is told at its contact address and through its members (inbox and
e-mail); each text is written once and rendered in Chinese and English.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format, localized
from conversion_db.services import Actor
from enterprises.models import Deal, DeclineReason, Inquiry, InquiryStatus
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notify


def _patent(inquiry: Inquiry) -> object:
    return localized(inquiry.patent.title, inquiry.patent.title_en)


def _enterprise(inquiry: Inquiry) -> object:
    return localized(inquiry.enterprise.name, inquiry.enterprise.name_en)


def _holder(holder: object) -> object:
    return localized(str(holder), getattr(holder, "name_en", ""))


def inquiry_received(inquiry: Inquiry, *, actor: Actor) -> Notification:
    """Tell the holder of a new inquiry."""
    return notify(
        actor=actor,
        kind=Kind.INQUIRY_RECEIVED,
        recipients=[inquiry.holder],
        about=inquiry,
        link=reverse("inquiry-detail", args=[inquiry.pk]),
        title=lazy_format(_("New inquiry about %(patent)s"), patent=_patent(inquiry)),
        body=lazy_format(
            _("%(enterprise)s asks:\n\n%(message)s"),
            enterprise=_enterprise(inquiry),
            message=inquiry.message,
        ),
    )


def inquiry_answered(inquiry: Inquiry, *, actor: Actor) -> Notification:
    """Tell the enterprise that asked of the holder's reply or decline."""
    declined = inquiry.status == InquiryStatus.DECLINED
    holder, patent = _holder(inquiry.holder), _patent(inquiry)
    if declined:
        title = lazy_format(
            _("%(holder)s declined your inquiry about %(patent)s"), holder=holder, patent=patent
        )
        reason = lazy_format(
            _("Reason: %(reason)s"), reason=DeclineReason(inquiry.decline_reason).label
        )
        body = lazy_format("%(reason)s\n\n%(reply)s", reason=reason, reply=inquiry.reply)
    else:
        title = lazy_format(
            _("%(holder)s replied to your inquiry about %(patent)s"), holder=holder, patent=patent
        )
        body = inquiry.reply
    return notify(
        actor=actor,
        kind=Kind.INQUIRY_DECLINED if declined else Kind.INQUIRY_REPLIED,
        recipients=[inquiry.enterprise],
        about=inquiry,
        link=reverse("inquiry-detail", args=[inquiry.pk]),
        title=title,
        body=body,
    )


def inquiry_reminder(inquiry: Inquiry) -> Notification:
    """Remind the holder of an inquiry still waiting for its answer."""
    return notify(
        actor=None,
        kind=Kind.INQUIRY_REMINDER,
        recipients=[inquiry.holder],
        about=inquiry,
        link=reverse("inquiry-detail", args=[inquiry.pk]),
        title=lazy_format(_("Unanswered inquiry about %(patent)s"), patent=_patent(inquiry)),
        body=lazy_format(
            _("%(enterprise)s has been waiting since %(date)s for your answer."),
            enterprise=_enterprise(inquiry),
            date=f"{inquiry.created_at:%Y-%m-%d}",
        ),
    )


def recordation_reminder(deal: Deal) -> Notification:
    """Remind both parties of a deal that its licence is to be recorded with CNIPA."""
    return notify(
        actor=None,
        kind=Kind.RECORDATION_REMINDER,
        recipients=[deal.holder, deal.enterprise],
        about=deal,
        link=reverse("deal-detail", args=[deal.pk]),
        title=lazy_format(
            _("Record the licence with CNIPA by %(date)s"), date=deal.recordation_due
        ),
        body=lazy_format(
            _(
                "The licence between %(licensor)s and %(licensee)s is not recorded yet; "
                "recordation is due by %(date)s."
            ),
            licensor=_holder(deal.holder),
            licensee=localized(deal.enterprise.name, deal.enterprise.name_en),
            date=deal.recordation_due,
        ),
    )
