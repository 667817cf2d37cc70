"""The inbox's filters (GET /api/v1/notifications/), documented in zh and en."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from conversion_db.api.filters import BooleanFilter, FilterSet
from notifications.kinds import Kind
from notifications.models import Recipient


class NotificationFilterSet(FilterSet):
    unread = BooleanFilter(
        method="filter_unread",
        label=_("Unread"),
        help_text="true: only unread notifications; false: only read ones. 仅未读（true）或仅已读（false）。",
    )
    kind = django_filters.MultipleChoiceFilter(
        field_name="notification__kind",
        choices=Kind.choices,
        label=_("Kind"),
        help_text="The kinds of event to show; repeat for OR. 通知类型，可重复（或）。",
    )

    examples = {"unread": True, "kind": ["inquiry_received"]}

    class Meta:
        model = Recipient
        fields: list[str] = []

    def filter_unread(
        self, queryset: QuerySet[Recipient], name: str, value: bool | None
    ) -> QuerySet[Recipient]:
        return queryset if value is None else queryset.filter(is_read=not value)
