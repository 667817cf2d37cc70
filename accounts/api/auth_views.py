"""/api/v1/auth/…: sign up, verify the address, sign in and out, passwords, who you are.

django-allauth is the engine (accounts, addresses, verification and reset mails);
dj-rest-auth gives the DRF views of sign-in, sign-out and passwords, which these subclasses
document and throttle, so that every answer is in the API's error shape and schema.
Sign-in takes a username or an e-mail address; wrong passwords are counted per account and
per address by django-axes (``accounts.lockout``).
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import url_str_to_user_pk
from dj_rest_auth import views as rest_auth
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts import selectors
from accounts.api import examples
from accounts.api.serializers import (
    CredentialsSerializer,
    DetailSerializer,
    MeSerializer,
    PasswordResetLinkSerializer,
    ResendSerializer,
    SignupAnswerSerializer,
    SignupSerializer,
    VerifiedSerializer,
    VerifyEmailSerializer,
)
from accounts.lockout import check_credentials
from accounts.services import signup as signup_service
from accounts.services.tokens import token_revoke_current
from conversion_db.api.throttling import LoginRateThrottle

# The API's throttles (none when THROTTLING=false), plus the stricter one for credentials.
LOGIN_THROTTLES: list[type[BaseThrottle]] = [
    *api_settings.DEFAULT_THROTTLE_CLASSES,  # type: ignore[list-item]  # classes, not names
    LoginRateThrottle,
]
TAGS = ["accounts"]


class SignInSerializer(CredentialsSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["user"] = check_credentials(
            self.context["request"], attrs["username"], attrs["password"]
        )
        return attrs


def me_answer(user: Any) -> Response:
    return Response(MeSerializer(selectors.me(user)).data)


@extend_schema(
    tags=TAGS,
    summary="Sign up / 注册账户",
    description=(
        "Create an account with an e-mail address and a password (checked by the password "
        "rules: at least 8 characters, not common, not all digits, not like the address). We "
        "mail a verification link; follow it (a GET) or POST its key to "
        "`/api/v1/auth/verify-email/`, then sign in. An address that already has an account "
        "gets the same answer (its owner gets a mail instead), so nobody learns who has an "
        "account. 用邮箱和密码注册；点击验证邮件中的链接后即可登录。"
    ),
    request=SignupSerializer,
    responses={201: SignupAnswerSerializer},
    examples=[examples.SIGNUP, examples.SIGNUP_ANSWER],
)
class SignupView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = LOGIN_THROTTLES

    def post(self, request: Request) -> Response:
        data = SignupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"]
        signup_service.signup(
            request=request._request, email=email, password=data.validated_data["password"]
        )
        body = {
            "email": email,
            "detail": _("We sent a verification link to %(email)s. Follow it, then sign in.")
            % {"email": email},
        }
        return Response(body, status=status.HTTP_201_CREATED)


def verified_answer(address: Any) -> Response:
    return Response(
        {
            "email": address.email,
            "verified": True,
            "detail": _("Your e-mail address %(email)s is verified; you may sign in.")
            % {"email": address.email},
        }
    )


@extend_schema(
    tags=TAGS,
    summary="Verify your e-mail address / 验证邮箱",
    description=(
        "POST the key of the mailed link (the link itself, a GET on "
        "`/api/v1/auth/verify-email/{key}/`, does the same). An invalid or expired key is a 400 "
        "on `key`; ask for a new link at `/api/v1/auth/verify-email/resend/`. "
        "提交验证邮件中的密钥完成邮箱验证。"
    ),
    request=VerifyEmailSerializer,
    responses={200: VerifiedSerializer},
    examples=[examples.VERIFIED],
)
class VerifyEmailView(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request: Request) -> Response:
        data = VerifyEmailSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = signup_service.verify_email(
            request=request._request, key=data.validated_data["key"]
        )
        return verified_answer(address)


@extend_schema(
    tags=TAGS,
    summary="The verification link / 邮箱验证链接",
    description=(
        "The link in the verification mail: opening it verifies the address and answers JSON. "
        "An invalid or expired key is a 400 on `key`. 验证邮件中的链接，打开即完成验证。"
    ),
    parameters=[
        OpenApiParameter(
            "key",
            str,
            OpenApiParameter.PATH,
            description="The key from the mailed link. / 验证密钥。",
        )
    ],
    responses={200: VerifiedSerializer},
    examples=[examples.VERIFIED],
)
class VerifyEmailLinkView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request, key: str) -> Response:
        address = signup_service.verify_email(request=request._request, key=key)
        return verified_answer(address)


@extend_schema(
    tags=TAGS,
    summary="Send the verification link again / 重新发送验证邮件",
    description=(
        "Mails a new verification link when the address has an account that is not verified "
        "yet; the answer is the same either way. 重新发送验证邮件（无论邮箱是否注册，回答相同）。"
    ),
    request=ResendSerializer,
    responses={200: DetailSerializer},
)
class ResendVerificationView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = LOGIN_THROTTLES

    def post(self, request: Request) -> Response:
        data = ResendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signup_service.resend_verification(
            request=request._request, email=data.validated_data["email"]
        )
        return Response(
            {"detail": _("If this address waits for verification, a new link is on its way.")}
        )


@extend_schema(
    tags=TAGS,
    summary="Sign in (session) / 登录（会话）",
    description=(
        "For browsers: checks the username (or e-mail) and password and starts a session "
        "(cookie); answers who you are. Clients use a token instead (`/api/v1/auth/token/`). "
        "After LOGIN_FAILURE_LIMIT (5) wrong passwords for an account, or from an address, both "
        "are refused for LOGIN_LOCKOUT_MINUTES (15): 429 `locked_out`. An address not yet "
        "verified is a 400 `email_not_verified`. 浏览器登录；连续输错密码将被暂时锁定。"
    ),
    request=SignInSerializer,
    responses={200: MeSerializer},
    examples=[examples.SIGN_IN, examples.ME],
)
class LoginView(rest_auth.LoginView):
    serializer_class = SignInSerializer
    throttle_classes = LOGIN_THROTTLES
    permission_classes = [permissions.AllowAny]

    def get_response(self) -> Response:
        return me_answer(self.user)


@extend_schema(
    tags=TAGS,
    summary="Sign out / 退出登录",
    description=(
        "Ends the session; signed in with a token, that token is revoked too. "
        "退出会话；使用令牌时该令牌同时作废。"
    ),
    request=None,
    responses={200: DetailSerializer},
)
class LogoutView(rest_auth.LogoutView):
    permission_classes = [permissions.AllowAny]
    http_method_names = ["post", "options"]

    def logout(self, request: Request) -> Response:
        token_revoke_current(token=request.auth)
        super().logout(request)
        return Response({"detail": _("You are signed out.")})


@extend_schema(
    tags=TAGS,
    summary="Forgot your password / 忘记密码",
    description=(
        "Mails a link to reset the password of the account with this address (the answer is "
        "the same whether it has one). The link leads to "
        "`/api/v1/auth/password/reset/confirm/{uid}/{token}/`, which says what to POST. "
        "发送重置密码邮件。"
    ),
    responses={200: DetailSerializer},
)
class PasswordResetView(rest_auth.PasswordResetView):
    throttle_classes = LOGIN_THROTTLES
    permission_classes = [permissions.AllowAny]


@extend_schema(
    tags=TAGS,
    summary="Set a new password with the mailed key / 重置密码",
    description=(
        "POST the `uid` and `token` of the mailed link with the new password twice (the "
        "password rules apply). A used or expired link is a 400 on `token`. "
        "提交邮件链接中的 uid 和 token 以及新密码。"
    ),
    responses={200: DetailSerializer},
    examples=[examples.PASSWORD_RESET_CONFIRM],
)
class PasswordResetConfirmView(rest_auth.PasswordResetConfirmView):
    throttle_classes = LOGIN_THROTTLES
    permission_classes = [permissions.AllowAny]


@extend_schema(
    tags=TAGS,
    summary="The password-reset link / 重置密码链接",
    description=(
        "The link in the reset mail: checks it and answers the `uid` and `token` to POST with "
        "the new password to `/api/v1/auth/password/reset/confirm/` (nothing changes here). "
        "A used or expired link is a 400. 检查重置链接并说明下一步。"
    ),
    parameters=[
        OpenApiParameter("uid", str, OpenApiParameter.PATH, description="User key. / 用户标识。"),
        OpenApiParameter(
            "token", str, OpenApiParameter.PATH, description="Reset key. / 重置密钥。"
        ),
    ],
    responses={200: PasswordResetLinkSerializer},
)
class PasswordResetLinkView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = LOGIN_THROTTLES

    def get(self, request: Request, uid: str, token: str) -> Response:
        user = None
        try:
            user = get_user_model().objects.filter(pk=url_str_to_user_pk(uid)).first()
        except (ValueError, TypeError, OverflowError, ValidationError):
            user = None
        if user is None or not default_token_generator.check_token(user, token):
            raise serializers.ValidationError(
                {
                    "token": serializers.ErrorDetail(
                        _("This link is invalid or has been used; ask for a new one."),
                        code="invalid_token",
                    )
                }
            )
        return Response(
            {
                "uid": uid,
                "token": token,
                "detail": _(
                    "POST uid, token, new_password1 and new_password2 to "
                    "/api/v1/auth/password/reset/confirm/."
                ),
            }
        )


@extend_schema(
    tags=TAGS,
    summary="Change your password / 修改密码",
    description=(
        "Give the current password and the new one twice (the password rules apply); the "
        "session stays signed in and tokens keep working. 修改密码。"
    ),
    responses={200: DetailSerializer},
)
class PasswordChangeView(rest_auth.PasswordChangeView):
    permission_classes = [permissions.IsAuthenticated]


@extend_schema(
    tags=TAGS,
    summary="Who you are / 当前用户",
    description=(
        "Your account, the holders and enterprises you act for with your role in each, your "
        "pending holder requests, the invitations waiting for you, and how many requests wait "
        "for your decision. 当前用户、所属权利人和企业及角色、待处理的申请和邀请。"
    ),
    responses={200: MeSerializer},
    examples=[examples.ME],
)
class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request: Request) -> Response:
        return me_answer(request.user)
