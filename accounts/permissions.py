"""Who may decide holder requests and manage enterprise invitations (the 403s and their
codes are ``conversion_db.api.denials``).

- A *registration* (verify a holder a user registered) is decided by operators only.
- A *membership* request is decided by the holder's admin members or an operator; the
  person who asked may withdraw it.
- An enterprise's invitations are made and revoked by its admin members or an operator;
  an invitation is accepted by a user whose verified e-mail is its address.
"""

from __future__ import annotations

from typing import Any

from accounts.models import EnterpriseInvitation, HolderRequest
from accounts.selectors import admin_enterprise_ids, admin_holder_ids, verified_emails
from conversion_db.api.denials import (
    ENTERPRISE_ADMIN_REQUIRED,
    HOLDER_ADMIN_REQUIRED,
    INVITATION_ADDRESS_REQUIRED,
    OPERATOR_REQUIRED,
    REQUESTER_ONLY,
    Denial,
)
from patents.permissions import is_operator


def decide_denial(user: Any, holder_request: HolderRequest) -> Denial | None:
    """Why ``user`` may not approve or refuse this request (``None``: they may)."""
    if is_operator(user):
        return None
    if holder_request.kind == HolderRequest.Kind.REGISTRATION:
        return OPERATOR_REQUIRED
    if holder_request.holder_id in admin_holder_ids(user):
        return None
    return HOLDER_ADMIN_REQUIRED


def withdraw_denial(user: Any, holder_request: HolderRequest) -> Denial | None:
    if getattr(user, "pk", None) == holder_request.user_id:
        return None
    return REQUESTER_ONLY


def invite_denial(user: Any, enterprise_id: int) -> Denial | None:
    """Why ``user`` may not invite to (or revoke invitations of) this enterprise."""
    if is_operator(user) or enterprise_id in admin_enterprise_ids(user):
        return None
    return ENTERPRISE_ADMIN_REQUIRED


def accept_denial(user: Any, invitation: EnterpriseInvitation) -> Denial | None:
    """Why ``user`` may not accept this invitation: their verified addresses lack its one."""
    if invitation.email.lower() in verified_emails(user):
        return None
    return INVITATION_ADDRESS_REQUIRED
