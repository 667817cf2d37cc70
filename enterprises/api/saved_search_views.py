"""/api/v1/saved-searches/: an enterprise member's saved patent and offer searches, and what
newly matches them (``enterprises.services.saved_searches`` holds every rule of a write,
``enterprises.selectors`` the reads)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.denials import SAVED_SEARCH_OWNER_ONLY, deny
from conversion_db.api.idempotency import idempotent
from conversion_db.api.versioning import expected_version
from enterprises import selectors
from enterprises.api import examples
from enterprises.api.base import DemandSideViewSet, validated_data
from enterprises.api.saved_search_serializers import (
    ResultsQuerySerializer,
    SavedSearchResultsSerializer,
    SavedSearchSerializer,
    SavedSearchWriteSerializer,
)
from enterprises.models import SavedSearch
from enterprises.permissions import choose_enterprise, may_change_saved_search
from enterprises.services.saved_searches import (
    saved_search_create,
    saved_search_delete,
    saved_search_update,
)

SAVED_SEARCH_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The saved search's id. 保存的检索 ID。"
)
LIMIT = OpenApiParameter(
    "limit",
    int,
    description=(
        f"At most this many results, 1 to {selectors.MAX_RESULTS} (default 20). 返回结果数上限。"
    ),
    examples=[OpenApiExample("twenty", value=20)],
)


@extend_schema_view(
    list=extend_schema(
        summary="Your saved searches / 我的保存检索",
        description=(
            "The searches you saved, newest first (operators: everyone's). Cursor-paginated. "
            "列出本人保存的检索（运营人员可见全部），按保存时间倒序。"
        ),
        tags=["saved searches"],
    ),
    retrieve=extend_schema(
        summary="One saved search / 保存的检索详情",
        description=(
            "Your saved search; another user's answers 404. The ETag is its version. "
            "本人保存的检索；他人的返回 404。ETag 为版本号。"
        ),
        tags=["saved searches"],
        parameters=[SAVED_SEARCH_ID],
        examples=[examples.SAVED_SEARCH_RESPONSE],
    ),
    create=extend_schema(
        summary="Save a search / 保存检索",
        description=(
            "Save the parameters of a patent search (`/api/v1/patents/`) or an offer search "
            "(`/api/v1/offers/`) as `query`: parameter name to a list of values (or one value). "
            "Only the parameters the list accepts are allowed, and they are checked as the list "
            "checks them: an unknown parameter or a bad value is a 400 on `query.<parameter>`. "
            "At most 30 parameters, 50 values each, 500 characters a value. `enterprise` may be "
            "left out when you act for exactly one enterprise. Alerts start from now: what "
            "exists already is not alerted. "
            "保存专利或许可信息检索的参数；参数及取值按列表接口的规则校验，错误时返回 400 并指明 "
            "`query.<参数>`。提醒只包含保存之后的新结果。"
        ),
        tags=["saved searches"],
        request=SavedSearchWriteSerializer,
        responses={201: SavedSearchSerializer},
        examples=[
            examples.SAVED_SEARCH_CREATE,
            examples.SAVED_SEARCH_OFFERS,
            examples.SAVED_SEARCH_RESPONSE,
        ],
    ),
    partial_update=extend_schema(
        summary="Change a saved search / 修改保存的检索",
        description=(
            "Rename it, change its parameters or turn alerts on or off; the target stays. Send "
            "the version you read as `If-Match` or `version`; a stale one is a 412 and nothing "
            "changes. Only the owner may: an operator gets 403 `owner_only`. "
            "修改名称、参数或提醒开关；版本过期返回 412；仅本人可修改。"
        ),
        tags=["saved searches"],
        request=SavedSearchWriteSerializer,
        responses={200: SavedSearchSerializer},
        parameters=[SAVED_SEARCH_ID],
        examples=[examples.SAVED_SEARCH_UPDATE, examples.SAVED_SEARCH_RESPONSE],
    ),
    destroy=extend_schema(
        summary="Delete a saved search / 删除保存的检索",
        description=(
            "Deletes it and its alerts (its history stays for the operators). Send the version "
            "you read (If-Match); a stale one is a 412. 删除保存的检索（保留变更历史）；须回传版本。"
        ),
        tags=["saved searches"],
        parameters=[SAVED_SEARCH_ID],
    ),
    results=extend_schema(
        summary="What is new for a saved search / 保存检索的新结果",
        description=(
            "What newly matches since the last alert (or since saving), exactly as the list "
            "endpoint would show it for the same parameters and in its order: for patents, "
            "patents registered since; for offers, offers published since. Reading this does not "
            "move the alert watermark. 自上次提醒（或保存）以来的新结果，与列表接口同参数同顺序；"
            "读取不影响提醒进度。"
        ),
        tags=["saved searches"],
        parameters=[SAVED_SEARCH_ID, LIMIT],
        responses={200: SavedSearchResultsSerializer},
        examples=[examples.SAVED_SEARCH_RESULTS],
    ),
)
class SavedSearchViewSet(DemandSideViewSet):
    serializer_class = SavedSearchSerializer

    def get_queryset(self) -> QuerySet[SavedSearch]:
        return selectors.saved_searches_visible_to(self.request.user)

    def get_serializer_class(self) -> Any:
        if self.action in ("create", "partial_update"):
            return SavedSearchWriteSerializer
        return SavedSearchSerializer

    @idempotent
    def create(self, request: Request) -> Response:
        values = validated_data(SavedSearchWriteSerializer, request)
        enterprise = choose_enterprise(request.user, values.pop("enterprise", None))
        values.pop("version", None)
        saved = saved_search_create(actor=request.user, enterprise=enterprise, values=values)
        return self.answer(saved, status.HTTP_201_CREATED)

    def owned_object(self) -> SavedSearch:
        """The saved search in the URL, when the user may change it: operators see others'
        (403 ``owner_only``), anyone else gets 404 for them."""
        saved: SavedSearch = self.visible_object()
        if not may_change_saved_search(self.request.user, saved):
            raise deny(SAVED_SEARCH_OWNER_ONLY)
        return saved

    def partial_update(self, request: Request, pk: str) -> Response:
        saved = self.owned_object()
        values = validated_data(SavedSearchWriteSerializer, request, partial=True)
        values.pop("enterprise", None)
        values.pop("version", None)
        saved = saved_search_update(
            actor=request.user,
            saved_search=saved,
            values=values,
            expected_version=expected_version(request),
        )
        return self.answer(saved)

    def destroy(self, request: Request, pk: str) -> Response:
        saved = self.owned_object()
        saved_search_delete(
            actor=request.user, saved_search=saved, expected_version=expected_version(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request: Request, pk: str) -> Response:
        saved = self.visible_object()
        params = ResultsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = selectors.saved_search_new_results(saved, params.validated_data["limit"])
        body = {
            "saved_search": saved.pk,
            "target": saved.target,
            "since": saved.last_alerted_at,
            "truncated": found.truncated,
            "results": [selectors.result_item(saved.target, row) for row in found.rows],
        }
        return Response(SavedSearchResultsSerializer(body).data)
