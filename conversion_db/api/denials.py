"""Every 403 says what the person lacks and how to get it, with a stable code per case.

The permission layer (``patents.permissions``, ``enterprises.permissions``,
``accounts.permissions``) refuses with one of these; the API renders it in the one error
shape, in the request's language (``conversion_db.api.errors``). The codes are a contract:
clients branch on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions


@dataclass(frozen=True)
class Denial:
    code: str
    message: Promise | str

    def text(self, **params: Any) -> str:
        return str(self.message) % params if params else str(self.message)


HOLDER_MEMBERSHIP_REQUIRED = Denial(
    "holder_membership_required",
    _(
        "You are not a member of any patent holder. Register your holder "
        "(POST /api/v1/holders/) or ask to join one "
        "(POST /api/v1/holders/{id}/membership-requests/)."
    ),
)
HOLDER_ADMIN_REQUIRED = Denial(
    "holder_admin_required",
    _(
        "Only the administrators of this holder, or an operator, decide who joins it. "
        "Ask one of its administrators."
    ),
)
OPERATOR_REQUIRED = Denial(
    "operator_required",
    _("Only an operator may do this (for example, verify a holder's registration)."),
)
ENTERPRISE_ADMIN_REQUIRED = Denial(
    "enterprise_admin_required",
    _(
        "Only the administrators of this enterprise invite colleagues and revoke "
        "invitations. Ask one of them, or register your own enterprise "
        "(POST /api/v1/enterprises/)."
    ),
)
INVITATION_ADDRESS_REQUIRED = Denial(
    "invitation_address_required",
    _(
        "This invitation is for %(email)s. Sign in with an account whose verified e-mail "
        "is that address (sign up: POST /api/v1/auth/signup/) to accept it."
    ),
)
REQUESTER_ONLY = Denial(
    "requester_only",
    _("Only the person who asked may withdraw this request."),
)
SAVED_SEARCH_OWNER_ONLY = Denial(
    "owner_only",
    _("Operators may read other users' saved searches but not change them; only their owner may."),
)


def deny(denial: Denial, **params: Any) -> exceptions.PermissionDenied:
    """The 403 to raise: ``raise deny(HOLDER_ADMIN_REQUIRED)``."""
    return exceptions.PermissionDenied(denial.text(**params), code=denial.code)
