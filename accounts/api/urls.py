"""Endpoints of the accounts app under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import auth_views
from accounts.api.holder_views import HolderRequestViewSet, HolderViewSet
from accounts.api.invitation_views import EnterpriseInvitationView, InvitationViewSet
from accounts.api.token_views import ObtainTokenView, TokenViewSet

router = SimpleRouter()
router.register("auth/tokens", TokenViewSet, basename="auth-token-record")
router.register("holders", HolderViewSet, basename="holder")
router.register("holder-requests", HolderRequestViewSet, basename="holder-request")
router.register("invitations", InvitationViewSet, basename="invitation")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("auth/signup/", auth_views.SignupView.as_view(), name="auth-signup"),
    path(
        "auth/verify-email/resend/",
        auth_views.ResendVerificationView.as_view(),
        name="auth-verify-email-resend",
    ),
    path("auth/verify-email/", auth_views.VerifyEmailView.as_view(), name="auth-verify-email"),
    path(
        "auth/verify-email/<str:key>/",
        auth_views.VerifyEmailLinkView.as_view(),
        name="auth-verify-email-link",
    ),
    path("auth/login/", auth_views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", auth_views.MeView.as_view(), name="auth-me"),
    path(
        "auth/password/reset/", auth_views.PasswordResetView.as_view(), name="auth-password-reset"
    ),
    path(
        "auth/password/reset/confirm/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    # The link in dj-rest-auth's reset mail (it reverses this name).
    path(
        "auth/password/reset/confirm/<str:uid>/<str:token>/",
        auth_views.PasswordResetLinkView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "auth/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="auth-password-change",
    ),
    path(
        "enterprises/<int:enterprise_id>/invitations/",
        EnterpriseInvitationView.as_view(),
        name="enterprise-invitations",
    ),
    *router.urls,
]
