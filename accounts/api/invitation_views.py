"""/api/v1/enterprises/{id}/invitations/ (invite a colleague) and /api/v1/invitations/ (list,
accept, revoke). Every write through ``accounts.services.invitations``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.api import examples
from accounts.api.serializers import (
    InvitationCreateSerializer,
    InvitationSerializer,
    MembershipSerializer,
)
from accounts.filtersets import InvitationFilterSet
from accounts.models import EnterpriseInvitation
from accounts.permissions import accept_denial, invite_denial
from accounts.services import invitations as services
from conversion_db.api.denials import deny
from conversion_db.api.idempotency import idempotent
from conversion_db.api.versioning import VersionSerializer, etag, expected_version
from enterprises.api.base import DemandSideViewSet, validated_data
from enterprises.selectors import enterprises_visible_to

ENTERPRISE_ID = OpenApiParameter(
    "enterprise_id", int, OpenApiParameter.PATH, description="Enterprise id. 企业 ID。"
)
INVITATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Invitation id. 邀请 ID。"
)


@extend_schema(
    tags=["enterprises"],
    summary="Invite a colleague / 邀请同事加入企业",
    description=(
        "An administrator of the enterprise (or an operator) invites an e-mail address as "
        "member or admin. The invitee is mailed how to sign up with that address and accept; "
        "the invitation lasts 14 days. An enterprise you are not a member of answers 404; a "
        "member who is not an administrator gets 403 `enterprise_admin_required`. "
        "企业管理员按邮箱邀请同事；受邀人以该邮箱注册并验证后接受邀请。"
    ),
    parameters=[ENTERPRISE_ID],
    request=InvitationCreateSerializer,
    responses={201: InvitationSerializer},
    examples=[examples.INVITE, examples.INVITATION],
)
class EnterpriseInvitationView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @idempotent
    def post(self, request: Request, enterprise_id: int) -> Response:
        enterprise = enterprises_visible_to(request.user).filter(pk=enterprise_id).first()
        if enterprise is None:
            raise Http404
        denial = invite_denial(request.user, enterprise.pk)
        if denial is not None:
            raise deny(denial)
        values = validated_data(InvitationCreateSerializer, request)
        invitation = services.invitation_create(
            actor=request.user, enterprise=enterprise, email=values["email"], role=values["role"]
        )
        invitation = selectors.invitations_visible_to(request.user).get(pk=invitation.pk)
        return Response(
            InvitationSerializer(invitation).data,
            status=status.HTTP_201_CREATED,
            headers=etag(invitation),
        )


@extend_schema_view(
    list=extend_schema(
        summary="Enterprise invitations / 企业邀请",
        description=(
            "The invitations of the enterprises you administer and those addressed to your "
            "verified e-mail addresses (operators: all), newest first. 您管理的企业发出的邀请，"
            "以及发给您已验证邮箱的邀请。"
        ),
        tags=["enterprises"],
    ),
    retrieve=extend_schema(
        summary="One invitation / 邀请详情",
        description="The ETag is its version. ETag 为版本号。",
        tags=["enterprises"],
        parameters=[INVITATION_ID],
        examples=[examples.INVITATION],
    ),
    accept=extend_schema(
        summary="Accept an invitation / 接受邀请",
        description=(
            "You join the enterprise with the invitation's role. Only an account whose verified "
            "e-mail is the invitation's address may accept (403 `invitation_address_required` "
            "otherwise); an expired or decided invitation is a 400. Send the version you read "
            "(If-Match). 以受邀邮箱登录后接受邀请，加入企业。"
        ),
        tags=["enterprises"],
        request=VersionSerializer,
        responses={200: MembershipSerializer},
        parameters=[INVITATION_ID],
    ),
    revoke=extend_schema(
        summary="Revoke an invitation / 撤销邀请",
        description=(
            "An administrator of the enterprise (or an operator) takes a pending invitation "
            "back. Send the version you read (If-Match). 企业管理员撤销尚未接受的邀请。"
        ),
        tags=["enterprises"],
        request=VersionSerializer,
        responses={200: InvitationSerializer},
        parameters=[INVITATION_ID],
    ),
)
class InvitationViewSet(DemandSideViewSet):
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet

    def get_queryset(self) -> QuerySet[EnterpriseInvitation]:
        return selectors.invitations_visible_to(self.request.user)

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        invitation: EnterpriseInvitation = self.visible_object()
        denial = accept_denial(request.user, invitation)
        if denial is not None:
            raise deny(denial, email=invitation.email)
        membership = services.invitation_accept(
            actor=request.user, invitation=invitation, expected_version=expected_version(request)
        )
        return Response(MembershipSerializer(membership).data)

    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        invitation: EnterpriseInvitation = self.visible_object()
        denial = invite_denial(request.user, invitation.enterprise_id)
        if denial is not None:
            raise deny(denial)
        revoked = services.invitation_revoke(
            actor=request.user, invitation=invitation, expected_version=expected_version(request)
        )
        return self.answer(revoked)
