"""What the licensing side tells holders: the outcome of an offer's review.

The holder is told (its contact address and its members, in their inbox and by e-mail)
through ``notifications.services.notify``, in the review's transaction: a rolled-back
review tells nobody, and a mail server that is down never fails the review.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format
from conversion_db.services import Actor
from notifications.kinds import Kind
from notifications.services import notify
from patents.models import LicensingOffer, OfferStatus


def notify_holder_of_review(offer: LicensingOffer, *, actor: Actor) -> None:
    """Tell the offer's holder that it is published, or returned with the reviewer's note."""
    published = offer.status == OfferStatus.PUBLISHED
    if published:
        title = lazy_format(_("Your offer “%(title)s” is published"), title=offer.title)
    else:
        title = lazy_format(_("Your offer “%(title)s” needs changes"), title=offer.title)
    status = lazy_format(
        _("Offer %(id)d, status: %(status)s."),
        id=offer.pk,
        status=OfferStatus(offer.status).label,
    )
    body = status
    if offer.review_note:
        note = lazy_format(_("Reviewer's note: %(note)s"), note=offer.review_note)
        body = lazy_format("%(note)s\n\n%(status)s", note=note, status=status)
    notify(
        actor=actor,
        kind=Kind.OFFER_PUBLISHED if published else Kind.OFFER_RETURNED,
        recipients=[offer.holder],
        about=offer,
        link=reverse("offer-detail", args=[offer.pk]),
        title=title,
        body=body,
    )
