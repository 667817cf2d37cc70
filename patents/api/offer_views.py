"""GET/POST /api/v1/offers/: published offers for everyone; holders' members write their own,
operators review (patents.licensing.offers holds every rule, patents.licensing.selectors
every read)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.idempotency import idempotent
from conversion_db.api.versioning import (
    VersionedViewSetMixin,
    VersionSerializer,
    etag,
    expected_version,
)
from patents.api.bulk_views import BulkFileMixin, export_schema, import_schema
from patents.api.offer_serializers import (
    EligibilitySerializer,
    OfferDetailSerializer,
    OfferFacetsSerializer,
    OfferSerializer,
    OfferWriteSerializer,
    ReviewSerializer,
)
from patents.api.serializers import current_holder_names, patent_number
from patents.imports.offers import OfferImport
from patents.licensing import offers
from patents.licensing.eligibility import offer_eligibility
from patents.licensing.filtersets import OFFER_ORDERINGS
from patents.licensing.selectors import offer_facets, offers_visible_to
from patents.models import LicensingOffer
from patents.permissions import (
    ReadAnyoneWriteHolderMembers,
    choose_holder,
    is_operator,
    member_holder_ids,
)
from patents.search.ranking import RelevanceOrderedMixin

OFFER_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The offer's id. 许可信息 ID。"
)


class IsOperator(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return is_operator(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Search licensing offers / 检索许可信息",
        description=(
            "Published offers (a holder's members also see their own drafts; operators all), "
            "newest first or by price, with filters over the offer and its patents. "
            "检索已发布的许可信息。"
        ),
        tags=["offers"],
    ),
    retrieve=extend_schema(
        summary="One offer / 许可信息详情",
        description=(
            "A published offer, or your own holder's offer in any state (with contact and "
            "review). The ETag is its version. 许可信息详情。"
        ),
        tags=["offers"],
        parameters=[OFFER_ID],
    ),
    create=extend_schema(
        summary="Draft an offer / 新建许可信息",
        description=(
            "A holder member offers one or more of their holder's patents (a portfolio). The "
            "licence term may not outlive any patent. It stays a draft until submitted. "
            "新建许可信息草稿。"
        ),
        tags=["offers"],
        request=OfferWriteSerializer,
        responses={201: OfferDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a draft offer / 修改许可草稿",
        description="Only drafts change; send the version (If-Match). 仅可修改草稿。",
        tags=["offers"],
        request=OfferWriteSerializer,
        responses={200: OfferDetailSerializer},
        parameters=[OFFER_ID],
    ),
    import_file=import_schema(
        summary="Import offers from a file / 批量导入许可信息",
        description=(
            "Creates offers as drafts through the same service as POST (a row with `submit` "
            "true is sent for review at once, so the eligibility rules refuse it with their "
            "reasons), or changes drafts named by `offer_id` (identical rows count as "
            "unchanged). A holder's member imports into their holder; operators name the "
            "holder per row. 批量导入许可信息（草稿，或提交审核）。"
        ),
    ),
    export=export_schema(
        background=True,
        summary="Export offers / 导出许可信息",
        description=(
            "The offers you can read with the list's filters; contacts and consents only for "
            "your own holder's offers (operators: all). 导出许可信息。"
        ),
    ),
)
class OfferViewSet(
    RelevanceOrderedMixin, VersionedViewSetMixin, BulkFileMixin, viewsets.GenericViewSet
):
    """Listed (or exported) by relevance, ``q`` also ranks the offers over a bounded window;
    facets and the other orderings count or list every match (``OFFER_ORDERINGS``)."""

    permission_classes = [ReadAnyoneWriteHolderMembers]
    orderings = OFFER_ORDERINGS
    unversioned_actions = frozenset({"eligibility"})  # a check that changes nothing
    filtered_actions = frozenset({"facets", "export"})  # they take the list's filters
    lookup_value_regex = "[0-9]+"
    bulk_kind = OfferImport

    def get_queryset(self) -> QuerySet[LicensingOffer]:
        return offers_visible_to(self.request.user)

    def get_serializer_class(self) -> Any:
        return OfferSerializer

    def _can_see_private(self, offer: LicensingOffer) -> bool:
        user = self.request.user
        return is_operator(user) or offer.holder_id in member_holder_ids(user)

    def _offer(self, *, writable: bool = False) -> LicensingOffer:
        pk = self.kwargs["pk"]
        offer = self.get_queryset().filter(pk=pk).first()
        if offer is None or (writable and not self._can_see_private(offer)):
            raise Http404
        return offer

    def _answer(self, offer: LicensingOffer, code: int = status.HTTP_200_OK) -> Response:
        offer = self.get_queryset().get(pk=offer.pk)
        serializer = OfferDetailSerializer if self._can_see_private(offer) else OfferSerializer
        return Response(serializer(offer).data, status=code, headers=etag(offer))

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(OfferSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(self._offer())

    @idempotent
    def create(self, request: Request) -> Response:
        serializer = OfferWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        holder = choose_holder(request.user, data.pop("holder", None))
        patent_ids = data.pop("patents", None) or []
        data.pop("version", None)
        if "offer_type" not in data:
            raise ValidationError(
                {"offer_type": ValidationError(_("This field is required."), code="required")}
            )
        offer = offers.offer_create(
            actor=request.user, holder=holder, values=data, patent_ids=patent_ids
        )
        return self._answer(offer, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        offer = self._offer(writable=True)
        serializer = OfferWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("holder", None)
        data.pop("version", None)
        patent_ids = data.pop("patents", None)
        offer = offers.offer_update(
            actor=request.user,
            offer=offer,
            values=data,
            patent_ids=patent_ids,
            expected_version=expected_version(request),
        )
        return self._answer(offer)

    @extend_schema(
        summary="Facet counts for an offer search / 许可信息分面统计",
        description=(
            "Counts by offer type, pricing mode, holder kind and the offered patents' type and "
            "IPC section, over the offers the same parameters select. 许可信息分面统计。"
        ),
        tags=["offers"],
        responses=OfferFacetsSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def facets(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        return Response(OfferFacetsSerializer(offer_facets(queryset)).data)

    @extend_schema(
        summary="Check the rules without changing anything / 资格预检",
        description=(
            "Runs the rules of docs/domain/open-licensing.md and "
            "licences-and-recordation.md (open-licence eligibility, licence conflicts, "
            "pledges) for every patent of the offer and returns every blocking reason and "
            "warning, each with a code, its legal basis and a message. Nothing changes. "
            "对每件专利给出全部阻碍理由和提示，不做任何修改。"
        ),
        tags=["offers"],
        request=None,
        responses={200: EligibilitySerializer},
        parameters=[OFFER_ID],
    )
    @action(detail=True, methods=["post"])
    def eligibility(self, request: Request, pk: str) -> Response:
        offer = self._offer(writable=True)
        verdicts = offer_eligibility(offer)
        body = {
            "ok": all(v.result.ok for v in verdicts),
            "patents": [
                {
                    "patent": v.patent.pk,
                    "number": patent_number(v.patent),
                    "title": v.patent.title,
                    "holders": current_holder_names(v.patent),
                    "ok": v.result.ok,
                    "errors": [_problem(p) for p in v.result.errors],
                    "warnings": [_problem(p) for p in v.result.warnings],
                }
                for v in verdicts
            ],
        }
        return Response(EligibilitySerializer(body).data)

    @extend_schema(
        summary="Submit a draft for review / 提交审核",
        description=(
            "Refused (400) with every blocking reason of every patent, each under "
            "patents[<id>]; 412 when stale. 提交审核；不符合条件时返回全部理由。"
        ),
        tags=["offers"],
        request=VersionSerializer,
        responses={200: OfferDetailSerializer},
        parameters=[OFFER_ID],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        offer = self._offer(writable=True)
        offer = offers.offer_submit(
            actor=request.user, offer=offer, expected_version=expected_version(request)
        )
        return self._answer(offer)

    @extend_schema(
        summary="Withdraw an offer / 撤回许可信息",
        description=(
            "The holder withdraws a draft, pending or published offer; licences already "
            "granted under it stay valid. 撤回；已授予的许可继续有效。"
        ),
        tags=["offers"],
        request=VersionSerializer,
        responses={200: OfferDetailSerializer},
        parameters=[OFFER_ID],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        offer = self._offer(writable=True)
        offer = offers.offer_withdraw(
            actor=request.user, offer=offer, expected_version=expected_version(request)
        )
        return self._answer(offer)

    @extend_schema(
        summary="Approve or reject a pending offer (operators) / 审核",
        description=(
            "approve=true publishes it (the rules are checked again); approve=false returns it "
            "to its holder as a draft with the note, which is then required. 运营人员审核。"
        ),
        tags=["offers"],
        request=ReviewSerializer,
        responses={200: OfferDetailSerializer},
        parameters=[OFFER_ID],
    )
    @action(detail=True, methods=["post"], permission_classes=[IsOperator])
    def review(self, request: Request, pk: str) -> Response:
        offer = self._offer(writable=True)
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = offers.offer_review(
            actor=request.user,
            offer=offer,
            approve=serializer.validated_data["approve"],
            note=serializer.validated_data.get("note", ""),
            expected_version=expected_version(request),
        )
        return self._answer(offer)


def _problem(problem: Any) -> dict[str, str]:
    return {"code": problem.code, "basis": problem.basis, "message": str(problem.message)}
