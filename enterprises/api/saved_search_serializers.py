"""Shapes of /api/v1/saved-searches/ (the rules live in ``enterprises.services.saved_searches``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversion_db.api.fields import ChoiceField, ModelSerializer
from conversion_db.api.filters import StrictQuerySerializer
from conversion_db.api.versioning import version_field
from enterprises.models import SavedSearch
from enterprises.selectors import MAX_RESULTS

QUERY_SCHEMA = {
    "type": "object",
    "description": (
        "The list's query parameters: name to a list of values (or one value). "
        "列表接口的查询参数：参数名到取值列表。"
    ),
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
    "example": {"q": ["锂离子电池"], "ipc": ["H01M"], "legal_status": ["in_force"]},
}


@extend_schema_field(QUERY_SCHEMA)
class QueryField(serializers.JSONField):
    """Checked by the service against the target list's FilterSet (400 on query.<param>)."""


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"q": ["锂离子电池"], "ipc": ["H01M"]},
    }
)
class StoredQueryField(serializers.JSONField):
    pass


class SavedSearchSerializer(ModelSerializer):
    query = StoredQueryField(
        help_text="The list's parameters, name to values. 保存的检索参数。", read_only=True
    )

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "enterprise",
            "name",
            "target",
            "query",
            "alerts_enabled",
            "last_alerted_at",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class SavedSearchWriteSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "The enterprise you act for; optional when you act for exactly one. "
            "所属企业；仅属于一个企业时可省略。"
        ),
    )
    name = serializers.CharField(max_length=120, help_text="Your name for it. 检索名称。")
    target = ChoiceField(
        choices=SavedSearch.Target.choices,
        help_text="patents or offers (fixed once saved). 检索对象：专利或许可信息（保存后不可改）。",
    )
    query = QueryField(required=False)
    alerts_enabled = serializers.BooleanField(
        required=False, help_text="E-mail new results (default true). 是否邮件提醒。"
    )
    version = version_field()


class ResultsQuerySerializer(StrictQuerySerializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_RESULTS, default=20)


class ResultItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Patent or offer id. 专利或许可信息 ID。")
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    numbers = serializers.ListField(
        child=serializers.CharField(), help_text="Application numbers. 申请号。"
    )
    path = serializers.CharField(help_text="API path of the record. 记录的接口路径。")


class SavedSearchResultsSerializer(serializers.Serializer):
    saved_search = serializers.IntegerField()
    target = ChoiceField(choices=SavedSearch.Target.choices)
    since = serializers.DateTimeField(
        allow_null=True, help_text="Time of the last alert (or of saving). 上次提醒时间。"
    )
    truncated = serializers.BooleanField(
        help_text="More new results than the limit. 新结果超过上限。"
    )
    results = ResultItemSerializer(many=True)
