"""What accounts and memberships tell whom, through ``notifications.services.notify``
(inbox and e-mail, each text rendered in Chinese and English).

- A request to join a holder: its admin members, who decide (the operators when the
  holder has no admin member yet, so that no request waits unseen);
- a holder registered: the operators, who check its unified social credit code;
- a request decided (approved, or refused with the reason): the person who asked.

An invitation is mailed by ``accounts.mail`` instead: its invitee may have no account,
and so no inbox, yet. Each function is called inside the service's transaction: a
rolled-back request tells nobody.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import HolderRequest, RequestStatus
from conversion_db.i18n import lazy_format
from conversion_db.services import Actor
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notify
from patents.models import HolderMembership

logger = logging.getLogger(__name__)

OPERATORS_TOLD = 50  # at most this many operators are told of one event (oldest accounts)


def operators() -> list[Any]:
    """The active operators (staff accounts), oldest first, bounded."""
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .order_by("pk")[:OPERATORS_TOLD]
    )


def holder_admins(holder_id: int) -> list[Any]:
    memberships = HolderMembership.objects.filter(
        holder_id=holder_id, role=HolderMembership.Role.ADMIN, user__is_active=True
    ).select_related("user")
    return [membership.user for membership in memberships]


def link(holder_request: HolderRequest) -> str:
    return reverse("holder-request-detail", args=[holder_request.pk])


def requester(holder_request: HolderRequest) -> str:
    user = holder_request.user
    return user.get_full_name() or user.email or user.get_username()


def membership_requested(holder_request: HolderRequest, *, actor: Actor) -> Notification | None:
    """Tell the holder's admin members (or the operators) that someone asks to join."""
    recipients = holder_admins(holder_request.holder_id) or operators()
    if not recipients:
        logger.warning("request %s to join a holder: nobody to tell", holder_request.pk)
        return None
    holder = holder_request.holder.name
    return notify(
        actor=actor,
        kind=Kind.MEMBERSHIP_REQUESTED,
        recipients=recipients,
        about=holder_request,
        link=link(holder_request),
        title=lazy_format(
            _("%(person)s asks to join %(holder)s"), person=requester(holder_request), holder=holder
        ),
        body=lazy_format(
            _(
                "%(message)s\n\nApprove: POST %(link)sapprove/ ; refuse with a reason: "
                "POST %(link)srefuse/ (both with the request's version)."
            ),
            message=holder_request.message or "—",
            link=link(holder_request),
        ),
    )


def holder_registered(holder_request: HolderRequest, *, actor: Actor) -> Notification | None:
    """Tell the operators that a registered holder waits for its verification."""
    recipients = operators()
    if not recipients:
        logger.warning("holder %s registered: no operator to tell", holder_request.holder_id)
        return None
    holder = holder_request.holder
    return notify(
        actor=actor,
        kind=Kind.HOLDER_REGISTERED,
        recipients=recipients,
        about=holder_request,
        link=link(holder_request),
        title=lazy_format(_("%(holder)s waits for verification"), holder=holder.name),
        body=lazy_format(
            _(
                "%(person)s registered %(holder)s (unified social credit code %(uscc)s). "
                "Check the code, then approve or refuse the registration in the admin "
                "(Holder requests) or through the API."
            ),
            person=requester(holder_request),
            holder=holder.name,
            uscc=holder.uscc or "—",
        ),
    )


def request_decided(holder_request: HolderRequest, *, actor: Actor) -> Notification:
    """Tell the person who asked: approved, or refused with the reason."""
    holder = holder_request.holder.name
    approved = holder_request.status == RequestStatus.APPROVED
    if holder_request.kind == HolderRequest.Kind.REGISTRATION:
        if approved:
            title = lazy_format(_("%(holder)s is verified"), holder=holder)
            body = lazy_format(
                _(
                    "An operator checked the unified social credit code of %(holder)s: it is "
                    "verified, and its offers can now be published."
                ),
                holder=holder,
            )
        else:
            title = lazy_format(_("%(holder)s could not be verified"), holder=holder)
            body = lazy_format(_("The reason given: %(reason)s"), reason=holder_request.reason)
    elif approved:
        title = lazy_format(_("You are now a member of %(holder)s"), holder=holder)
        body = lazy_format(
            _("You may now register and manage the patents and offers of %(holder)s."),
            holder=holder,
        )
    else:
        title = lazy_format(_("Your request to join %(holder)s was refused"), holder=holder)
        body = lazy_format(_("The reason given: %(reason)s"), reason=holder_request.reason)
    return notify(
        actor=actor,
        kind=Kind.HOLDER_REQUEST_DECIDED,
        recipients=[holder_request.user],
        about=holder_request,
        link=link(holder_request),
        title=title,
        body=body,
    )
