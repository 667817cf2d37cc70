"""The filters of the demand side's lists (demands, matches, inquiries): documented in zh
and en, strict (a bad value is a 400 naming the parameter)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from conversion_db.api.filters import FilterSet, IntegerFilter
from enterprises.models import (
    DemandStatus,
    Inquiry,
    InquiryStatus,
    Match,
    MatchState,
    TechnologyDemand,
)
from enterprises.selectors import member_enterprise_ids
from patents.permissions import member_holder_ids


class DemandFilterSet(FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=DemandStatus.choices,
        label=_("Status"),
        help_text="draft, open, matched, closed, expired (repeatable). 状态。",
    )
    enterprise = IntegerFilter(
        field_name="enterprise_id",
        min_value=1,
        label=_("Enterprise"),
        help_text="Enterprise id. 企业。",
    )

    examples = {
        "enterprise": 12,
    }

    class Meta:
        model = TechnologyDemand
        fields: list[str] = []


class MatchFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=MatchState.choices,
        label=_("State"),
        help_text="suggested, viewed, contacted, negotiating, concluded, dismissed. 状态。",
    )
    demand = IntegerFilter(
        field_name="demand_id", min_value=1, label=_("Demand"), help_text="Demand id. 需求。"
    )

    examples = {
        "demand": 7,
    }

    class Meta:
        model = Match
        fields: list[str] = []


class InquiryFilterSet(FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=InquiryStatus.choices,
        label=_("Status"),
        help_text="open, replied, declined, closed (repeatable). 状态。",
    )
    box = django_filters.ChoiceFilter(
        choices=[("sent", _("sent")), ("received", _("received"))],
        method="filter_box",
        label=_("Box"),
        help_text="sent: your enterprises' inquiries; received: to your holders. 发件箱/收件箱。",
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def filter_box(self, queryset: QuerySet[Inquiry], name: str, value: str) -> QuerySet[Inquiry]:
        user = self.request.user if self.request else None
        if value == "sent":
            return queryset.filter(enterprise_id__in=member_enterprise_ids(user))
        return queryset.filter(holder_id__in=member_holder_ids(user))
