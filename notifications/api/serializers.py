"""Shapes of /api/v1/notifications/ (the rules live in ``notifications.services``)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications.kinds import Kind
from notifications.models import Recipient


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


class AboutSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="The record's kind as app.model, e.g. enterprises.inquiry. 记录类型。"
    )
    id = serializers.IntegerField(help_text="The record's id. 记录 ID。")


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="pk", help_text="This notification of yours. 本人的通知 ID。"
    )
    kind = serializers.ChoiceField(
        source="notification.kind", choices=Kind.choices, help_text="The event. 事件类型。"
    )
    title = serializers.SerializerMethodField(
        help_text="In the request's language (Accept-Language). 标题（按请求语言）。"
    )
    body = serializers.SerializerMethodField(
        help_text="In the request's language. 正文（按请求语言）。"
    )
    link = serializers.CharField(
        source="notification.link", help_text="API path of the record. 相关记录的接口路径。"
    )
    about = serializers.SerializerMethodField(help_text="The record it is about. 相关记录。")
    created_at = serializers.DateTimeField(source="notification.created_at")
    read_at = serializers.DateTimeField(allow_null=True, help_text="When you read it. 阅读时间。")
    unread = serializers.SerializerMethodField(help_text="Not read yet. 未读。")

    def get_title(self, row: Recipient) -> str:
        notification = row.notification
        return notification.title_en if _english() else notification.title_zh

    def get_body(self, row: Recipient) -> str:
        notification = row.notification
        return notification.body_en if _english() else notification.body_zh

    @extend_schema_field(AboutSerializer)
    def get_about(self, row: Recipient) -> dict[str, Any]:
        notification = row.notification
        kind = notification.subject_type
        return {"type": f"{kind.app_label}.{kind.model}", "id": notification.subject_id}

    def get_unread(self, row: Recipient) -> bool:
        return not row.is_read


class ReadAllSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "Only notifications up to this id (the newest you have seen); all of them when "
            "left out. 仅标记此 ID 及更早的通知；省略则全部。"
        ),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many became read. 新标记为已读的条数。")


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(
        help_text="Unread notifications, counted up to 1000. 未读通知数（最多计至 1000）。"
    )
    capped = serializers.BooleanField(
        help_text="There are more than 1000 (show 999+). 超过 1000 条。"
    )
