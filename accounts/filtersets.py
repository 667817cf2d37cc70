"""The filters of this app's lists: documented in zh and en, strict (a bad value is a 400
naming the parameter)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import EnterpriseInvitation, HolderRequest, RequestStatus
from conversion_db.api.filters import BooleanFilter, FilterSet, IntegerFilter, SearchTextFilter
from patents.models import Holder


class HolderFilterSet(FilterSet):
    q = SearchTextFilter(
        field_name="name",
        lookup_expr="icontains",
        label=_("Name"),
        help_text="Part of the holder's Chinese name (trigram index). 权利人名称的一部分。",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Holder.Kind.choices,
        label=_("Kind"),
        help_text="university, research_institute, medical_institution, enterprise, individual, "
        "government, other (repeatable). 权利人类型。",
    )
    verified = BooleanFilter(
        label=_("Verified"), help_text="true: checked by an operator. 是否已核验。"
    )

    examples = {"q": "复旦", "verified": "true"}

    class Meta:
        model = Holder
        fields: list[str] = []


class HolderRequestFilterSet(FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=RequestStatus.choices,
        label=_("Status"),
        help_text="pending, approved, refused, withdrawn (repeatable). 状态。",
    )
    kind = django_filters.ChoiceFilter(
        choices=HolderRequest.Kind.choices,
        label=_("Kind"),
        help_text="registration (a holder to verify) or membership (a request to join). 类型。",
    )
    holder = IntegerFilter(
        field_name="holder_id", min_value=1, label=_("Holder"), help_text="Holder id. 权利人。"
    )

    examples = {"holder": 12}

    class Meta:
        model = HolderRequest
        fields: list[str] = []


class InvitationFilterSet(FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=EnterpriseInvitation.Status.choices,
        label=_("Status"),
        help_text="pending, accepted, revoked (repeatable). 状态。",
    )
    enterprise = IntegerFilter(
        field_name="enterprise_id",
        min_value=1,
        label=_("Enterprise"),
        help_text="Enterprise id. 企业。",
    )

    examples = {"enterprise": 7}

    class Meta:
        model = EnterpriseInvitation
        fields: list[str] = []
