"""Ways into a holder: register one, ask to join one, and the decisions on both.

- ``holder_register``: a signed-in user registers their university's or institute's holder
  (name, kind, USCC checked by GB 32100, region, contact). The holder is unverified until an
  operator checks the USCC; the registrant becomes its admin member at once and may use it
  (register patents), but its offers cannot be published before it is verified
  (``patents.licensing.offers.offer_review``). A *registration* request waits in the
  operators' queue.
- ``membership_request_create``: a user asks to join a holder, with a message.
- ``holder_request_approve`` / ``holder_request_refuse`` (with a reason) /
  ``holder_request_withdraw``: approving a membership request makes the user a member;
  approving a registration verifies the holder.

Every change has history; the person who asked is mailed the outcome
(``accounts.mail``) and ``accounts.signals`` tell the notifications app.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import notices, permissions, signals
from accounts.models import HolderRequest, RequestStatus
from conversion_db.services import Actor, acting_user, history_user, locked, stamp
from patents.models import Holder, HolderMembership
from patents.register.services import clean_holder_data, holder_create, holders_verify

REGISTRATION_FIELDS = (
    "name", "name_en", "kind", "uscc", "region", "address", "contact_name", "contact_email",
    "contact_phone",
)  # fmt: skip
MAX_MESSAGE = 2000


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def signed_in(actor: Actor) -> Any:
    user = acting_user(actor)
    if user is None:
        raise PermissionDenied
    return user


def add_member(*, actor: Actor, holder: Holder, user: Any, role: str) -> HolderMembership:
    """Make ``user`` a member of ``holder`` (or change their role), with history."""
    membership = HolderMembership.objects.filter(holder=holder, user=user).first()
    if membership is None:
        membership = HolderMembership(holder=holder, user=user, role=role)
    elif membership.role == role or membership.role == HolderMembership.Role.ADMIN:
        return membership
    else:
        membership.role = role
    history_user(membership, actor)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def holder_register(*, actor: Actor, values: dict[str, Any]) -> tuple[Holder, HolderRequest]:
    """Register a holder (unverified), make the registrant its admin member and queue the
    registration for an operator to verify."""
    user = signed_in(actor)
    values = {key: value for key, value in values.items() if key in REGISTRATION_FIELDS}
    errors: dict[str, list[ValidationError]] = {}
    for key, message in (
        ("uscc", _("Give the unified social credit code: an operator checks it.")),
        ("kind", _("Say what kind of holder this is.")),
        ("name", _("A holder needs a name.")),
    ):
        if not str(values.get(key) or "").strip():
            errors[key] = [ValidationError(message, code="required")]
    if errors:
        raise ValidationError(errors)
    uscc = clean_holder_data({"uscc": values["uscc"]})["uscc"]
    existing = Holder.objects.filter(uscc=uscc).order_by("id").first()
    if existing is not None:
        raise field_error(
            "uscc",
            _(
                "%(name)s (holder %(id)d) has this unified social credit code already: ask "
                "to join it (POST /api/v1/holders/%(id)d/membership-requests/)."
            )
            % {"name": existing.name, "id": existing.pk},
            "duplicate_uscc",
        )
    holder = holder_create(actor=actor, data=values)  # cleans the USCC and region, full_clean
    add_member(actor=actor, holder=holder, user=user, role=HolderMembership.Role.ADMIN)
    registration = HolderRequest(
        kind=HolderRequest.Kind.REGISTRATION, holder=holder, user=user, message=""
    )
    stamp(registration, actor, created=True)
    registration.full_clean()
    registration.save()
    notices.holder_registered(registration, actor=actor)
    signals.send_on_commit(signals.holder_registered, HolderRequest, request=registration)
    return holder, registration


@transaction.atomic
def membership_request_create(*, actor: Actor, holder: Holder, message: str) -> HolderRequest:
    """Ask to join ``holder``; its admin members (or an operator) decide."""
    user = signed_in(actor)
    message = str(message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise field_error(
            "message",
            _("At most %(limit)d characters.") % {"limit": MAX_MESSAGE},
            "max_length",
        )
    if HolderMembership.objects.filter(holder=holder, user=user).exists():
        raise field_error("holder", _("You are already a member of this holder."), "already_member")
    if HolderRequest.objects.filter(
        holder=holder, user=user, kind=HolderRequest.Kind.MEMBERSHIP, status=RequestStatus.PENDING
    ).exists():
        raise field_error(
            "holder",
            _("You have already asked to join this holder; the request is pending."),
            "already_requested",
        )
    request = HolderRequest(
        kind=HolderRequest.Kind.MEMBERSHIP, holder=holder, user=user, message=message
    )
    stamp(request, actor, created=True)
    request.full_clean()
    request.save()
    notices.membership_requested(request, actor=actor)
    signals.send_on_commit(signals.membership_requested, HolderRequest, request=request)
    return request


def pending(holder_request: HolderRequest, expected_version: int | None) -> HolderRequest:
    current = locked(
        HolderRequest.objects.select_related("holder", "user"), holder_request.pk, expected_version
    )
    if current.status != RequestStatus.PENDING:
        raise field_error(
            "status",
            _("This request is %(status)s already.") % {"status": current.get_status_display()},
            "not_pending",
        )
    return current


def may_decide(actor: Actor, holder_request: HolderRequest) -> None:
    if permissions.decide_denial(acting_user(actor), holder_request) is not None:
        raise PermissionDenied


def decided(
    current: HolderRequest, actor: Actor, *, status: str, reason: str = ""
) -> HolderRequest:
    current.status = status
    current.reason = reason
    current.decided_by = acting_user(actor)
    current.decided_at = timezone.now()
    stamp(current, actor)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def holder_request_approve(
    *, actor: Actor, holder_request: HolderRequest, expected_version: int | None
) -> HolderRequest:
    """Approve: a membership request makes its user a member; a registration verifies the
    holder. The person who asked is mailed."""
    may_decide(actor, holder_request)
    current = pending(holder_request, expected_version)
    if current.kind == HolderRequest.Kind.MEMBERSHIP:
        add_member(
            actor=actor, holder=current.holder, user=current.user, role=HolderMembership.Role.MEMBER
        )
    elif holders_verify(actor=actor, holders=[current.holder]):
        # verifying the holder approved its pending registrations, this one included
        # (close_registrations, on patents' holders_verified)
        current.refresh_from_db()
        return current
    return approved(current, actor)


def approved(current: HolderRequest, actor: Actor) -> HolderRequest:
    """Record the approval of a pending request; mail the person who asked."""
    current = decided(current, actor, status=RequestStatus.APPROVED)
    notices.request_decided(current, actor=actor)
    signals.send_on_commit(
        signals.holder_request_decided,
        HolderRequest,
        request=current,
        approved=True,
        actor=acting_user(actor),
    )
    return current


def close_registrations(*, holders: list[Holder], actor: Actor, **kwargs: Any) -> None:
    """Receiver of ``patents.register.services.holders_verified``: a holder an operator
    verified (its admin form, the list action, or approving its registration) no longer
    waits in the registration queue; its pending registration requests are approved and
    their authors mailed, in the same transaction."""
    for holder in holders:
        waiting = HolderRequest.objects.select_for_update().filter(
            holder=holder, kind=HolderRequest.Kind.REGISTRATION, status=RequestStatus.PENDING
        )
        closed = [approved(request, actor) for request in waiting.select_related("holder", "user")]
        if closed:
            signals.send_on_commit(
                signals.holder_verified, Holder, holder=holder, actor=acting_user(actor)
            )


@transaction.atomic
def holder_request_refuse(
    *, actor: Actor, holder_request: HolderRequest, reason: str, expected_version: int | None
) -> HolderRequest:
    """Refuse with a reason (mailed to the person who asked). A refused registration leaves
    the holder unverified: its offers stay unpublishable until an operator verifies it."""
    may_decide(actor, holder_request)
    reason = str(reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the request is refused."), "required")
    if len(reason) > MAX_MESSAGE:
        raise field_error(
            "reason", _("At most %(limit)d characters.") % {"limit": MAX_MESSAGE}, "max_length"
        )
    current = decided(
        pending(holder_request, expected_version),
        actor,
        status=RequestStatus.REFUSED,
        reason=reason,
    )
    notices.request_decided(current, actor=actor)
    signals.send_on_commit(
        signals.holder_request_decided,
        HolderRequest,
        request=current,
        approved=False,
        actor=acting_user(actor),
    )
    return current


@transaction.atomic
def holder_request_withdraw(
    *, actor: Actor, holder_request: HolderRequest, expected_version: int | None
) -> HolderRequest:
    """The person who asked takes the request back."""
    if permissions.withdraw_denial(acting_user(actor), holder_request) is not None:
        raise PermissionDenied
    current = pending(holder_request, expected_version)
    current.status = RequestStatus.WITHDRAWN
    stamp(current, actor)
    current.full_clean()
    current.save()
    return current
