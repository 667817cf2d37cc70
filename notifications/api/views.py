"""/api/v1/notifications/: the signed-in user's inbox, unread first, then newest.

Reads come from ``notifications.selectors`` (only the user's own rows: another user's
notification answers 404), writes from ``notifications.services``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from notifications import selectors
from notifications.api import examples
from notifications.api.serializers import (
    MarkedSerializer,
    NotificationSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
)
from notifications.filtersets import NotificationFilterSet
from notifications.models import Recipient
from notifications.services import notification_mark_read, notifications_mark_all_read

NOTIFICATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Your notification's id. 本人通知的 ID。"
)
TAGS = ["notifications"]


@extend_schema_view(
    list=extend_schema(
        summary="Your notifications / 我的通知",
        description=(
            "What the platform told you: inquiries received and answered, your offers' "
            "reviews, saved-search alerts, reminders. Unread first, then newest; "
            "cursor-paginated. Title and text are in the request's language (Accept-Language). "
            "The same notifications are e-mailed to your address, and to your organisation's "
            "contact address. 平台发给您的通知（咨询、审核结果、检索提醒、催办），未读在前、"
            "新者在前；同时发送至您的邮箱及所属机构的联系邮箱。"
        ),
        tags=TAGS,
        examples=[examples.NOTIFICATION],
    ),
    retrieve=extend_schema(
        summary="One notification / 通知详情",
        description=(
            "One of your notifications (reading it does not mark it read); another user's "
            "answers 404. 本人的一条通知（查看不会标记已读）；他人的返回 404。"
        ),
        tags=TAGS,
        parameters=[NOTIFICATION_ID],
        examples=[examples.NOTIFICATION],
    ),
    read=extend_schema(
        summary="Mark a notification read / 标记已读",
        description=(
            "Marks it read (again: nothing changes) and answers it as it reads now. "
            "标记为已读（重复标记无变化），返回该通知。"
        ),
        tags=TAGS,
        request=None,
        parameters=[NOTIFICATION_ID],
        responses={200: NotificationSerializer},
        examples=[examples.NOTIFICATION],
    ),
    read_all=extend_schema(
        summary="Mark all read / 全部标记已读",
        description=(
            "Marks every unread notification of yours read, or only those up to `up_to` (the "
            "newest you have seen, so that one arriving meanwhile stays unread). Answers how "
            "many. 将全部未读通知（或 `up_to` 及更早的）标记为已读，返回条数。"
        ),
        tags=TAGS,
        request=ReadAllSerializer,
        responses={200: MarkedSerializer},
        examples=[examples.READ_ALL, examples.MARKED],
    ),
    unread_count=extend_schema(
        summary="How many are unread / 未读数",
        description=(
            "The number of your unread notifications, counted up to 1000 (`capped` above). "
            "未读通知数，最多计至 1000。"
        ),
        tags=TAGS,
        responses={200: UnreadCountSerializer},
        examples=[examples.UNREAD_COUNT],
    ),
)
class NotificationViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    keyset_ordering = ["is_read", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Recipient]:
        return selectors.inbox(self.request.user)

    def own(self) -> Recipient:
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(NotificationSerializer(self.own()).data)

    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        row = notification_mark_read(actor=request.user, recipient=self.own())
        return Response(NotificationSerializer(row).data)

    @action(
        detail=False,
        methods=["post"],
        url_path="read-all",
        pagination_class=None,
        filter_backends=[],
    )
    def read_all(self, request: Request) -> Response:
        body = ReadAllSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = notifications_mark_all_read(
            actor=request.user, up_to=body.validated_data.get("up_to")
        )
        return Response({"marked": marked})

    @action(
        detail=False,
        methods=["get"],
        url_path="unread-count",
        pagination_class=None,
        filter_backends=[],
    )
    def unread_count(self, request: Request) -> Response:
        count, capped = selectors.unread_count(request.user)
        return Response({"unread": count, "capped": capped})
