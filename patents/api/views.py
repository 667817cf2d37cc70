"""Read-only reference endpoints: the IPC scheme and the administrative divisions."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from patents import selectors
from patents.api import examples
from patents.api.serializers import (
    IpcClassDetailSerializer,
    IpcClassSerializer,
    PatentDetailSerializer,
    PatentFacetsSerializer,
    PatentListSerializer,
    RegionDetailSerializer,
    RegionSerializer,
)
from patents.filtersets import IpcClassFilterSet, RegionFilterSet
from patents.models import IpcClass, Patent, Region
from patents.patent_filters import PatentFilterSet, keyset_ordering


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


@extend_schema_view(
    list=extend_schema(
        summary="Search and list patents / 检索专利",
        description=(
            "Patents in the database, searchable by text in Chinese and English (`q`, ranked), and "
            "filtered by IPC at any level, type, legal status, holder, holder kind, region, dates, "
            "high-value and offers; `number` finds a patent from any spelling of any of its numbers. "
            "Cursor-paginated; no total count. Invalid parameters are a 400 naming the parameter. "
            "中英文检索专利并按分类、类型、状态、权利人、地区、日期等筛选。"
        ),
        tags=["patents"],
    ),
    retrieve=extend_schema(
        summary="One patent / 专利详情",
        description=(
            "A patent with its current and original holders, IPC titles, computed fields (expiry, "
            "high-value categories with the reason for each) and provenance. 专利详情，含权利人、"
            "分类标题、期满日和高价值理由。"
        ),
        tags=["patents"],
    ),
    facets=extend_schema(
        summary="Facet counts for a patent search / 检索结果分面统计",
        description=(
            "Counts by patent type, legal status, IPC section and class, holder kind, region, filing "
            "year and high-value, over the patents the same parameters select. 按类型、状态、分类等统计。"
        ),
        tags=["patents"],
        responses=PatentFacetsSerializer,
    ),
)
class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    filterset_class = PatentFilterSet

    def get_queryset(self) -> Any:
        return selectors.patent_list_for_api()

    def get_serializer_class(self) -> Any:
        return PatentDetailSerializer if self.action == "retrieve" else PatentListSerializer

    def get_keyset_ordering(self) -> list[str]:
        return keyset_ordering(self.request.query_params)

    def get_object(self) -> Patent:
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404
        return selectors.patent_detail(int(pk))

    @action(detail=False, methods=["get"], pagination_class=None)
    def facets(self, request: Request) -> Response:
        queryset = self.filter_queryset(selectors.patent_list())
        return Response(PatentFacetsSerializer(selectors.patent_facets(queryset)).data)
