"""/api/v1/enterprises/, demands/, matches/, inquiries/, deals/: the demand side.

Thin views: querysets from ``enterprises.selectors`` (another enterprise's records answer
404), filters from ``enterprises.filtersets``, who may act from ``enterprises.permissions``,
every write through ``enterprises.services``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.filters import unknown_parameters_error
from conversion_db.api.idempotency import idempotent
from conversion_db.api.pagination import KeysetPagination
from conversion_db.api.schema import ERROR_RESPONSES
from conversion_db.api.versioning import VersionSerializer, expected_version
from enterprises import selectors
from enterprises.api import examples
from enterprises.api.base import DemandSideViewSet, validated_data
from enterprises.api.serializers import (
    DealRecordationSerializer,
    DealSerializer,
    DealWriteSerializer,
    DemandSerializer,
    DemandWriteSerializer,
    EnterpriseSerializer,
    EnterpriseWriteSerializer,
    InquiryDeclineSerializer,
    InquiryReplySerializer,
    InquirySerializer,
    InquiryWriteSerializer,
    MatchSerializer,
    MatchStateSerializer,
    OpenLicenceAcceptSerializer,
)
from enterprises.filtersets import DemandFilterSet, InquiryFilterSet, MatchFilterSet
from enterprises.models import Deal, Enterprise, Inquiry, Match, TechnologyDemand
from enterprises.permissions import choose_enterprise, may_answer_inquiry
from enterprises.services.deals import deal_accept_open_licence, deal_conclude, deal_record
from enterprises.services.demands import demand_close, demand_create, demand_open, demand_update
from enterprises.services.enterprises import enterprise_create, enterprise_update
from enterprises.services.inquiries import inquiry_create, inquiry_decline, inquiry_reply
from enterprises.services.matches import match_set_state
from patents.models import LicensingOffer
from patents.permissions import choose_holder

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Its id. 编号。")


# --- Enterprises ------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Your enterprises / 我的企业",
        description="The enterprises you act for (operators: all). 您所代表的企业。",
        tags=["enterprises"],
    ),
    retrieve=extend_schema(
        summary="One enterprise / 企业详情",
        description=(
            "With its size class, the standard row and the reason that produced it, and its "
            "designations. The ETag is its version. 含企业规模及其划型依据、资质认定。"
        ),
        tags=["enterprises"],
        parameters=[ID],
        examples=[examples.ENTERPRISE],
    ),
    create=extend_schema(
        summary="Register an enterprise / 登记企业",
        description=(
            "Registers an enterprise; you become its administrator. The credit code is checked "
            "(GB 32100), the size class is computed from industry (GB/T 4754), employees, "
            "revenue and assets under the SME standard in force, and a patent holder with the "
            "same credit code is linked. 登记企业，自动划型并关联同一主体的专利权人。"
        ),
        tags=["enterprises"],
        request=EnterpriseWriteSerializer,
        responses={201: EnterpriseSerializer},
        examples=[examples.ENTERPRISE_WRITE],
    ),
    partial_update=extend_schema(
        summary="Change an enterprise / 修改企业信息",
        description=(
            "Members change their enterprise; the size class is computed again. Send the "
            "version (If-Match); 412 when stale. 修改后重新划型。"
        ),
        tags=["enterprises"],
        request=EnterpriseWriteSerializer,
        responses={200: EnterpriseSerializer},
        parameters=[ID],
    ),
)
class EnterpriseViewSet(DemandSideViewSet):
    serializer_class = EnterpriseSerializer

    def get_queryset(self) -> QuerySet[Enterprise]:
        return selectors.enterprises_visible_to(self.request.user)

    @idempotent
    def create(self, request: Request) -> Response:
        data = validated_data(EnterpriseWriteSerializer, request)
        data.pop("version", None)
        designations = data.pop("designations", None)
        enterprise = enterprise_create(actor=request.user, values=data, designations=designations)
        return self.answer(enterprise, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        enterprise = self.visible_object()
        data = validated_data(EnterpriseWriteSerializer, request, partial=True)
        data.pop("version", None)
        designations = data.pop("designations", None)
        enterprise = enterprise_update(
            actor=request.user,
            enterprise=enterprise,
            values=data,
            expected_version=expected_version(request),
            designations=designations,
        )
        return self.answer(enterprise)


# --- Demands ----------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Your technology demands / 我的技术需求",
        description="Your enterprises' demands, newest first (operators: all). 技术需求列表。",
        tags=["demands"],
    ),
    retrieve=extend_schema(
        summary="One demand / 技术需求详情",
        description="The ETag is its version. 技术需求详情。",
        tags=["demands"],
        parameters=[ID],
    ),
    create=extend_schema(
        summary="Post a technology demand / 发布技术需求",
        description=(
            "A draft, or with open=true published and matched at once. IPC codes may come from "
            "/api/v1/ipc/suggest/; without them, matching uses the subclasses suggested for "
            "the text and the response offers them in suggested_ipc. "
            "发布技术需求（open=true 时立即发布并匹配；未填 IPC 时按建议分类匹配）。"
        ),
        tags=["demands"],
        request=DemandWriteSerializer,
        responses={201: DemandSerializer},
        examples=[examples.DEMAND_WRITE, examples.DEMAND_WRITE_SME, examples.DEMAND_CREATED_SME],
    ),
    partial_update=extend_schema(
        summary="Change a demand / 修改技术需求",
        description=(
            "Drafts and open demands change; an open one is matched again (progressed matches "
            "keep their state). Send the version (If-Match). 修改后重新匹配。"
        ),
        tags=["demands"],
        request=DemandWriteSerializer,
        responses={200: DemandSerializer},
        parameters=[ID],
    ),
)
class DemandViewSet(DemandSideViewSet):
    serializer_class = DemandSerializer
    filterset_class = DemandFilterSet

    def get_queryset(self) -> QuerySet[TechnologyDemand]:
        return selectors.demands_visible_to(self.request.user)

    @idempotent
    def create(self, request: Request) -> Response:
        data = validated_data(DemandWriteSerializer, request)
        enterprise = choose_enterprise(request.user, data.pop("enterprise", None))
        open_now = data.pop("open", False)
        data.pop("version", None)
        demand = demand_create(
            actor=request.user, enterprise=enterprise, values=data, open_now=open_now
        )
        return self.answer(demand, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        demand = self.visible_object()
        data = validated_data(DemandWriteSerializer, request, partial=True)
        for key in ("enterprise", "open", "version"):
            data.pop(key, None)
        demand = demand_update(
            actor=request.user,
            demand=demand,
            values=data,
            expected_version=expected_version(request),
        )
        return self.answer(demand)

    @extend_schema(
        summary="Publish a draft demand / 发布需求",
        description=(
            "The demand becomes open and is matched at once; it is matched again whenever it "
            "changes and when a relevant offer is published. 发布并匹配。"
        ),
        tags=["demands"],
        request=VersionSerializer,
        responses={200: DemandSerializer},
        parameters=[ID],
    )
    @action(detail=True, methods=["post"], url_path="open")
    def open_demand(self, request: Request, pk: str) -> Response:
        demand = demand_open(
            actor=request.user,
            demand=self.visible_object(),
            expected_version=expected_version(request),
        )
        return self.answer(demand)

    @extend_schema(
        summary="Close a demand / 关闭需求",
        description="No more matching; matches and inquiries stay. 关闭需求。",
        tags=["demands"],
        request=VersionSerializer,
        responses={200: DemandSerializer},
        parameters=[ID],
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        demand = demand_close(
            actor=request.user,
            demand=self.visible_object(),
            expected_version=expected_version(request),
        )
        return self.answer(demand)

    @extend_schema(
        summary="A demand's matches, explained / 需求匹配结果（附解释）",
        description=(
            "The stored matches, best first: each with its score, every component (text "
            "relevance with the matched terms, IPC closeness, offer compatibility, region, "
            "remaining life, legal status, high value) with its weight and a reason in English "
            "and Chinese, and its state. 匹配结果，按得分排序，附各项得分与理由。"
        ),
        tags=["demands"],
        parameters=[ID],
        responses={200: MatchSerializer(many=True)},
        examples=[examples.MATCH],
        filters=False,  # pages of one demand's matches: the demands' filters do not apply
    )
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, pk: str) -> Response:
        # No FilterSet runs here, so refuse what the paginator does not read ourselves, as
        # StrictFilterBackend does for the lists.
        paginator = self.paginator
        accepted = (
            set(paginator.query_parameters()) if isinstance(paginator, KeysetPagination) else set()
        )
        unknown = set(request.query_params) - accepted
        if unknown:
            raise unknown_parameters_error(unknown, accepted)
        queryset = selectors.demand_matches(self.visible_object())
        self.keyset_ordering = ["-score", "id"]
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(MatchSerializer(page, many=True).data)


# --- Matches ----------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Your matches / 我的匹配",
        description=(
            "The matches of your enterprises' demands, newest first (operators: all), e.g. "
            "state=negotiating for the conversations in progress. 各需求的匹配结果。"
        ),
        tags=["demands"],
    ),
    retrieve=extend_schema(
        summary="One match / 匹配详情",
        description="With its explanation. The ETag is its version. 匹配详情。",
        tags=["demands"],
        parameters=[ID],
    ),
    partial_update=extend_schema(
        summary="Move a match along / 更新匹配状态",
        description=(
            "suggested → viewed → contacted → negotiating → concluded, or dismissed with a "
            "reason (an inquiry and a deal move it too). 更新匹配状态；排除时须说明原因。"
        ),
        tags=["demands"],
        request=MatchStateSerializer,
        responses={200: MatchSerializer},
        parameters=[ID],
    ),
)
class MatchViewSet(DemandSideViewSet):
    serializer_class = MatchSerializer
    filterset_class = MatchFilterSet

    def get_queryset(self) -> QuerySet[Match]:
        return selectors.matches_visible_to(self.request.user)

    def partial_update(self, request: Request, pk: str) -> Response:
        match = self.visible_object()
        data = validated_data(MatchStateSerializer, request)
        match = match_set_state(
            actor=request.user,
            match=match,
            state=data["state"],
            dismissal_reason=data.get("dismissal_reason", ""),
            expected_version=expected_version(request),
        )
        return self.answer(match)


# --- Inquiries --------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Inquiries / 咨询",
        description=(
            "What your enterprises sent and what was addressed to your holders (box=sent or "
            "received), newest first; operators see all. 咨询列表。"
        ),
        tags=["inquiries"],
    ),
    retrieve=extend_schema(
        summary="One inquiry / 咨询详情",
        description="With the reply, the decline reason and the first response time. 咨询详情。",
        tags=["inquiries"],
        parameters=[ID],
    ),
    create=extend_schema(
        summary="Ask a holder / 发起咨询",
        description=(
            "About a published offer, a patent or one of your matches; it goes to the offer's "
            "holder or the patent's holder of record, whose members are e-mailed. A match "
            "becomes contacted. 就许可信息、专利或匹配结果向专利权人咨询。"
        ),
        tags=["inquiries"],
        request=InquiryWriteSerializer,
        responses={201: InquirySerializer},
        examples=[examples.INQUIRY_WRITE],
    ),
)
class InquiryViewSet(DemandSideViewSet):
    serializer_class = InquirySerializer
    filterset_class = InquiryFilterSet

    def get_queryset(self) -> QuerySet[Inquiry]:
        return selectors.inquiries_visible_to(self.request.user)

    @idempotent
    def create(self, request: Request) -> Response:
        data = validated_data(InquiryWriteSerializer, request)
        enterprise = choose_enterprise(request.user, data.pop("enterprise", None))
        inquiry = inquiry_create(
            actor=request.user,
            enterprise=enterprise,
            message=data["message"],
            offer_id=data.get("offer"),
            patent_id=data.get("patent"),
            match_id=data.get("match"),
        )
        return self.answer(inquiry, status.HTTP_201_CREATED)

    def received_inquiry(self) -> Inquiry:
        """The inquiry named in the URL, when the user may answer it (404 otherwise)."""
        inquiry = self.visible_object()
        if not may_answer_inquiry(self.request.user, inquiry):
            raise Http404
        return inquiry

    @extend_schema(
        summary="Reply to an inquiry / 回复咨询",
        description=(
            "The holder's members answer; the first answer fixes the response time. "
            "专利权人回复，首次回复记录响应时长。"
        ),
        tags=["inquiries"],
        request=InquiryReplySerializer,
        responses={200: InquirySerializer},
        parameters=[ID],
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        inquiry = self.received_inquiry()
        data = validated_data(InquiryReplySerializer, request)
        inquiry = inquiry_reply(
            actor=request.user,
            inquiry=inquiry,
            reply=data["reply"],
            expected_version=expected_version(request),
        )
        return self.answer(inquiry)

    @extend_schema(
        summary="Decline an inquiry / 婉拒咨询",
        description=(
            "With a structured reason: too_early, benefit_unclear, price, terms, not_our_field, "
            "already_licensed, other. 须给出婉拒原因。"
        ),
        tags=["inquiries"],
        request=InquiryDeclineSerializer,
        responses={200: InquirySerializer},
        parameters=[ID],
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        inquiry = self.received_inquiry()
        data = validated_data(InquiryDeclineSerializer, request)
        inquiry = inquiry_decline(
            actor=request.user,
            inquiry=inquiry,
            reason=data["reason"],
            reply=data.get("reply", ""),
            expected_version=expected_version(request),
        )
        return self.answer(inquiry)


# --- Deals ------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Deals / 成交",
        description=(
            "Licences and assignments concluded through the platform, for the licensee's and "
            "the licensor's members (operators: all), with the recordation deadline. 成交记录。"
        ),
        tags=["deals"],
    ),
    retrieve=extend_schema(
        summary="One deal / 成交详情",
        description="With its licence record and recordation deadline. 成交详情。",
        tags=["deals"],
        parameters=[ID],
    ),
    create=extend_schema(
        summary="Record a deal reached through an inquiry / 登记成交",
        description=(
            "The licensor's members record the licence or assignment agreed with the "
            "inquiring enterprise. It is recorded as a licence record, so every rule of "
            "docs/domain/licences-and-recordation.md applies (400 with each patent's "
            "reasons); recordation with CNIPA is due within 3 months of the contract. An "
            "inquiry you cannot see answers 404. "
            "专利权人登记经咨询达成的许可或转让，须在 3 个月内备案；无权查看的咨询返回 404。"
        ),
        tags=["deals"],
        request=DealWriteSerializer,
        responses={201: DealSerializer, 404: ERROR_RESPONSES[404]},
        examples=[examples.DEAL_WRITE],
    ),
    partial_update=extend_schema(
        summary="Mark a deal recorded / 登记备案号",
        description=(
            "Once CNIPA has recorded the licence contract, either party (the licensor's or "
            "the licensee's members) or an operator enters the recordation number and date "
            "(both are needed once), or corrects either (a field not sent is kept). The "
            "deal's licence record takes them (the licence list then shows it to everyone, as "
            "CNIPA publishes it) and the reminders stop. Refused (400, by field): a number "
            "that is not 6-40 letters, digits or hyphens, or that another licence record has; "
            "a date before the contract or in the future. More than 3 months after the "
            "contract is accepted with a warning. Send the version (If-Match); 412 when stale. "
            "Licence records themselves are not changed by PATCH: a deal owns its record. "
            "合同经国家知识产权局备案后，任一方（或运营人员）登记备案号"
            "与备案日期；许可记录随之更新并公开，提醒停止。"
        ),
        tags=["deals"],
        request=DealRecordationSerializer,
        responses={200: DealSerializer},
        parameters=[ID],
        examples=[examples.DEAL_RECORDATION],
    ),
)
class DealViewSet(DemandSideViewSet):
    serializer_class = DealSerializer

    def get_queryset(self) -> QuerySet[Deal]:
        return selectors.deals_visible_to(self.request.user)

    def partial_update(self, request: Request, pk: str) -> Response:
        deal = self.visible_object()
        data = validated_data(DealRecordationSerializer, request, partial=True)
        deal, warnings = deal_record(
            actor=request.user,
            deal=deal,
            recordation_number=data.get("recordation_number"),
            recordation_date=data.get("recordation_date"),
            expected_version=expected_version(request),
        )
        return self.answer(deal, warnings=warnings)

    @idempotent
    def create(self, request: Request) -> Response:
        data = validated_data(DealWriteSerializer, request)
        inquiry = (
            selectors.inquiries_visible_to(request.user).filter(pk=data.pop("inquiry")).first()
        )
        if inquiry is None:
            raise Http404
        holder = choose_holder(request.user, inquiry.holder_id)
        patent_ids = data.pop("patents", None)
        deal, warnings = deal_conclude(
            actor=request.user, holder=holder, inquiry=inquiry, values=data, patent_ids=patent_ids
        )
        return self.answer(deal, status.HTTP_201_CREATED, warnings=warnings)

    @extend_schema(
        summary="Take an open licence / 接受开放许可",
        description=(
            "Patent Law Art. 51: written notice to the patentee and payment as announced grant "
            "an ordinary licence at once, for the announced term. The licence is recorded (every "
            "rule applies) and the deal tracks its recordation deadline. An offer that does not "
            "exist answers 404. 书面通知并付款即获得普通许可；许可信息不存在时返回 404。"
        ),
        tags=["deals"],
        request=OpenLicenceAcceptSerializer,
        responses={201: DealSerializer, 404: ERROR_RESPONSES[404]},
        examples=[examples.OPEN_LICENCE_ACCEPT],
    )
    @action(detail=False, methods=["post"], url_path="open-licence")
    @idempotent
    def open_licence(self, request: Request) -> Response:
        data = validated_data(OpenLicenceAcceptSerializer, request)
        enterprise = choose_enterprise(request.user, data.pop("enterprise", None))
        offer = LicensingOffer.objects.filter(pk=data["offer"]).first()
        if offer is None:
            raise Http404
        deal, warnings = deal_accept_open_licence(
            actor=request.user,
            enterprise=enterprise,
            offer=offer,
            notice_date=data["notice_date"],
            payment_evidence=data["payment_evidence"],
            patent_ids=data.get("patents"),
            match_id=data.get("match"),
        )
        return self.answer(deal, status.HTTP_201_CREATED, warnings=warnings)
