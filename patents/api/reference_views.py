"""GET /api/v1/ipc/ and /api/v1/regions/: the reference schemes, read-only, for everyone."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from patents.api import examples
from patents.api.serializers import (
    IpcClassDetailSerializer,
    IpcClassSerializer,
    RegionDetailSerializer,
    RegionSerializer,
)
from patents.models import IpcClass, Region
from patents.reference import selectors
from patents.reference.filtersets import IpcClassFilterSet, RegionFilterSet


@extend_schema_view(
    list=extend_schema(
        summary="Browse and search the IPC scheme / 浏览和检索国际专利分类",
        description=(
            "Symbols of the IPC (edition 2026.01, Chinese and English titles) in scheme order. "
            "Browse with `parent` (children of a symbol) or `under` (a whole subtree), search "
            "titles with `q`, narrow with `level` or `tech_field`. Every symbol parameter "
            "accepts any spelling (`h01m10/0525`, `H01M 10/0525 (2006.01)`); a malformed one "
            "is a 400 naming the parameter. 按分类表顺序列出，可按上级、子树、标题、层级筛选。"
        ),
        tags=["ipc"],
    ),
    retrieve=extend_schema(
        summary="Look up one IPC symbol / 查询单个分类号",
        description=(
            "One symbol in any accepted spelling, with both titles, its ancestors and its "
            "WIPO technology field. In the path, write the slash as %2F "
            "(`/api/v1/ipc/H01M10%2F0525/`) or plainly (`/api/v1/ipc/H01M10/0525/`). "
            "Malformed: 400 on `symbol`; well-formed but not in the scheme: 404. "
            "任意写法均可；格式错误返回 400，分类表中不存在返回 404。"
        ),
        tags=["ipc"],
        parameters=[
            OpenApiParameter(
                "symbol",
                str,
                OpenApiParameter.PATH,
                description="IPC symbol in any accepted spelling. 任意写法的分类号。",
                examples=examples.IPC_SYMBOL_SPELLINGS,
            )
        ],
        examples=[examples.IPC_DETAIL],
    ),
)
class IpcClassViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    filterset_class = IpcClassFilterSet
    keyset_ordering = ["key"]
    lookup_field = "symbol"
    lookup_value_regex = r"[^?#]+?"

    def get_queryset(self) -> Any:
        return selectors.ipc_list()

    def get_serializer_class(self) -> Any:
        return IpcClassDetailSerializer if self.action == "retrieve" else IpcClassSerializer

    def get_object(self) -> IpcClass:
        return selectors.ipc_get(self.kwargs["symbol"])


@extend_schema_view(
    list=extend_schema(
        summary="Browse and search regions / 浏览和检索行政区划",
        description=(
            "China's administrative divisions (GB/T 2260, NBS 2023): provinces, prefecture-level "
            "cities and county-level districts, plus historical codes (闸北区 310108 …) marked "
            "`is_current: false`. Browse the tree with `parent`, a subtree with `under`, search "
            "names in Chinese or English with `q`. 省、地、县三级行政区划，含历史代码。"
        ),
        tags=["regions"],
    ),
    retrieve=extend_schema(
        summary="Look up one region / 查询单个行政区划",
        description=(
            "One region by code, with its ancestors and direct children. Accepts six digits "
            "(310115), a province or city prefix (31, 3101) or a 12-digit statistical code. "
            "Malformed: 400 on `code`; unknown: 404. 按代码查询，含上级路径和直接下级。"
        ),
        tags=["regions"],
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="Region code. 行政区划代码。",
                examples=examples.REGION_CODE_SPELLINGS,
            )
        ],
        examples=[examples.REGION_DETAIL],
    ),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    filterset_class = RegionFilterSet
    keyset_ordering = ["code"]
    lookup_field = "code"
    lookup_value_regex = r"[^/?#]+"

    def get_queryset(self) -> Any:
        return selectors.region_list()

    def get_serializer_class(self) -> Any:
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    def get_object(self) -> Region:
        return selectors.region_get(self.kwargs["code"])
