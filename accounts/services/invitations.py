"""Enterprise invitations: an enterprise admin invites a colleague by e-mail; once signed up
and verified with that address, the colleague accepts and becomes a member.

An invitation lasts ``INVITATION_DAYS``; one address has at most one pending invitation per
enterprise. The invitee gets a plain mail (``accounts.mail``); ``accounts.signals`` tell the
notifications app. Every change has history.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import mail, permissions, signals
from accounts.models import EnterpriseInvitation
from accounts.services.holders import field_error, signed_in
from conversion_db.services import Actor, acting_user, history_user, locked, stamp
from enterprises.models import Enterprise, EnterpriseMembership

INVITATION_DAYS = 14
ROLES = ("member", "admin")


@transaction.atomic
def invitation_create(
    *, actor: Actor, enterprise: Enterprise, email: str, role: str = "member"
) -> EnterpriseInvitation:
    """Invite ``email`` to act for ``enterprise`` (its admin members, or an operator)."""
    user = signed_in(actor)
    if permissions.invite_denial(user, enterprise.pk) is not None:
        raise PermissionDenied
    email = str(email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error("email", _("Enter a valid e-mail address."), "invalid") from None
    if role not in ROLES:
        raise field_error("role", _("The role is member or admin."), "invalid_choice")
    if EnterpriseMembership.objects.filter(
        enterprise=enterprise, user__email__iexact=email
    ).exists():
        raise field_error(
            "email", _("Someone with this address is a member already."), "already_member"
        )
    if (
        EnterpriseInvitation.objects.annotate(email_lower=Lower("email"))
        .filter(
            enterprise=enterprise,
            email_lower=email.lower(),
            status=EnterpriseInvitation.Status.PENDING,
        )
        .exists()
    ):
        raise field_error(
            "email",
            _("This address already has a pending invitation; revoke it to send another."),
            "already_invited",
        )
    invitation = EnterpriseInvitation(
        enterprise=enterprise,
        email=email,
        role=role,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    stamp(invitation, actor, created=True)
    invitation.full_clean()
    invitation.save()
    mail.send_invitation(invitation, invited_by=user.get_full_name() or user.get_username())
    signals.send_on_commit(
        signals.invitation_sent, EnterpriseInvitation, invitation=invitation, actor=user
    )
    return invitation


def pending_invitation(
    invitation: EnterpriseInvitation, expected_version: int | None
) -> EnterpriseInvitation:
    current = locked(
        EnterpriseInvitation.objects.select_related("enterprise"), invitation.pk, expected_version
    )
    if current.status != EnterpriseInvitation.Status.PENDING:
        raise field_error(
            "status",
            _("This invitation is %(status)s already.") % {"status": current.get_status_display()},
            "not_pending",
        )
    return current


@transaction.atomic
def invitation_accept(
    *, actor: Actor, invitation: EnterpriseInvitation, expected_version: int | None
) -> EnterpriseMembership:
    """The invitee (a verified e-mail equal to the invitation's) joins the enterprise."""
    user: Any = signed_in(actor)
    if permissions.accept_denial(user, invitation) is not None:
        raise PermissionDenied
    current = pending_invitation(invitation, expected_version)
    if current.expires_at <= timezone.now():
        raise field_error(
            "status",
            _("This invitation has expired; ask for a new one."),
            "expired",
        )
    membership = EnterpriseMembership.objects.filter(
        enterprise=current.enterprise, user=user
    ).first()
    if membership is None:
        membership = EnterpriseMembership(
            enterprise=current.enterprise, user=user, role=current.role
        )
        history_user(membership, actor)
        membership.full_clean()
        membership.save()
    current.status = EnterpriseInvitation.Status.ACCEPTED
    current.accepted_by = user
    current.accepted_at = timezone.now()
    stamp(current, actor)
    current.full_clean()
    current.save()
    signals.send_on_commit(
        signals.invitation_accepted, EnterpriseInvitation, invitation=current, user=user
    )
    return membership


@transaction.atomic
def invitation_revoke(
    *, actor: Actor, invitation: EnterpriseInvitation, expected_version: int | None
) -> EnterpriseInvitation:
    """An enterprise admin (or an operator) takes a pending invitation back."""
    if permissions.invite_denial(acting_user(actor), invitation.enterprise_id) is not None:
        raise PermissionDenied
    current = pending_invitation(invitation, expected_version)
    current.status = EnterpriseInvitation.Status.REVOKED
    stamp(current, actor)
    current.full_clean()
    current.save()
    return current
