"""Reads of accounts and memberships, visibility applied.

- Holder requests: operators see all; a user sees the requests they made and those about
  the holders they administer.
- Invitations: operators see all; a user sees the invitations of the enterprises they
  administer and those addressed to their verified e-mail addresses.
- Tokens: a user's own, unexpired.
Another's record answers 404 (it is not in the queryset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import ApiToken, EnterpriseInvitation, HolderRequest, RequestStatus
from enterprises.models import EnterpriseMembership
from patents.models import Holder, HolderMembership
from patents.permissions import is_operator

ME_LIST_LIMIT = 100  # memberships, requests and invitations shown on /auth/me/, each


def admin_holder_ids(user: Any) -> list[int]:
    """The holders ``user`` administers."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        HolderMembership.objects.filter(user=user, role=HolderMembership.Role.ADMIN).values_list(
            "holder_id", flat=True
        )
    )


def admin_enterprise_ids(user: Any) -> list[int]:
    """The enterprises ``user`` administers."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        EnterpriseMembership.objects.filter(
            user=user, role=EnterpriseMembership.Role.ADMIN
        ).values_list("enterprise_id", flat=True)
    )


def verified_emails(user: Any) -> set[str]:
    """The addresses ``user`` has proved (lower case). An account an operator made, with no
    address recorded by sign-up, counts its own e-mail as proved."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    if not rows:
        return {user.email.lower()} if user.email else set()
    return {email.lower() for email, verified in rows if verified}


def holders_for_api() -> QuerySet[Holder]:
    """Holders as the public list shows them (no relation read)."""
    return Holder.objects.all()


def holder_requests_visible_to(user: Any) -> QuerySet[HolderRequest]:
    """With the holder and the requester the API shows."""
    queryset = HolderRequest.objects.select_related("holder", "user")
    if is_operator(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(Q(user=user) | Q(holder_id__in=admin_holder_ids(user)))


def invitations_visible_to(user: Any) -> QuerySet[EnterpriseInvitation]:
    """With the enterprise the API shows."""
    queryset = EnterpriseInvitation.objects.select_related("enterprise")
    if is_operator(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.annotate(email_lower=Lower("email")).filter(
        Q(enterprise_id__in=admin_enterprise_ids(user))
        | Q(email_lower__in=sorted(verified_emails(user)))
    )


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user).filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    )


@dataclass
class Me:
    """What ``GET /api/v1/auth/me/`` shows."""

    user: Any
    email_verified: bool
    holders: list[HolderMembership] = field(default_factory=list)
    enterprises: list[EnterpriseMembership] = field(default_factory=list)
    requests: list[HolderRequest] = field(default_factory=list)
    invitations: list[EnterpriseInvitation] = field(default_factory=list)
    requests_to_decide: int = 0


def me(user: Any) -> Me:
    """The user, their memberships with roles, their pending requests and the invitations
    waiting for them (each bounded), and how many requests wait for their decision."""
    emails = verified_emails(user)
    pending = RequestStatus.PENDING
    to_decide = HolderRequest.objects.filter(status=pending)
    if not is_operator(user):
        to_decide = to_decide.filter(
            kind=HolderRequest.Kind.MEMBERSHIP, holder_id__in=admin_holder_ids(user)
        )
    return Me(
        user=user,
        email_verified=bool(emails) and (not user.email or user.email.lower() in emails),
        holders=list(
            HolderMembership.objects.filter(user=user)
            .select_related("holder")
            .order_by("holder_id")[:ME_LIST_LIMIT]
        ),
        enterprises=list(
            EnterpriseMembership.objects.filter(user=user)
            .select_related("enterprise")
            .order_by("enterprise_id")[:ME_LIST_LIMIT]
        ),
        requests=list(
            HolderRequest.objects.filter(user=user, status=pending)
            .select_related("holder")
            .order_by("-id")[:ME_LIST_LIMIT]
        ),
        invitations=list(
            EnterpriseInvitation.objects.annotate(email_lower=Lower("email"))
            .filter(
                email_lower__in=sorted(emails),
                status=EnterpriseInvitation.Status.PENDING,
                expires_at__gt=timezone.now(),
            )
            .select_related("enterprise")
            .order_by("-id")[:ME_LIST_LIMIT]
        ),
        requests_to_decide=to_decide.count(),
    )
