"""/api/v1/holders/ (find, read and register holders, ask to join one) and
/api/v1/holder-requests/ (registrations to verify and requests to join, and their decisions).

Thin views: reads from ``accounts.selectors``, who may act from ``accounts.permissions``
(a refusal says what is missing: ``conversion_db.api.denials``), every write through
``accounts.services.holders``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors
from accounts.api import examples
from accounts.api.serializers import (
    HolderDetailSerializer,
    HolderRegisterSerializer,
    HolderRequestSerializer,
    HolderSerializer,
    MembershipRequestCreateSerializer,
    RefuseSerializer,
)
from accounts.filtersets import HolderFilterSet, HolderRequestFilterSet
from accounts.models import HolderRequest
from accounts.permissions import decide_denial, withdraw_denial
from accounts.services import holders as services
from conversion_db.api.denials import deny
from conversion_db.api.idempotency import idempotent
from conversion_db.api.versioning import VersionSerializer, etag, expected_version
from enterprises.api.base import DemandSideViewSet, validated_data
from patents.models import Holder

HOLDER_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Holder id. 权利人 ID。")
REQUEST_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Request id. 申请 ID。")


@extend_schema(tags=["holders"])
@extend_schema_view(
    list=extend_schema(
        summary="Find patent holders / 查找专利权人",
        description=(
            "Universities, institutes, hospitals and companies that hold patents, by name; "
            "`verified` ones were checked by an operator. Use a holder's id to ask to join it. "
            "Cursor-paginated by name. 按名称查找专利权人；可据此申请加入。"
        ),
    ),
    retrieve=extend_schema(
        summary="One patent holder / 专利权人详情",
        description="A holder's public record. 专利权人的公开信息。",
        parameters=[HOLDER_ID],
    ),
    create=extend_schema(
        summary="Register your holder / 登记本单位为专利权人",
        description=(
            "Register the university, institute or hospital you act for: name, kind, unified "
            "social credit code (checked, GB 32100), region and contact. You become its "
            "administrator at once and may register its patents; it stays unverified until an "
            "operator checks the credit code, and its offers cannot be published before. A code "
            "another holder has already is a 400 `duplicate_uscc` naming that holder, to ask to "
            "join. 登记本单位；您成为管理员，运营人员核验信用代码前许可信息不能发布。"
        ),
        request=HolderRegisterSerializer,
        responses={201: HolderDetailSerializer},
        examples=[examples.HOLDER_REGISTER, examples.HOLDER],
    ),
    membership_requests=extend_schema(
        summary="Ask to join a holder / 申请加入专利权人",
        description=(
            "Ask the holder's administrators (or an operator) to make you a member, with a "
            "message saying who you are. They approve or refuse with a reason; you are mailed "
            "the outcome. Already a member, or asked already: 400. 申请成为该单位成员，结果邮件通知。"
        ),
        request=MembershipRequestCreateSerializer,
        responses={201: HolderRequestSerializer},
        parameters=[HOLDER_ID],
        examples=[examples.MEMBERSHIP_REQUEST, examples.HOLDER_REQUEST],
    ),
)
class HolderViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = HolderSerializer
    filterset_class = HolderFilterSet
    keyset_ordering = ["name", "id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Holder]:
        return selectors.holders_for_api()

    def holder(self) -> Holder:
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(HolderSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        holder = self.holder()
        return Response(HolderDetailSerializer(holder).data, headers=etag(holder))

    @idempotent
    def create(self, request: Request) -> Response:
        values = validated_data(HolderRegisterSerializer, request)
        holder, _registration = services.holder_register(actor=request.user, values=values)
        return Response(
            HolderDetailSerializer(holder).data,
            status=status.HTTP_201_CREATED,
            headers=etag(holder),
        )

    @action(detail=True, methods=["post"], url_path="membership-requests")
    @idempotent
    def membership_requests(self, request: Request, pk: str) -> Response:
        holder = self.holder()
        values = validated_data(MembershipRequestCreateSerializer, request)
        created = services.membership_request_create(
            actor=request.user, holder=holder, message=values.get("message", "")
        )
        created = selectors.holder_requests_visible_to(request.user).get(pk=created.pk)
        return Response(
            HolderRequestSerializer(created).data,
            status=status.HTTP_201_CREATED,
            headers=etag(created),
        )


DECISION = (
    "Send the version you read (If-Match or `version`); 412 when it changed, 400 `not_pending` "
    "when it was decided already. "
)


@extend_schema_view(
    list=extend_schema(
        summary="Holder requests / 权利人相关申请",
        description=(
            "Requests you made, requests to join the holders you administer, and (operators) "
            "every request, including holder registrations to verify; newest first. Filter "
            "`status=pending` for what waits for a decision. 您的申请、待您审批的加入申请；"
            "运营人员可见全部（含待核验的登记）。"
        ),
        tags=["holders"],
    ),
    retrieve=extend_schema(
        summary="One holder request / 申请详情",
        description="The ETag is its version. ETag 为版本号。",
        tags=["holders"],
        parameters=[REQUEST_ID],
        examples=[examples.HOLDER_REQUEST],
    ),
    approve=extend_schema(
        summary="Approve a request / 批准申请",
        description=(
            "A request to join: the person becomes a member (the holder's administrators or "
            "an operator decide). A registration: the holder is verified (operators only). The "
            "person who asked is mailed. "
            + DECISION
            + "批准：加入申请使其成为成员；登记申请核验该单位。"
        ),
        tags=["holders"],
        request=VersionSerializer,
        responses={200: HolderRequestSerializer},
        parameters=[REQUEST_ID],
    ),
    refuse=extend_schema(
        summary="Refuse a request / 拒绝申请",
        description=(
            "With a reason, mailed to the person who asked. A refused registration leaves the "
            "holder unverified. " + DECISION + "拒绝并说明理由（邮件通知申请人）。"
        ),
        tags=["holders"],
        request=RefuseSerializer,
        responses={200: HolderRequestSerializer},
        parameters=[REQUEST_ID],
        examples=[examples.REFUSE],
    ),
    withdraw=extend_schema(
        summary="Withdraw your request / 撤回申请",
        description="The person who asked takes a pending request back. " + DECISION + "撤回申请。",
        tags=["holders"],
        request=VersionSerializer,
        responses={200: HolderRequestSerializer},
        parameters=[REQUEST_ID],
    ),
)
class HolderRequestViewSet(DemandSideViewSet):
    serializer_class = HolderRequestSerializer
    filterset_class = HolderRequestFilterSet

    def get_queryset(self) -> QuerySet[HolderRequest]:
        return selectors.holder_requests_visible_to(self.request.user)

    def decidable(self) -> HolderRequest:
        found: HolderRequest = self.visible_object()
        denial = decide_denial(self.request.user, found)
        if denial is not None:
            raise deny(denial)
        return found

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        decided = services.holder_request_approve(
            actor=request.user,
            holder_request=self.decidable(),
            expected_version=expected_version(request),
        )
        return self.answer(decided)

    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        found = self.decidable()
        values = validated_data(RefuseSerializer, request)
        decided = services.holder_request_refuse(
            actor=request.user,
            holder_request=found,
            reason=values["reason"],
            expected_version=expected_version(request),
        )
        return self.answer(decided)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        found: Any = self.visible_object()
        denial = withdraw_denial(request.user, found)
        if denial is not None:
            raise deny(denial)
        withdrawn = services.holder_request_withdraw(
            actor=request.user, holder_request=found, expected_version=expected_version(request)
        )
        return self.answer(withdrawn)
