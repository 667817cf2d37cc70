"""Reads of the inbox: a user's notifications, unread first, then newest."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from notifications.models import Recipient

UNREAD_COUNT_CAP = 1000


def inbox(user: Any) -> QuerySet[Recipient]:
    """The user's notifications (nobody else's), with what each is about: one query a page,
    served by the index ``recipient_inbox``."""
    if not getattr(user, "is_authenticated", False):
        return Recipient.objects.none()
    return Recipient.objects.filter(user=user).select_related(
        "notification", "notification__subject_type"
    )


def unread_count(user: Any) -> tuple[int, bool]:
    """How many of the user's notifications are unread, counted up to ``UNREAD_COUNT_CAP``
    (an index range, however many there are): the count and whether it was capped."""
    if not getattr(user, "is_authenticated", False):
        return 0, False
    ids = Recipient.objects.filter(user=user, is_read=False).values("pk")[: UNREAD_COUNT_CAP + 1]
    count = Recipient.objects.filter(pk__in=ids).count()
    return min(count, UNREAD_COUNT_CAP), count > UNREAD_COUNT_CAP
