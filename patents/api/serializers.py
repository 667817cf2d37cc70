"""Serializers of the reference endpoints (IPC scheme, regions) and of /api/v1/patents/."""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversion_db.api.fields import ChoiceField, ModelSerializer
from conversion_db.api.versioning import version_field
from patents.api.event_serializers import LegalEventSerializer
from patents.models import IpcClass, LegalStatus, Patent, PatentType, Region, TechField
from patents.reference.ipc import symbol_from_key
from patents.reference.selectors import ipc_ancestors, ipc_titles, region_ancestors, region_children
from patents.register.services import high_value_of


class TechFieldSerializer(ModelSerializer):
    class Meta:
        model = TechField
        fields = ["number", "sector_en", "sector_zh", "name_en", "name_zh"]


class IpcBriefSerializer(ModelSerializer):
    class Meta:
        model = IpcClass
        fields = ["symbol", "level", "title_zh", "title_en"]


class IpcClassSerializer(ModelSerializer):
    # DRF's metaclass moves declared fields off the class: no clash with Field.parent.
    parent = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="Parent symbol; null for a section. 上级分类号。"
    )
    tech_field = serializers.IntegerField(
        source="tech_field_id",
        allow_null=True,
        help_text="WIPO technology field number (1–35), null above subclass level. WIPO 技术领域编号。",
    )

    class Meta:
        model = IpcClass
        fields = [
            "symbol",
            "key",
            "level",
            "parent",
            "indent",
            "title_zh",
            "title_en",
            "tech_field",
        ]
        extra_kwargs = {
            "symbol": {"help_text": "Canonical symbol, e.g. H01M 10/0525. 规范分类号。"},
            "key": {"help_text": "Sortable 14-character WIPO key, e.g. H01M0010052500. 排序键。"},
            "indent": {
                "help_text": "Dot depth of a group (0 = main group); null above. 组的点级。"
            },
            "title_zh": {"help_text": "Chinese title (IPC 2026.01). 中文标题。"},
            "title_en": {"help_text": "English title, where known. 英文标题。"},
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, obj: IpcClass) -> str | None:
        return symbol_from_key(obj.parent_id) if obj.parent_id else None


class IpcClassDetailSerializer(IpcClassSerializer):
    ancestors = serializers.SerializerMethodField(
        help_text="Section down to the parent. 从部到上级的路径。"
    )
    tech_field_detail = TechFieldSerializer(source="tech_field", allow_null=True, read_only=True)
    has_children = serializers.BooleanField(
        read_only=True,
        help_text="Whether the symbol has children (list them with ?parent=). 是否有下级。",
    )

    class Meta(IpcClassSerializer.Meta):
        fields = [*IpcClassSerializer.Meta.fields, "tech_field_detail", "has_children", "ancestors"]

    @extend_schema_field(IpcBriefSerializer(many=True))
    def get_ancestors(self, obj: IpcClass) -> Any:
        return IpcBriefSerializer(ipc_ancestors(obj), many=True).data


class RegionBriefSerializer(ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "level", "is_current"]


class RegionSerializer(ModelSerializer):
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent_id",
        allow_null=True,
        help_text="Parent code; null for a province. 上级代码。",
    )

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "name_en",
            "level",
            "parent",
            "is_current",
            "longitude",
            "latitude",
        ]
        extra_kwargs = {
            "code": {"help_text": "Six-digit GB/T 2260 code. 六位行政区划代码。"},
            "name": {"help_text": "Chinese name. 中文名称。"},
            "name_en": {"help_text": "English name (pinyin with translated suffix). 英文名称。"},
            "is_current": {"help_text": "False for abolished or merged codes. 是否现行。"},
        }


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField(
        help_text="Province down to the parent. 上级路径。"
    )
    children = serializers.SerializerMethodField(help_text="Direct children, by code. 直接下级。")

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors", "children"]

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_ancestors(self, obj: Region) -> Any:
        return RegionBriefSerializer(region_ancestors(obj), many=True).data

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_children(self, obj: Region) -> Any:
        return RegionBriefSerializer(region_children(obj), many=True).data


# --- Patents -----------------------------------------------------------------------------------
class HolderBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="holder.id")
    name = serializers.CharField(source="holder.name")
    name_en = serializers.CharField(source="holder.name_en")
    kind = serializers.CharField(source="holder.kind")
    verified = serializers.BooleanField(source="holder.verified")
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    since = serializers.DateField(allow_null=True)


PATENT_LIST_FIELDS = [
    "id", "jurisdiction", "application_number", "publication_number", "grant_number", "patent_type",
    "title", "title_en", "main_ipc", "ipc_codes", "filing_date", "publication_date", "grant_date",
    "legal_status", "expiry_date", "is_high_value", "has_offer", "region", "version",
]  # fmt: skip


class PatentListSerializer(ModelSerializer):
    region = serializers.CharField(
        source="region_id", allow_null=True, help_text="Region code of the current holder."
    )
    holders = serializers.SerializerMethodField(help_text="Current holders, in order. 当前权利人。")
    rank = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="Text relevance, with q only. 相关度（仅检索时）。",
    )

    class Meta:
        model = Patent
        fields = [*PATENT_LIST_FIELDS, "holders", "rank"]

    @extend_schema_field(HolderBriefSerializer(many=True))
    def get_holders(self, obj: Patent) -> Any:
        return HolderBriefSerializer(getattr(obj, "current_holdings", []), many=True).data

    def to_representation(self, instance: Patent) -> Any:
        """List rows, built directly: the declared fields document the shape, but running
        two dozen field objects and a nested serializer per row would cost more than the
        query (20 rows a page, hundreds of pages a second)."""
        data: dict[str, Any] = {}
        for name in PATENT_LIST_FIELDS:
            value = instance.region_id if name == "region" else getattr(instance, name)
            data[name] = value.isoformat() if isinstance(value, datetime.date) else value
        data["holders"] = [
            holder_brief(holding) for holding in getattr(instance, "current_holdings", [])
        ]
        data["rank"] = getattr(instance, "rank", None)
        return data


def holder_brief(holding: Any) -> dict[str, Any]:
    """``HolderBriefSerializer``'s output for one holding, without the field machinery."""
    holder = holding.holder
    return {
        "id": holder.id,
        "name": holder.name,
        "name_en": holder.name_en,
        "kind": holder.kind,
        "verified": holder.verified,
        "share": None if holding.share is None else format(holding.share, ".2f"),
        "since": holding.since.isoformat() if holding.since else None,
    }


class HighValueReasonSerializer(serializers.Serializer):
    category = serializers.CharField()
    reason = serializers.CharField()


class HighValueSerializer(serializers.Serializer):
    is_high_value = serializers.BooleanField()
    categories = serializers.ListField(child=serializers.CharField())
    reasons = HighValueReasonSerializer(many=True)


class PatentDetailSerializer(PatentListSerializer):
    holders = serializers.SerializerMethodField(help_text="Current holders of record. 当前权利人。")
    original_holders = serializers.SerializerMethodField(
        help_text="Original applicants. 原始申请人。"
    )
    ipc = serializers.SerializerMethodField(
        help_text="The IPC symbols with their titles. 分类号及其标题。"
    )
    high_value = serializers.SerializerMethodField(
        help_text="High-value categories and why. 高价值类别及理由。"
    )
    region_detail = RegionBriefSerializer(source="region", allow_null=True, read_only=True)
    pledged = serializers.BooleanField(
        read_only=True, default=False, help_text="Under a registered pledge. 是否已质押。"
    )
    open_licence = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text="A published open-licence declaration covers it. 是否处于开放许可。",
    )

    recent_events = serializers.SerializerMethodField(
        help_text=(
            "The newest legal-status events (at most 5; all of them: /patents/{id}/events/). "
            "最近的法律状态事件。"
        )
    )

    class Meta(PatentListSerializer.Meta):
        fields = [
            *PATENT_LIST_FIELDS,
            "holders", "original_holders", "abstract", "abstract_en", "keywords", "inventors", "ipc",
            "legal_status_date", "legal_status_source", "term_extension_days", "pct_application_number",
            "wo_publication_number", "foreign_family", "has_foreign_grant", "awards", "high_value",
            "region_detail", "source", "recent_events",
            "created_at", "updated_at", "pledged", "open_licence",
        ]  # fmt: skip
        read_only_fields = ["legal_status_source"]

    def to_representation(self, instance: Patent) -> Any:
        data = serializers.ModelSerializer.to_representation(self, instance)
        data["rank"] = getattr(instance, "rank", None)
        return data

    def _holdings(self, obj: Patent, role: str) -> Any:
        rows = [h for h in getattr(obj, "all_holdings", []) if h.role == role]
        return HolderBriefSerializer(rows, many=True).data

    @extend_schema_field(HolderBriefSerializer(many=True))
    def get_holders(self, obj: Patent) -> Any:
        return self._holdings(obj, "current")

    @extend_schema_field(HolderBriefSerializer(many=True))
    def get_original_holders(self, obj: Patent) -> Any:
        return self._holdings(obj, "applicant")

    @extend_schema_field(IpcBriefSerializer(many=True))
    def get_ipc(self, obj: Patent) -> Any:
        return IpcBriefSerializer(ipc_titles(obj.ipc_codes), many=True).data

    @extend_schema_field(LegalEventSerializer(many=True))
    def get_recent_events(self, obj: Patent) -> Any:
        events = getattr(obj, "recent_legal_events", [])
        return LegalEventSerializer(events, many=True, context=self.context).data

    @extend_schema_field(HighValueSerializer)
    def get_high_value(self, obj: Patent) -> Any:
        result = high_value_of(obj)
        return {
            "is_high_value": result.is_high_value,
            "categories": list(result.categories),
            "reasons": [
                {"category": category, "reason": str(reason)} for category, reason in result.reasons
            ],
        }


class FacetValueSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="The facet value. 取值。")
    count = serializers.IntegerField(help_text="Matching patents. 匹配的专利数。")


class PatentFacetsSerializer(serializers.Serializer):
    approximate = serializers.BooleanField(
        help_text=(
            "True when the search matches so many patents that the counts come from a sample "
            "(scaled up); exact otherwise. 匹配过多时为抽样估算值。"
        )
    )
    count = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text=(
            "How many patents match, exactly (counted by the search engine); null where "
            "PostgreSQL answers the facets. 匹配的专利总数（精确）。"
        ),
    )
    patent_type = FacetValueSerializer(many=True)
    legal_status = FacetValueSerializer(many=True)
    ipc_section = FacetValueSerializer(many=True)
    ipc_class = FacetValueSerializer(many=True)
    holder_kind = FacetValueSerializer(many=True)
    region = FacetValueSerializer(many=True)
    filing_year = FacetValueSerializer(many=True)
    high_value = FacetValueSerializer(many=True)


class PatentWriteSerializer(serializers.Serializer):
    """What a holder member or operator sends; the rules are the service's (patents.register.services)."""

    application_number = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Any accepted spelling. 申请号，任意写法。",
    )
    publication_number = serializers.CharField(
        required=False, allow_blank=True, help_text="公开号，例如 CN109918572A。"
    )
    grant_number = serializers.CharField(
        required=False, allow_blank=True, help_text="授权公告号，例如 CN109918572B。"
    )
    patent_type = ChoiceField(
        choices=PatentType.choices,
        required=False,
        help_text="Derived from the numbers when omitted. 可由号码推断。",
    )
    title = serializers.CharField(
        required=False, max_length=500, help_text="Chinese title. 中文名称。"
    )
    title_en = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    abstract = serializers.CharField(required=False, allow_blank=True)
    abstract_en = serializers.CharField(required=False, allow_blank=True)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    ipc_codes = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=100,
        help_text="任意写法的 IPC 分类号。",
    )
    filing_date = serializers.DateField(required=False, allow_null=True)
    publication_date = serializers.DateField(required=False, allow_null=True)
    grant_date = serializers.DateField(required=False, allow_null=True)
    legal_status = ChoiceField(choices=LegalStatus.choices, required=False)
    legal_status_date = serializers.DateField(required=False, allow_null=True)
    term_extension_days = serializers.IntegerField(required=False, min_value=0, max_value=5 * 366)
    pct_application_number = serializers.CharField(required=False, allow_blank=True)
    wo_publication_number = serializers.CharField(required=False, allow_blank=True)
    foreign_family = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=200,
        help_text=(
            "Family members abroad: office + number + kind code, e.g. US11295096B2, EP3456789A1, "
            "JP2020123456A, WO2019123456A1. A granted member (US B1/B2, EP B1/B2, JP B1/B2 ...) "
            "sets has_foreign_grant. 海外同族：国别+号码+文献种类代码；已授权的同族使 "
            "has_foreign_grant 为真。"
        ),
    )
    has_foreign_grant = serializers.BooleanField(
        required=False,
        help_text=(
            "Granted abroad; set by a granted member of foreign_family, or stated for a grant "
            "not listed (cannot be cleared while a granted member is listed). 是否有海外授权。"
        ),
    )
    awards = serializers.CharField(required=False, allow_blank=True, max_length=300)
    inventors = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )
    holder = serializers.IntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text=(
            "On create: the holder the patent belongs to; defaults to your only holder. "
            "新建时所属权利人；只有一个时可省略。"
        ),
    )
    version = version_field()


class HoldingRefusalSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Why (kept in the history). 拒绝理由（记入历史）。",
    )
    version = version_field()


# --- A patent named in a result (matches, similar patents, eligibility, offers) ---------------
class PatentHolderNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()


def patent_number(patent: Any) -> str:
    """How a result names a patent: its application number, else its publication or grant
    number."""
    return patent.application_number or patent.publication_number or patent.grant_number or ""


def current_holder_names(patent: Any) -> list[dict[str, Any]]:
    """The current holders prefetched by ``patents.register.selectors.current_holders``."""
    return [
        {"id": h.holder.id, "name": h.holder.name, "name_en": h.holder.name_en}
        for h in getattr(patent, "current_holdings", [])
    ]


NUMBER_HELP = "The application number, else the publication or grant number. 申请号（无则为公开号或授权公告号）。"
HOLDERS_HELP = "Current holders of record, in order. 当前专利权人。"


class SearchIndexStatusSerializer(serializers.Serializer):
    built = serializers.BooleanField(
        help_text="False until the index is first built (searches use PostgreSQL then). 索引是否已建立。"
    )
    documents = serializers.IntegerField(
        allow_null=True, help_text="Patents in the index. 索引中的专利数。", default=None
    )
    pending_changes = serializers.IntegerField(
        help_text="Committed changes not yet indexed (counted up to 100,000). 待索引的变更数。"
    )
    pending_more_than = serializers.IntegerField(
        allow_null=True,
        help_text="100000 when more changes wait than were counted; null otherwise. 超出计数上限时为 100000。",
    )
    oldest_pending_seconds = serializers.FloatField(
        help_text="How long the oldest waiting change has waited (0: none waits). 最早待索引变更的等待秒数。"
    )
    checked_at = serializers.DateTimeField(help_text="When this was read. 读取时间。")
