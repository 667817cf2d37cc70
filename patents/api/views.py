"""GET/POST /api/v1/patents/: search, read and register patents (the reference schemes'
endpoints are in ``patents.api.reference_views``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.filters import unknown_parameters_error
from conversion_db.api.idempotency import idempotent
from conversion_db.api.pagination import CountedKeysetPagination, KeysetPagination
from conversion_db.api.versioning import (
    VersionedViewSetMixin,
    VersionSerializer,
    etag,
    expected_version,
)
from conversion_db.tabular.files import FileFormat
from patents.api import examples
from patents.api.bulk_serializers import PatentImportReportSerializer, PatentImportSerializer
from patents.api.bulk_views import BulkFileMixin, export_schema, import_schema
from patents.api.event_serializers import LegalEventSerializer
from patents.api.serializers import (
    HoldingRefusalSerializer,
    PatentDetailSerializer,
    PatentFacetsSerializer,
    PatentListSerializer,
    PatentWriteSerializer,
    SearchIndexStatusSerializer,
)
from patents.imports.patents import PatentImport
from patents.models import Holding, Patent
from patents.permissions import (
    ReadAnyoneWriteHolderMembers,
    choose_holder,
    is_operator,
    patents_writable_by,
)
from patents.register import coholders, selectors, services
from patents.register.filtersets import PATENT_ORDERINGS
from patents.search import engine, outbox
from patents.search.cache import cached_page
from patents.search.engine import EngineQuery, NotSearchable
from patents.search.facets import patent_facets
from patents.search.ranking import RelevanceOrderedMixin

PATENT_EXPORT_FORMATS = (FileFormat.CSV, FileFormat.XLSX)
HOLDER_ID = OpenApiParameter(
    "holder_id",
    int,
    OpenApiParameter.PATH,
    description="The holder named on the patent. 被列为权利人的单位 ID。",
)
PATENT_ID = OpenApiParameter(
    "id",
    int,
    OpenApiParameter.PATH,
    description="The patent's id (from a list or a search). 专利 ID。",
)


@extend_schema_view(
    list=extend_schema(
        summary="Search and list patents / 检索专利",
        description=(
            "Patents in the database, searchable by text in Chinese and English (`q`, ranked), and "
            "filtered by IPC at any level, type, legal status, holder, holder kind, region, dates, "
            "high-value and offers; `number` finds a patent from any spelling of any of its numbers. "
            "Cursor-paginated; no total count. Invalid parameters are a 400 naming the parameter. "
            "Pages are the same for every caller and are cached until any patent, holding, holder "
            "or region changes (the `X-Search-Cache` header says `hit` or `miss`; number lookups "
            "are not cached). 中英文检索专利并按分类、类型、状态、权利人、地区、日期等筛选；"
            "结果页缓存至数据变更为止。"
        ),
        tags=["patents"],
    ),
    retrieve=extend_schema(
        summary="One patent / 专利详情",
        description=(
            "A patent with its current and original holders, IPC titles, computed fields (expiry, "
            "high-value categories with the reason for each) and provenance. The `ETag` header is its "
            "version: send it back as `If-Match` to update. 专利详情；ETag 为版本号，更新时作为 If-Match 回传。"
        ),
        tags=["patents"],
        parameters=[PATENT_ID],
    ),
    create=extend_schema(
        summary="Register a patent / 登记专利",
        description=(
            "A holder's member registers one of its holder's patents (operators: any holder). Numbers "
            "and IPC symbols in any accepted spelling; the type is read from the numbers when omitted. "
            "Every invalid field is reported at once (400); nothing is written then. 权利人成员登记本单位专利。"
        ),
        tags=["patents"],
        request=PatentWriteSerializer,
        responses={201: PatentDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a patent / 修改专利",
        description=(
            "Change some fields of your holder's patent (operators: any). Send the version you read as "
            "`If-Match` or `version`; if the patent changed since, the answer is 412 and nothing is "
            "written. Another holder's patent answers 404. 修改本单位专利；版本过期返回 412。"
        ),
        tags=["patents"],
        request=PatentWriteSerializer,
        responses={200: PatentDetailSerializer},
        parameters=[
            PATENT_ID,
        ],
    ),
    destroy=extend_schema(
        summary="Withdraw a patent / 删除专利",
        description=(
            "Soft delete: the patent leaves every list and its history stays. Needs the version "
            "(If-Match); 412 when stale, 404 for another holder's patent. 软删除，保留历史。"
        ),
        tags=["patents"],
        parameters=[
            PATENT_ID,
        ],
    ),
    facets=extend_schema(
        summary="Facet counts for a patent search / 检索结果分面统计",
        description=(
            "Counts by patent type, legal status, IPC section and class, holder kind, region, filing "
            "year and high-value, over the patents the same parameters select. Cached like the "
            "list, until the data changes (`X-Search-Cache`). 按类型、状态、分类等统计；缓存至数据变更为止。"
        ),
        tags=["patents"],
        responses=PatentFacetsSerializer,
    ),
    import_file=import_schema(
        summary="Import patents from a file / 批量导入专利",
        description=(
            "Upload a CSV, XLSX or JSON Lines file (multipart field `file`). Upsert on the "
            "application number (or the publication number for a record without one). All or "
            "nothing: when any row is invalid nothing is written and the 400 lists every error "
            "with its `row` (the line in the file; the header is row 1) and `column`. `dry_run` "
            "checks and counts without writing. A holder's member imports into their holder "
            "(existing patents of other holders are refused); unknown holder names become "
            "unverified holders. Every write carries the batch id. At most IMPORT_MAX_ROWS rows "
            "(50,000 by default; empty rows count) and IMPORT_MAX_BYTES (64 MB, else 413) per "
            "file, IMPORT_MAX_CELL_CHARS (32,768) characters per cell; an XLSX may unpack to at "
            "most IMPORT_MAX_UNPACKED_BYTES; CSV in UTF-8 or GB18030 (another encoding is refused, "
            "named); `manage.py import_patents` has no size or row limit. 409 when another import "
            "wrote the same patents at the same moment: send the file again. "
            "上传文件批量导入；任一行有误则全部不写入并逐行报告错误；dry_run 仅校验。"
        ),
        form=PatentImportSerializer,
        report=PatentImportReportSerializer,
        examples=[examples.IMPORT_REPORT, examples.IMPORT_ROW_ERRORS],
        rules="",
        tags=["patents"],
    ),
    export=export_schema(
        background=True,
        summary="Export a patent search as CSV or XLSX / 导出检索结果",
        description=(
            "The patents the same parameters as the list select, in the list's order, in the "
            "import columns: an exported file imports again unchanged. CSV is UTF-8 with a BOM "
            "(Excel reads it); a CSV or XLSX cell starting with = + - @ (a formula to a "
            "spreadsheet) is written with a ' in front, which the import removes. Up to "
            "EXPORT_SYNC_MAX_ROWS patents (5,000 by default) are answered at once; a signed-in "
            "caller's larger export (up to EXPORT_MAX_ROWS, 100,000), or any export sent with "
            "the header `Prefer: respond-async`, answers 202 with a background job: poll its "
            "`Location` (/api/v1/jobs/{id}/), then download the file. An anonymous caller gets a "
            "400 above the limit (sign in, or narrow the search); anonymous exports have their "
            "own, stricter rate (429 with Retry-After). 按列表相同的参数导出，列与导入一致，可直接"
            "再导入；超过 5000 条时登录用户转为后台任务（202，轮询后下载），匿名用户请登录或缩小范围。"
        ),
        formats=PATENT_EXPORT_FORMATS,
        rules="",
        tags=["patents"],
    ),
)
class PatentViewSet(
    RelevanceOrderedMixin, VersionedViewSetMixin, BulkFileMixin, viewsets.ModelViewSet
):
    """Listed (or exported) by relevance, ``q`` also ranks the newest matches (the rank
    window); facets and the other orderings count or list every match (``PATENT_ORDERINGS``)."""

    permission_classes = [ReadAnyoneWriteHolderMembers]
    pagination_class = CountedKeysetPagination
    orderings = PATENT_ORDERINGS
    filtered_actions = frozenset({"facets", "export"})  # they take the list's filters
    bulk_kind = PatentImport
    import_form = PatentImportSerializer
    import_report = PatentImportReportSerializer
    export_formats = PATENT_EXPORT_FORMATS
    too_many_to_export = _(
        "An export answered at once holds at most %(limit)d patents; narrow the search."
    )
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = "[0-9]+"  # so that /patents/import/ and /patents/export/ are not ids

    @property
    def keyset_ids_first(self) -> bool:
        """Ids from the covering index first (KeysetPagination._fetch), except for a number
        lookup: its unique indexes find the one or two rows directly, in one query."""
        return self.action != "events" and not self.request.query_params.get("number")

    def get_keyset_ordering(self) -> list[str]:
        if getattr(self, "action", None) == "events":
            return ["-event_date", "-id"]  # legal_event_patent_newest
        return super().get_keyset_ordering()

    def get_queryset(self) -> Any:
        return selectors.patent_list_for_api()

    def get_serializer_class(self) -> Any:
        if self.action in ("create", "partial_update"):
            return PatentWriteSerializer
        return PatentDetailSerializer if self.action == "retrieve" else PatentListSerializer

    def get_object(self) -> Patent:
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404
        if (
            self.request.method not in permissions.SAFE_METHODS
            and not patents_writable_by(
                self.request.user, Patent.objects.filter(pk=int(pk))
            ).exists()
        ):
            raise Http404
        return selectors.patent_detail(int(pk))

    def engine_query(self) -> EngineQuery | None:
        """The request's search as the search engine answers it, or None where it does not
        (turned off, a filter it does not hold, parameters the FilterSet refuses: the
        list's own validation answers those)."""
        if not settings.SEARCH_ENGINE:
            return None
        filterset = PATENT_ORDERINGS.filterset(
            self.request.query_params, queryset=Patent.objects.none(), request=self.request
        )
        if not filterset.is_valid():
            return None
        try:
            return EngineQuery.from_filters(filterset.form.cleaned_data)
        except NotSearchable:
            return None

    def paginate_queryset(self, queryset: Any) -> Any:
        # A relevance list's ranking counted its matches already (``best_by_engine``).
        self.counted_matches = getattr(queryset, "match_count", None)
        return super().paginate_queryset(queryset)

    def _counted_list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page, with the exact number of matches when the engine can count them
        (once: a relevance list's ranking counted them)."""
        self.counted_matches = None
        response = super().list(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK and "count" in response.data:
            count = self.counted_matches
            if count is None:
                query = self.engine_query()
                count = engine.match_count(query) if query is not None else None
            response.data["count"] = count
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.query_params.get("number"):
            # Two index reads (0.3 ms), and nearly every lookup asks for another patent:
            # caching would add a generation read and a page to keep to almost each one.
            return super().list(request, *args, **kwargs)
        return cached_page("list", request, lambda: self._counted_list(request, *args, **kwargs))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patent = self.get_object()
        return Response(PatentDetailSerializer(patent).data, headers=etag(patent))

    def _values(self, serializer: Any) -> dict[str, Any]:
        return {
            k: v for k, v in serializer.validated_data.items() if k not in ("holder", "version")
        }

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PatentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        holder = choose_holder(request.user, serializer.validated_data.get("holder"))
        patent = services.patent_create(
            actor=request.user,
            data=services.PatentInput(
                values=self._values(serializer), holdings=[services.HoldingInput(holder)]
            ),
        )
        patent = selectors.patent_detail(patent.pk)
        return Response(
            PatentDetailSerializer(patent).data,
            status=status.HTTP_201_CREATED,
            headers=etag(patent),
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patent = self.get_object()
        serializer = PatentWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = expected_version(request)
        services.patent_update(
            actor=request.user,
            patent=patent,
            data=services.PatentInput(values=self._values(serializer)),
            expected_version=version,
        )
        patent = selectors.patent_detail(patent.pk)
        return Response(PatentDetailSerializer(patent).data, headers=etag(patent))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patent = self.get_object()
        services.patent_delete(
            actor=request.user, patent=patent, expected_version=expected_version(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="A patent's legal-status events / 专利的法律状态事件",
        description=(
            "Every event imported for the patent, newest first (the detail shows the latest "
            "five): the event in the source's words and as a code of ours, its details and what "
            "applying it did. Cursor-paginated. 该专利的全部法律状态事件，最新在前。"
        ),
        tags=["legal events"],
        parameters=[PATENT_ID],
        responses={200: LegalEventSerializer(many=True)},
        examples=[examples.LEGAL_EVENT],
        filters=False,
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny])
    def events(self, request: Request, pk: str) -> Response:
        paginator = self.paginator
        accepted = (
            set(paginator.query_parameters()) if isinstance(paginator, KeysetPagination) else set()
        )
        unknown = set(request.query_params) - accepted
        if unknown:
            raise unknown_parameters_error(unknown, accepted)
        patent = Patent.objects.only("id").filter(pk=int(pk)).first() if pk.isdigit() else None
        if patent is None:
            raise Http404
        page = self.paginate_queryset(selectors.patent_legal_events(patent))
        context = {"operator": is_operator(request.user)}
        return self.get_paginated_response(
            LegalEventSerializer(page, many=True, context=context).data
        )

    def _decide(self, request: Request, pk: str, holder_id: str, refuse: bool) -> Response:
        """Confirm or refuse a holder named unconfirmed (``patents.register.coholders``):
        its admin members or an operator; anyone else gets 404, as for a patent not theirs."""
        holder = int(holder_id)
        if not coholders.may_decide(request.user, holder) or not (
            Patent.objects.filter(pk=int(pk)).exists()
        ):
            raise Http404
        serializer = (HoldingRefusalSerializer if refuse else VersionSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = expected_version(request)
        try:
            if refuse:
                coholders.holding_refuse(
                    actor=request.user,
                    patent_id=int(pk),
                    holder_id=holder,
                    expected_version=version,
                    reason=serializer.validated_data.get("reason", ""),
                )
            else:
                coholders.holding_confirm(
                    actor=request.user,
                    patent_id=int(pk),
                    holder_id=holder,
                    expected_version=version,
                )
        except Holding.DoesNotExist:
            raise Http404 from None
        patent = selectors.patent_detail(int(pk))
        return Response(PatentDetailSerializer(patent).data, headers=etag(patent))

    @extend_schema(
        summary="Confirm a holder named on a patent / 确认被列为权利人",
        description=(
            "A holder another holder's member named on this patent (as co-holder or original "
            "applicant, in an import) is unconfirmed: not shown, and the patent is not its own, "
            "until its admin member or an operator confirms here, with the patent's version "
            "(If-Match). Answers the patent as it now shows. 400 `already_confirmed` when "
            "there is nothing to confirm; 404 for anyone else, or a holder not named on the "
            "patent. 被他人列为权利人时，由本单位管理员或运营人员确认。"
        ),
        tags=["patents"],
        parameters=[PATENT_ID, HOLDER_ID],
        request=VersionSerializer,
        responses={200: PatentDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"holders/(?P<holder_id>[0-9]+)/confirm",
        url_name="holders-confirm",
    )
    def confirm_holder(self, request: Request, pk: str, holder_id: str) -> Response:
        return self._decide(request, pk, holder_id, refuse=False)

    @extend_schema(
        summary="Refuse being named on a patent / 拒绝被列为权利人",
        description=(
            "The named holder's admin member (or an operator) refuses: its unconfirmed holdings "
            "of the patent are removed, the history keeps them with the optional `reason`. A "
            "confirmed holder is not refused here (400 `already_confirmed`): the patent is "
            "edited instead. 拒绝后删除未确认的权利人记录，历史保留。"
        ),
        tags=["patents"],
        parameters=[PATENT_ID, HOLDER_ID],
        request=HoldingRefusalSerializer,
        responses={200: PatentDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"holders/(?P<holder_id>[0-9]+)/refuse",
        url_name="holders-refuse",
    )
    def refuse_holder(self, request: Request, pk: str, holder_id: str) -> Response:
        return self._decide(request, pk, holder_id, refuse=True)

    @extend_schema(
        summary="How fresh the search index is / 检索索引的更新状态",
        description=(
            "The search engine's index beside the database: whether it is built, how many "
            "patents it holds, how many committed changes wait to be indexed and how long the "
            "oldest has waited (a change is normally searchable within about a second). "
            "检索索引状态：是否已建立、文档数、待索引的变更数及最早一条的等待时间。"
        ),
        tags=["patents"],
        responses={200: SearchIndexStatusSerializer},
        filters=False,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="search-index",
        pagination_class=None,
        filter_backends=[],
        permission_classes=[permissions.AllowAny],
    )
    def search_index(self, request: Request) -> Response:
        return Response(SearchIndexStatusSerializer(outbox.status()).data)

    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        permission_classes=[permissions.AllowAny],
    )
    def facets(self, request: Request) -> Response:
        def answer() -> Response:
            queryset = self.filter_queryset(selectors.patent_list())
            query = self.engine_query()
            counts = engine.facets(query) if query is not None else None
            if counts is None:
                counts = patent_facets(queryset)
            return Response(PatentFacetsSerializer(counts).data)

        return cached_page("facets", request, answer)
