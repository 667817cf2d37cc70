"""Serializers of the matching endpoints: query parameters in, explained results out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from conversion_db.api.fields import ChoiceField
from conversion_db.api.filters import StrictQuerySerializer
from enterprises.matching.scoring import COMPONENTS
from patents.api.serializers import NUMBER_HELP, current_holder_names, patent_number

MAX_TEXT_CHARS = 500
MAX_RESULTS = 50


class SuggestIpcQuerySerializer(StrictQuerySerializer):
    text = serializers.CharField(
        max_length=MAX_TEXT_CHARS,
        help_text="What the technology is about, in Chinese and/or English (1-500 characters). "
        "技术描述，中文或英文。",
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_RESULTS,
        default=10,
        help_text="How many codes (1-50, default 10). 返回条数。",
    )

    examples = {"text": "我们想找能提高锂离子电池低温放电性能的电解液技术", "limit": 5}


class SimilarQuerySerializer(StrictQuerySerializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_RESULTS,
        default=10,
        help_text="How many patents (1-50, default 10). 返回条数。",
    )

    examples = {"limit": 10}


class IpcSuggestionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="IPC subclass or main group. 分类号（小类或大组）。")
    level = ChoiceField(choices=["subclass", "group"], help_text="subclass or group. 层级。")
    title = serializers.CharField(help_text="Chinese title (English if none). 中文标题。")
    title_en = serializers.CharField(help_text="English title, if known. 英文标题。")
    score = serializers.FloatField(help_text="Share of the evidence, 0-1. 得分（0-1）。")
    supporting_patents = serializers.IntegerField(
        help_text="Patents carrying the code that share a term with the text (statistics: "
        "the most for one term; neighbours: the neighbours carrying it). 支持该分类的专利数。"
    )
    method = ChoiceField(
        choices=["model", "statistics", "neighbours"],
        help_text="Which method answered. model: the trained IPC classifier (manage.py "
        "train_ipc_model) gave the subclasses, main groups are ranked inside them by the "
        "statistics; statistics: term-to-IPC statistics of all patents and the IPC scheme (no "
        "model, or a text the model is unsure of); neighbours: vote of the most similar "
        "patents (while the statistics are not built). "
        "推荐方法：model 为训练的分类模型（大组按统计排序）；statistics 为词-分类统计（无模型或模型"
        "把握不足时）；neighbours 为相似专利投票（统计未建立时）。",
    )


class MatchComponentSerializer(serializers.Serializer):
    name = ChoiceField(
        choices=list(COMPONENTS),  # every component the engine explains, suggested_ipc too
        help_text="Component. 评分项。",
    )
    weight = serializers.FloatField(help_text="Effective weight (0 when not asked for). 权重。")
    value = serializers.FloatField(help_text="0-1. 取值。")
    reason_en = serializers.CharField(help_text="Why, in English.")
    reason_zh = serializers.CharField(help_text="原因（中文）。")


class ExplainedMatchSerializer(serializers.Serializer):
    patent_id = serializers.IntegerField()
    offer_id = serializers.IntegerField(
        allow_null=True, help_text="Best compatible published offer. 最匹配的已发布交易。"
    )
    score = serializers.FloatField(help_text="0-100. 总分。")
    matched_terms = serializers.ListField(
        child=serializers.CharField(), help_text="Query terms found. 命中的词。"
    )
    reason_en = serializers.CharField(help_text="One line, English.")
    reason_zh = serializers.CharField(help_text="一句话说明。")
    components = MatchComponentSerializer(many=True)


class HolderNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class SimilarPatentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text=NUMBER_HELP)
    application_number = serializers.CharField(allow_null=True)
    publication_number = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    holders = HolderNameSerializer(many=True, help_text="Current holders. 当前权利人。")
    ipc_codes = serializers.ListField(child=serializers.CharField())
    legal_status = serializers.CharField()
    explanation = ExplainedMatchSerializer()


def similar_row(patent: Any, explanation: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": patent.id,
        "number": patent_number(patent),
        "application_number": patent.application_number,
        "publication_number": patent.publication_number,
        "title": patent.title,
        "title_en": patent.title_en,
        "holders": current_holder_names(patent),
        "ipc_codes": list(patent.ipc_codes),
        "legal_status": patent.legal_status,
        "explanation": explanation,
    }


ERROR_NOTHING_SPECIFIC = _(
    "Describe the technology in more specific words than common patent or demand wording."
)
