"""Who sees and writes what on the demand side (DESIGN.md section 7).

Operators (staff) see and write everything. An enterprise's members see and write their
own enterprise, its demands, matches, inquiries, deals and saved searches. A holder's
members see the inquiries addressed to their holder and the deals it concluded, and answer
them. Everyone else sees nothing of these: another enterprise's records answer 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.models import (
    Deal,
    Enterprise,
    EnterpriseMembership,
    Inquiry,
    Match,
    SavedSearch,
    TechnologyDemand,
)
from patents.permissions import is_operator, member_holder_ids


def member_enterprise_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        EnterpriseMembership.objects.filter(user=user).values_list("enterprise_id", flat=True)
    )


def enterprises_visible_to(user: Any, queryset: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    if is_operator(user):
        return queryset
    return queryset.filter(pk__in=member_enterprise_ids(user))


def demands_visible_to(
    user: Any, queryset: QuerySet[TechnologyDemand]
) -> QuerySet[TechnologyDemand]:
    if is_operator(user):
        return queryset
    return queryset.filter(enterprise_id__in=member_enterprise_ids(user))


def matches_visible_to(user: Any, queryset: QuerySet[Match]) -> QuerySet[Match]:
    if is_operator(user):
        return queryset
    return queryset.filter(demand__enterprise_id__in=member_enterprise_ids(user))


def inquiries_visible_to(user: Any, queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    if is_operator(user):
        return queryset
    return queryset.filter(
        Q(enterprise_id__in=member_enterprise_ids(user)) | Q(holder_id__in=member_holder_ids(user))
    )


def deals_visible_to(user: Any, queryset: QuerySet[Deal]) -> QuerySet[Deal]:
    if is_operator(user):
        return queryset
    return queryset.filter(
        Q(enterprise_id__in=member_enterprise_ids(user)) | Q(holder_id__in=member_holder_ids(user))
    )


def saved_searches_visible_to(user: Any, queryset: QuerySet[SavedSearch]) -> QuerySet[SavedSearch]:
    if is_operator(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(user=user)


def choose_enterprise(user: Any, enterprise_id: int | None) -> Enterprise:
    """The enterprise a write is for: a member's own (the only one, or the one named); an
    operator's named one."""
    if is_operator(user):
        found = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
        if enterprise_id is None:
            raise ValidationError(
                {"enterprise": ValidationError(_("Name the enterprise."), code="required")}
            )
    else:
        own = member_enterprise_ids(user)
        if enterprise_id is None and len(own) == 1:
            enterprise_id = own[0]
        elif enterprise_id is None:
            raise ValidationError(
                {
                    "enterprise": ValidationError(
                        _("Register your enterprise first, or name the one you act for."),
                        code="required",
                    )
                }
            )
        found = Enterprise.objects.filter(pk=enterprise_id, pk__in=own).first()
    if found is None:
        raise ValidationError(
            {
                "enterprise": ValidationError(
                    _("No enterprise you act for has this id."), code="unknown_enterprise"
                )
            }
        )
    return found
