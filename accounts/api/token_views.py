"""API tokens: ``POST /api/v1/auth/token/`` (credentials for a token) and
``/api/v1/auth/tokens/`` (list, make and revoke your own). Keys are stored hashed
(django-rest-knox): the key is in the answer that makes it, and nowhere after."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.api import examples
from accounts.api.auth_views import LOGIN_THROTTLES, SignInSerializer
from accounts.api.serializers import (
    NewTokenSerializer,
    TokenCreateSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.models import ApiToken
from accounts.services.tokens import token_create, token_revoke

PREFIX = OpenApiParameter(
    "prefix",
    str,
    OpenApiParameter.PATH,
    description="The token's prefix, from the list. / 令牌前缀（见列表）。",
)


class TokenSignInSerializer(TokenRequestSerializer, SignInSerializer):
    pass


@extend_schema(
    tags=["auth"],
    summary="Get an API token / 获取接口令牌",
    description=(
        "Exchange a username (or e-mail) and password for a new token; send it as "
        "`Authorization: Token <key>`. Changed in issue 16: every call makes a new token "
        "(named `name`, default “sign-in”), which expires after `expires_in_days` (default "
        "API_TOKEN_DAYS, 90); only its hash is stored, so the key is shown this once. List and "
        "revoke your tokens at `/api/v1/auth/tokens/`. Wrong passwords lock the account and "
        "the address out for a while (429 `locked_out`). 用户名（或邮箱）和密码换取新令牌，"
        "令牌仅显示一次并会过期。"
    ),
    request=TokenSignInSerializer,
    responses={200: NewTokenSerializer},
    examples=[examples.TOKEN_REQUEST, examples.NEW_TOKEN],
)
class ObtainTokenView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = LOGIN_THROTTLES

    def post(self, request: Request) -> Response:
        data = TokenSignInSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        user = data.validated_data["user"]
        token, key = token_create(
            actor=user,
            name=data.validated_data.get("name") or _("sign-in"),
            days=data.validated_data.get("expires_in_days"),
        )
        # As a session sign-in does: last_login, and a success clears the lockout count.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(NewTokenSerializer(token, context={"key": key}).data)


@extend_schema_view(
    list=extend_schema(
        summary="Your API tokens / 我的接口令牌",
        description=(
            "Your tokens that still work, newest first: prefix, name, when made, when they "
            "expire and when last used (to 5 minutes). Never the key. Cursor-paginated. "
            "列出仍有效的令牌（不含密钥）。"
        ),
        examples=[examples.TOKEN_LIST],
    ),
    create=extend_schema(
        summary="Make an API token / 新建接口令牌",
        description=(
            "A new token with a name and an expiry (`expires_in_days`, default 90, at most "
            "365). The key is in this answer only: only its hash is stored. "
            "新建令牌；密钥只在此次回答中显示。"
        ),
        request=TokenCreateSerializer,
        responses={201: NewTokenSerializer},
        examples=[examples.TOKEN_CREATE, examples.NEW_TOKEN],
    ),
    destroy=extend_schema(
        summary="Revoke an API token / 作废接口令牌",
        description=(
            "The token with this prefix stops working at once. Another user's prefix, or an "
            "unknown one, answers 404. 令牌立即失效。"
        ),
        parameters=[PREFIX],
    ),
)
class TokenViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = TokenSerializer
    keyset_ordering = ["-created", "-digest"]
    lookup_field = "prefix"
    lookup_value_regex = "[0-9a-zA-Z_-]{1,25}"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous view
            return ApiToken.objects.none()
        return selectors.tokens_of(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TokenSerializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        data = TokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = token_create(
            actor=request.user,
            name=data.validated_data["name"],
            days=data.validated_data.get("expires_in_days"),
        )
        return Response(
            NewTokenSerializer(token, context={"key": key}).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, prefix: str) -> Response:
        if not token_revoke(actor=request.user, prefix=prefix):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)
