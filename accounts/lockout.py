"""Brute force: django-axes counts wrong passwords in the database (every worker shares the
counts) per account and per client address; past ``AXES_FAILURE_LIMIT`` both are refused
for ``AXES_COOLOFF_TIME``. These are the hooks settings name:

- ``account_of``: the account a sign-in names, so that a username and the e-mail of the same
  account count as one;
- ``client_address``: the caller's address as the throttles see it (``NUM_PROXIES``);
- ``lockout_response``: 429 in the API's error shape under ``/api/``, a small page elsewhere
  (the admin's login).
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.settings import api_settings

from conversion_db.api.errors import API_PREFIXES, error_body

LOCKED_OUT_MESSAGE = gettext_lazy(
    "Too many failed sign-ins for this account or from this address. "
    "Try again in %(minutes)d minutes, or reset your password "
    "(POST /api/v1/auth/password/reset/)."
)


def lockout_minutes() -> int:
    return max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))


class LockedOut(exceptions.APIException):
    """429: this account or this address is locked out for a while (the API's shape)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self) -> None:
        super().__init__(LOCKED_OUT_MESSAGE % {"minutes": lockout_minutes()}, "locked_out")
        self.wait = lockout_minutes() * 60


def find_account(identifier: str) -> Any:
    """The user a sign-in names: by username, or by e-mail (a verified address first)."""
    from allauth.account.models import EmailAddress

    identifier = identifier.strip()
    users = get_user_model().objects
    if "@" not in identifier:
        return users.filter(username=identifier).first()
    address = (
        EmailAddress.objects.filter(email__iexact=identifier)
        .order_by("-verified", "-primary", "id")
        .select_related("user")
        .first()
    )
    if address is not None:
        return address.user
    found = list(users.filter(email__iexact=identifier)[:2])
    return found[0] if len(found) == 1 else None


def account_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username of the account, whichever identifier was used."""
    identifier = str((credentials or {}).get("username") or "")
    if not identifier:
        return None
    user = find_account(identifier)
    return user.get_username() if user is not None else identifier.lower()


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address the API's throttles use (``NUM_PROXIES``)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies: int = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return remote


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE."""
    message = LOCKED_OUT_MESSAGE % {"minutes": lockout_minutes()}
    retry = str(lockout_minutes() * 60)
    if request.path.startswith(API_PREFIXES):
        response: HttpResponse = JsonResponse(
            error_body(429, "locked_out", str(message), []),
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        page = render_to_string(
            "accounts/locked_out.html", {"message": message, "title": _("Locked out")}
        )
        response = HttpResponse(page, status=429)
    response["Retry-After"] = retry
    return response


def check_credentials(request: Any, identifier: str, password: str) -> Any:
    """The user these credentials sign in (a username or an e-mail address, and the password),
    counted by django-axes: a wrong password is a 400, a locked-out account or address a 429
    (``LockedOut``), an address not verified yet a 400 saying so."""
    from django.contrib.auth import authenticate
    from django.core.exceptions import ValidationError

    from accounts.services.signup import email_verified

    http_request = getattr(request, "_request", request)
    account = find_account(identifier)
    username = account.get_username() if account is not None else identifier.strip()
    user = authenticate(http_request, username=username, password=password)
    if user is None:
        if getattr(http_request, "axes_locked_out", False):
            http_request.axes_locked_out = False  # answered here; the middleware need not
            raise LockedOut()
        raise ValidationError(
            gettext_lazy("Unable to sign in with the username (or e-mail) and password given."),
            code="authorization",
        )
    if not user.is_active:
        raise ValidationError(gettext_lazy("This account is disabled."), code="inactive")
    if not email_verified(user):
        raise ValidationError(
            gettext_lazy(
                "Your e-mail address is not verified yet: follow the link we mailed you, or "
                "ask for a new one (POST /api/v1/auth/verify-email/resend/)."
            ),
            code="email_not_verified",
        )
    return user


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first of ``AUTHENTICATION_BACKENDS``: refuses a locked-out account
    or address. A sign-in without a request (a management command, a shell) has no address
    to count and is left to the next backends."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
