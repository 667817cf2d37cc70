"""Who may act on the demand side (DESIGN.md section 7); who sees what is
``enterprises.selectors``.

Operators (staff) write everything. An enterprise's members write for their own
enterprise: its profile, demands, inquiries and saved searches (a saved search is changed
by its owner alone; operators only read it). A holder's members answer
the inquiries addressed to their holder and record the deals it concludes. A record the
user may not act on answers 404, as one they may not see.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Inquiry, SavedSearch
from enterprises.selectors import member_enterprise_ids
from patents.permissions import is_operator, member_holder_ids


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


def may_answer_inquiry(user: Any, inquiry: Inquiry) -> bool:
    """Replying to and declining an inquiry: a member of the holder it is addressed to (an
    operator: any)."""
    return is_operator(user) or inquiry.holder_id in member_holder_ids(user)


def may_change_saved_search(user: Any, saved_search: SavedSearch) -> bool:
    """Changing or deleting a saved search: its owner only. Operators read everyone's (to
    help), but a user's saved searches and alerts are theirs to change."""
    return getattr(user, "pk", None) is not None and saved_search.user_id == user.pk
