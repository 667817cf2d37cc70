"""GET /api/v1/feeds/offers/: a public JSON feed of offer events for other platforms.

An event is a row of the offers' history (``LicensingOffer.history``) whose status is
published, withdrawn, concluded or expired and differs from the offer's previous history
row (``patents.licensing.selectors.offer_events``). Only offers that were once published
have events: a draft withdrawn before review was never public and stays private. Newest
first, keyset-paginated on the history id.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.fields import ChoiceField
from patents.api import examples
from patents.licensing.filtersets import OfferEventFilterSet
from patents.licensing.selectors import FEED_EVENTS, offer_events
from patents.models import OfferPatent, OfferType


class OfferEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="history_id", help_text="The event's id (increasing). 事件 ID（递增）。"
    )
    type = ChoiceField(
        source="status",
        choices=[(status.value, status.label) for status in FEED_EVENTS],
        help_text="published, withdrawn, concluded or expired. 事件类型。",
    )
    time = serializers.DateTimeField(source="history_date", help_text="When. 发生时间。")
    offer = serializers.IntegerField(source="id", help_text="The offer's id. 许可信息 ID。")
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    offer_type = ChoiceField(choices=OfferType.choices)
    holder_name = serializers.CharField(
        source="holder.name", allow_null=True, help_text="The holder. 权利人。"
    )
    patent_numbers = serializers.ListField(
        child=serializers.CharField(), help_text="Application numbers offered. 涉及专利申请号。"
    )
    path = serializers.CharField(help_text="The offer's API path. 许可信息接口路径。")


@extend_schema_view(
    list=extend_schema(
        summary="Feed of offer events / 许可信息动态",
        description=(
            "Public events of licensing offers, newest first: `published`, `withdrawn`, "
            "`concluded`, `expired`, for other platforms to follow. Each names the offer, its "
            "type, holder and patents, and its API path (a withdrawn offer's path answers 404 "
            "to the public). Drafts are private: an offer withdrawn before it was published has "
            "no events. Narrow with `since` and `event`; cursor-paginated on the event id, so a "
            "follower keeps the newest id it saw. 许可信息的公开动态（发布、撤回、成交、到期），"
            "按时间倒序；可按时间和事件类型筛选；未发布过的草稿不出现。"
        ),
        tags=["feeds"],
        examples=[examples.OFFER_EVENT],
    ),
)
class OfferFeedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = OfferEventSerializer
    filterset_class = OfferEventFilterSet
    keyset_ordering = ["-history_id"]

    def get_queryset(self) -> QuerySet[Any]:
        return offer_events()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        numbers: dict[int, list[str]] = defaultdict(list)
        items = (
            OfferPatent.objects.filter(offer_id__in={row.id for row in page})
            .order_by("offer_id", "order", "id")
            .values_list("offer_id", "patent__application_number")
        )
        for offer_id, number in items if page else []:
            if number:
                numbers[offer_id].append(number)
        for row in page:
            row.patent_numbers = numbers[row.id]
            row.path = reverse("offer-detail", args=[row.id])
        return self.get_paginated_response(OfferEventSerializer(page, many=True).data)
