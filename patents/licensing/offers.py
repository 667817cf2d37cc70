"""Writes of licensing offers: the lifecycle, with the rules of docs/domain/ on every path.

``draft -> pending_review -> published -> suspended | withdrawn | concluded | expired``;
a rejected offer goes back to ``draft`` with the reviewer's note. Submitting and approving
run the rules over every patent in the offer (``patents.licensing.eligibility``) and
refuse with every blocking reason at once; warnings are kept for the reviewer. The same
functions serve the API, the admin and imports. Reads are in
``patents.licensing.selectors``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import (
    Actor,
    StaleVersion,
    acting_user,
    history_user,
    locked,
    stamp,
)
from patents.licensing.eligibility import offer_eligibility, raise_if_ineligible
from patents.licensing.notifications import notify_holder_of_review
from patents.licensing.selectors import offers_due_to_expire
from patents.models import (
    Holder,
    Holding,
    LicensingOffer,
    OfferPatent,
    OfferStatus,
    Patent,
)

OFFER_FIELDS = (
    "offer_type", "pricing_mode", "lump_sum_cny", "royalty_rate", "term_start", "term_end",
    "territory", "field_of_use", "sublicensing_allowed", "title", "title_en", "description",
    "description_en", "contact_name", "contact_email", "contact_phone", "pledgee_consent",
    "co_owners_consent", "evaluation_report",
)  # fmt: skip
EDITABLE_STATUSES = frozenset({OfferStatus.DRAFT})

# Sent once a published offer's transaction has committed (the demand side re-matches).
offer_published = Signal()


# --- Writes -----------------------------------------------------------------------------------
def _clean_offer_values(
    values: dict[str, Any], *, current: LicensingOffer | None
) -> dict[str, Any]:
    cleaned = {key: value for key, value in values.items() if key in OFFER_FIELDS}
    if "title" in cleaned or current is None:
        cleaned["title"] = " ".join(str(cleaned.get("title") or "").split())
    return cleaned


def _offer_patents(holder: Holder, patent_ids: Iterable[int]) -> list[Patent]:
    wanted = list(dict.fromkeys(patent_ids))
    if not wanted:
        raise ValidationError(
            {"patents": ValidationError(_("An offer needs at least one patent."), code="required")}
        )
    held = {
        patent.pk: patent
        for patent in Patent.objects.filter(
            pk__in=wanted,
            holdings__holder=holder,
            holdings__role=Holding.Role.CURRENT,
            holdings__confirmed=True,  # (the join bypasses Holding.objects)
        )
    }
    missing = [pk for pk in wanted if pk not in held]
    if missing:
        raise ValidationError(
            {
                "patents": ValidationError(
                    _("Not a patent of this holder: %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))},
                    code="not_holders_patent",
                )
            }
        )
    return [held[pk] for pk in wanted]


def _check_term(offer: LicensingOffer, patents: Sequence[Patent]) -> None:
    """The licence term may not outlive any patent in the offer."""
    if offer.term_end is None:
        return
    too_long = [p for p in patents if p.expiry_date and offer.term_end > p.expiry_date]
    if too_long:
        first = min(too_long, key=lambda p: p.expiry_date or datetime.date.max)
        raise ValidationError(
            {
                "term_end": ValidationError(
                    _("The term ends after patent %(number)s expires on %(expiry)s.")
                    % {
                        "number": first.application_number or first.publication_number,
                        "expiry": first.expiry_date.isoformat() if first.expiry_date else "",
                    },
                    code="term_beyond_patent",
                )
            }
        )


def _set_items(offer: LicensingOffer, patents: Sequence[Patent], actor: Actor) -> None:
    wanted = {patent.pk: order for order, patent in enumerate(patents, start=1)}
    for item in list(offer.items.all()):
        if item.patent_id not in wanted:
            history_user(item, actor)
            item.delete()
    for patent_id, order in wanted.items():
        item, created = OfferPatent.objects.get_or_create(
            offer=offer, patent_id=patent_id, defaults={"order": order}
        )
        if not created and item.order != order:
            item.order = order
            history_user(item, actor)
            item.save()


@transaction.atomic
def offer_create(
    *, actor: Actor, holder: Holder, values: dict[str, Any], patent_ids: Iterable[int]
) -> LicensingOffer:
    """A draft offer of the holder's own patents."""
    patents = _offer_patents(holder, patent_ids)
    offer = LicensingOffer(holder=holder, **_clean_offer_values(values, current=None))
    stamp(offer, actor, created=True)
    offer.full_clean()
    _check_term(offer, patents)
    offer.save()
    _set_items(offer, patents, actor)
    return offer


@transaction.atomic
def offer_update(
    *,
    actor: Actor,
    offer: LicensingOffer,
    values: dict[str, Any],
    patent_ids: Iterable[int] | None,
    expected_version: int | None,
) -> LicensingOffer:
    """Change a draft (a submitted or published offer is withdrawn first)."""
    current = locked(LicensingOffer.objects.all(), offer.pk, expected_version)
    if current.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("Only a draft can be changed; this offer is %(status)s.")
                    % {"status": current.get_status_display()},
                    code="not_editable",
                )
            }
        )
    for key, value in _clean_offer_values(values, current=current).items():
        setattr(current, key, value)
    patents = (
        _offer_patents(current.holder, patent_ids)
        if patent_ids is not None
        else list(current.patents.all())
    )
    stamp(current, actor)
    current.full_clean()
    _check_term(current, patents)
    current.save()
    if patent_ids is not None:
        _set_items(current, patents, actor)
    return current


def _transition(
    actor: Actor,
    offer: LicensingOffer,
    *,
    expected_version: int | None,
    allowed_from: Iterable[str],
    to: str,
    **changes: Any,
) -> LicensingOffer:
    current = locked(LicensingOffer.objects.all(), offer.pk, expected_version)
    if current.status not in set(allowed_from):
        raise ValidationError(
            {
                "status": ValidationError(
                    _("An offer that is %(status)s cannot become %(target)s.")
                    % {
                        "status": current.get_status_display(),
                        "target": OfferStatus(to).label,
                    },
                    code="invalid_transition",
                )
            }
        )
    current.status = to
    for key, value in changes.items():
        setattr(current, key, value)
    stamp(current, actor)
    current.save()
    _refresh_has_offer(current)
    return current


def _refresh_has_offer(offer: LicensingOffer) -> None:
    """Keep ``Patent.has_offer`` (a list filter) in step with published offers."""
    patent_ids = list(offer.items.values_list("patent_id", flat=True))
    published = set(
        OfferPatent.objects.filter(
            patent_id__in=patent_ids, offer__status=OfferStatus.PUBLISHED
        ).values_list("patent_id", flat=True)
    )
    Patent.all_objects.filter(pk__in=published).exclude(has_offer=True).update(has_offer=True)
    Patent.all_objects.filter(pk__in=set(patent_ids) - published).exclude(has_offer=False).update(
        has_offer=False
    )


@transaction.atomic
def offer_submit(
    *, actor: Actor, offer: LicensingOffer, expected_version: int | None
) -> LicensingOffer:
    """Send a draft for review; refused with every blocking reason of every patent."""
    if offer.term_end and offer.term_end < timezone.localdate():
        raise ValidationError(
            {"term_end": ValidationError(_("The licence term has already ended."), code="past")}
        )
    raise_if_ineligible(offer_eligibility(offer))
    return _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[OfferStatus.DRAFT],
        to=OfferStatus.PENDING_REVIEW,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def offer_review(
    *,
    actor: Actor,
    offer: LicensingOffer,
    approve: bool,
    note: str,
    expected_version: int | None,
) -> LicensingOffer:
    """An operator publishes a pending offer (the rules are checked again, and its holder
    must be verified) or sends it back to its holder as a draft with the reason."""
    now = timezone.now()
    if approve:
        if not Holder.objects.filter(pk=offer.holder_id, verified=True).exists():
            # Anyone may register a holder (accounts); what the public sees as offered must
            # come from a holder whose credit code an operator has checked.
            raise ValidationError(
                {
                    "holder": ValidationError(
                        _(
                            "The holder of this offer is not verified yet: an operator checks "
                            "its unified social credit code before its offers are published."
                        ),
                        code="holder_unverified",
                    )
                }
            )
        raise_if_ineligible(offer_eligibility(offer))
        published = _transition(
            actor,
            offer,
            expected_version=expected_version,
            allowed_from=[OfferStatus.PENDING_REVIEW],
            to=OfferStatus.PUBLISHED,
            reviewer=acting_user(actor),
            reviewed_at=now,
            review_note=note,
            published_at=now,
        )
        notify_holder_of_review(published, actor=actor)
        transaction.on_commit(lambda: offer_published.send(sender=LicensingOffer, offer=published))
        return published
    if not note.strip():
        raise ValidationError(
            {"review_note": ValidationError(_("Say why the offer is rejected."), code="required")}
        )
    returned = _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[OfferStatus.PENDING_REVIEW],
        to=OfferStatus.DRAFT,
        reviewer=acting_user(actor),
        reviewed_at=now,
        review_note=note,
    )
    notify_holder_of_review(returned, actor=actor)
    return returned


@transaction.atomic
def offer_withdraw(
    *, actor: Actor, offer: LicensingOffer, expected_version: int | None
) -> LicensingOffer:
    """The holder withdraws an offer; licences already granted under it stay (Art. 50)."""
    return _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[
            OfferStatus.DRAFT,
            OfferStatus.PENDING_REVIEW,
            OfferStatus.PUBLISHED,
            OfferStatus.SUSPENDED,
        ],
        to=OfferStatus.WITHDRAWN,
        closed_at=timezone.now(),
    )


@transaction.atomic
def offer_suspend(
    *, actor: Actor, offer: LicensingOffer, note: str, expected_version: int | None
) -> LicensingOffer:
    """An operator takes a published offer off the public list, with the reason."""
    return _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[OfferStatus.PUBLISHED],
        to=OfferStatus.SUSPENDED,
        review_note=note,
        reviewer=acting_user(actor),
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def offers_expire(*, on: datetime.date | None = None) -> int:
    """Expire what ``offers_due_to_expire`` finds (run on a schedule; reads check too)."""
    on = on or timezone.localdate()
    count = 0
    due = list(offers_due_to_expire(on).values_list("pk", flat=True))
    for offer in LicensingOffer.objects.filter(pk__in=due).order_by("pk"):
        try:
            _transition(
                None,
                offer,
                expected_version=None,
                allowed_from=[OfferStatus.PUBLISHED],
                to=OfferStatus.EXPIRED,
                closed_at=timezone.now(),
            )
        except (ValidationError, StaleVersion):
            continue
        count += 1
    return count
