"""Serializers of the reference endpoints (IPC scheme, regions)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patents.ipc import symbol_from_key
from patents.models import IpcClass, Region, TechField
from patents.selectors import ipc_ancestors, region_ancestors, region_children


class TechFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechField
        fields = ["number", "sector_en", "sector_zh", "name_en", "name_zh"]


class IpcBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IpcClass
        fields = ["symbol", "level", "title_zh", "title_en"]


class IpcClassSerializer(serializers.ModelSerializer):
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


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "level", "is_current"]


class RegionSerializer(serializers.ModelSerializer):
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
