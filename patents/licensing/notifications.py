"""E-mail to a holder's members about their offers: the outcome of a review.

A stop-gap until the notification system takes over: one plain-text mail per review,
sent once the transaction commits (a rolled-back review sends nothing), never failing the
review when the mail server does.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from patents.models import HolderMembership, LicensingOffer, OfferStatus


def notify_holder_of_review(offer: LicensingOffer) -> None:
    """Email the holder's members the review's outcome, once the transaction commits."""
    recipients = sorted(
        {
            email
            for email in HolderMembership.objects.filter(holder_id=offer.holder_id).values_list(
                "user__email", flat=True
            )
            if email
        }
    )
    if not recipients:
        return
    if offer.status == OfferStatus.PUBLISHED:
        subject = _("Your offer “%(title)s” is published") % {"title": offer.title}
    else:
        subject = _("Your offer “%(title)s” needs changes") % {"title": offer.title}
    body = "\n\n".join(
        part
        for part in (
            str(subject),
            offer.review_note,
            str(
                _("Offer %(id)d, status: %(status)s.")
                % {"id": offer.pk, "status": offer.get_status_display()}
            ),
        )
        if part
    )
    transaction.on_commit(
        lambda: send_mail(str(subject), body, None, recipients, fail_silently=True)
    )
