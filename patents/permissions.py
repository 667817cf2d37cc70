"""Who may write what on the supply side (DESIGN.md section 7).

Operators (staff) write everything. A holder's members write their own holder's patents,
that is, patents of which the holder is a current holder or an original applicant.
Everyone else writes nothing; a record they may not write answers 404, not 403, so
that private drafts do not leak their existence.
"""

from __future__ import annotations

from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from conversion_db.api.denials import HOLDER_MEMBERSHIP_REQUIRED
from patents.models import Holder, HolderMembership, Holding, Patent


def is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def member_holder_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(HolderMembership.objects.filter(user=user).values_list("holder_id", flat=True))


def patents_writable_by(user: Any, queryset: QuerySet[Patent]) -> QuerySet[Patent]:
    if is_operator(user):
        return queryset
    holder_ids = member_holder_ids(user)
    if not holder_ids:
        return queryset.none()
    return queryset.filter(
        Exists(Holding.objects.filter(patent=OuterRef("pk"), holder_id__in=holder_ids))
    )


class ReadAnyoneWriteHolderMembers(permissions.BasePermission):
    """Reads are public; writes need an operator or a member of some holder (a signed-in user
    who is neither is told how to become one: ``holder_membership_required``)."""

    message = HOLDER_MEMBERSHIP_REQUIRED.message
    code = HOLDER_MEMBERSHIP_REQUIRED.code

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return bool(
            user and user.is_authenticated and (is_operator(user) or member_holder_ids(user))
        )


@overload
def choose_holder(user: Any, holder_id: int | None) -> Holder: ...
@overload
def choose_holder(user: Any, holder_id: int | None, *, optional: bool) -> Holder | None: ...
def choose_holder(user: Any, holder_id: int | None, *, optional: bool = False) -> Holder | None:
    """The holder a write is for: a member's own (the only one, or the one named); an
    operator's named one (``optional``: or none)."""
    if is_operator(user):
        if holder_id is None and optional:
            return None
        if holder_id is None:
            raise ValidationError(
                {"holder": ValidationError(_("Name the holder of this patent."), code="required")}
            )
        holder = Holder.objects.filter(pk=holder_id).first()
    else:
        own = member_holder_ids(user)
        if holder_id is None and len(own) == 1:
            holder_id = own[0]
        elif holder_id is None:
            raise ValidationError(
                {
                    "holder": ValidationError(
                        _("You act for several holders: name one."), code="required"
                    )
                }
            )
        holder = Holder.objects.filter(pk=holder_id, pk__in=own).first()
    if holder is None:
        raise ValidationError(
            {
                "holder": ValidationError(
                    _("No holder you act for has this id."), code="unknown_holder"
                )
            }
        )
    return holder
