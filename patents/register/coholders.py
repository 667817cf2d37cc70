"""Co-holders named by another holder's member: the one rule (docs/domain/co-holders.md).

A holder's member who writes a patent (an import, the API) may name other holders on it,
as co-holders of record or as original applicants. A holding of a holder the writer does
not act for is recorded *unconfirmed*: it is not shown, it does not make the patent that
holder's (its members cannot edit it through it, ``?holder=`` does not find it), until the
holder's admin member or an operator confirms it. Its admin members (the operators when it
has none) are told. Refusing removes the holding, with its history. Operators' writes and
the system's (commands, the seed, recordation) confirm every holding at once, as do a
member's writes for holders they act for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format
from conversion_db.services import Actor, acting_user, history_user, locked, stamp
from patents.models import Holder, HolderMembership, Holding, Patent

logger = logging.getLogger(__name__)

NAMED_IN_NOTICE = 20  # at most this many patents are named in one notification
REASON_LENGTH = 100  # the history's change reason


def confirmed_by_writer(actor: Actor, holder_ids: Iterable[int]) -> set[int]:
    """Of these holders, those whose new holdings ``actor``'s write confirms at once: all of
    them for an operator or the system (no signed-in user), the ones a member acts for."""
    wanted = set(holder_ids)
    user = acting_user(actor)
    if user is None or user.is_staff:
        return wanted
    return set(
        HolderMembership.objects.filter(user=user, holder_id__in=wanted).values_list(
            "holder_id", flat=True
        )
    )


def may_decide(actor: Actor, holder_id: int) -> bool:
    """Whether ``actor`` confirms or refuses a holding of this holder: an operator, or an
    admin member of the holder."""
    user = acting_user(actor)
    if user is None:
        return False
    if user.is_staff:
        return True
    return HolderMembership.objects.filter(
        user=user, holder_id=holder_id, role=HolderMembership.Role.ADMIN
    ).exists()


def mark(
    holdings: Sequence[Holding], actor: Actor, *, confirmed: set[int] | None = None
) -> list[Holding]:
    """Set the confirmation of new holdings (not saved yet) by the writer (``confirmed``:
    the holders already found confirmed); returns the unconfirmed ones."""
    if confirmed is None:
        confirmed = confirmed_by_writer(actor, {h.holder_id for h in holdings})
    now, user = timezone.now(), acting_user(actor)
    pending = []
    for holding in holdings:
        holding.confirmed = holding.holder_id in confirmed
        if holding.confirmed:
            holding.confirmed_by, holding.confirmed_at = user, now
        else:
            holding.confirmed_by, holding.confirmed_at = None, None
            pending.append(holding)
    return pending


def link(holding: Holding) -> str:
    return reverse("patent-holders-confirm", args=[holding.patent_id, holding.holder_id])


def tell_named(pending: Sequence[Holding], *, actor: Actor) -> int:
    """Tell each holder named unconfirmed (its admin members, else the operators) that it
    was named, with the patents and how to confirm or refuse: one notification per holder
    and write. Returns how many notifications were written."""
    from accounts.notices import holder_admins, operators  # (accounts imports patents)
    from notifications.kinds import Kind
    from notifications.services import notify

    by_holder: dict[int, list[Holding]] = {}
    for holding in pending:
        by_holder.setdefault(holding.holder_id, []).append(holding)
    if not by_holder:
        return 0
    holders = Holder.objects.in_bulk(list(by_holder))
    patent_ids = {h.patent_id for h in pending}
    numbers = dict(
        Patent.all_objects.filter(pk__in=patent_ids).values_list("pk", "application_number")
    )
    user = acting_user(actor)
    writer = (user.get_full_name() or user.email or user.get_username()) if user else "—"
    told = 0
    for holder_id, holdings in sorted(by_holder.items()):
        holder = holders[holder_id]
        recipients = holder_admins(holder_id) or operators()
        if not recipients:
            logger.warning("holder %s named as co-holder: nobody to tell", holder_id)
            continue
        first = holdings[0]
        named = ", ".join(
            numbers.get(h.patent_id) or f"#{h.patent_id}" for h in holdings[:NAMED_IN_NOTICE]
        )
        more = len(holdings) - NAMED_IN_NOTICE
        notify(
            actor=actor,
            kind=Kind.COHOLDER_NAMED,
            recipients=recipients,
            about=first,
            link=link(first),
            title=lazy_format(
                _("%(holder)s was named holder of %(count)d patents"),
                holder=holder.name,
                count=len(holdings),
            ),
            body=lazy_format(
                _(
                    "%(person)s named %(holder)s on %(patents)s%(more)s. Until you confirm, "
                    "the patents are not shown as yours. Confirm: POST "
                    "/api/v1/patents/{id}/holders/%(holder_id)d/confirm/ ; refuse: POST "
                    "…/refuse/ (operators: also in the admin)."
                ),
                person=writer,
                holder=holder.name,
                patents=named,
                more=f" (+{more})" if more > 0 else "",
                holder_id=holder_id,
            ),
        )
        told += 1
    return told


def _patent_changes(patent_id: int, actor: Actor, expected_version: int | None) -> None:
    """Lock the patent at the caller's version and move it to the next one (what it shows
    of its holders changes)."""
    patent = locked(Patent.objects.all(), patent_id, expected_version)
    stamp(patent, actor)
    patent.save(update_fields=["version", "updated_by", "updated_at"])


def _pending(patent_id: int, holder_id: int) -> list[Holding]:
    return list(
        Holding.all_objects.select_for_update()
        .filter(patent_id=patent_id, holder_id=holder_id)
        .order_by("role", "id")
    )


def _nothing_pending(holdings: list[Holding]) -> None:
    if not holdings:
        raise Holding.DoesNotExist
    if all(h.confirmed for h in holdings):
        raise ValidationError(
            {
                "holder": ValidationError(
                    _("This holder is already confirmed on this patent."),
                    code="already_confirmed",
                )
            }
        )


@transaction.atomic
def holding_confirm(
    *, actor: Actor, patent_id: int, holder_id: int, expected_version: int | None
) -> list[Holding]:
    """Confirm the holder's pending holdings of the patent (every role it was named in): a
    change of the patent (its next version). ``Holding.DoesNotExist`` when the holder is not
    named on it; the caller checks ``may_decide``."""
    from patents.register.services import refresh_after_holdings

    _patent_changes(patent_id, actor, expected_version)
    holdings = _pending(patent_id, holder_id)
    _nothing_pending(holdings)
    now, user = timezone.now(), acting_user(actor)
    for holding in holdings:
        if holding.confirmed:
            continue
        holding.confirmed, holding.confirmed_by, holding.confirmed_at = True, user, now
        history_user(holding, actor)
        holding.save(update_fields=["confirmed", "confirmed_by", "confirmed_at"])
    refresh_after_holdings(patent_id)
    return holdings


@transaction.atomic
def holding_refuse(
    *,
    actor: Actor,
    patent_id: int,
    holder_id: int,
    expected_version: int | None,
    reason: str = "",
) -> int:
    """Remove the holder's pending holdings of the patent (the history keeps them, with
    the ``reason``); returns how many. A confirmed holding is not refused: edit the
    patent instead."""
    from patents.register.services import refresh_after_holdings

    _patent_changes(patent_id, actor, expected_version)
    holdings = _pending(patent_id, holder_id)
    _nothing_pending(holdings)
    removed = 0
    for holding in holdings:
        if holding.confirmed:
            continue
        history_user(holding, actor)
        holding._change_reason = reason[:REASON_LENGTH] or None  # type: ignore[attr-defined]
        holding.delete()
        removed += 1
    refresh_after_holdings(patent_id)
    return removed
