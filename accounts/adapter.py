"""django-allauth's account adapter: its mails point at the API, not at allauth's HTML views.

- the verification link is ``GET /api/v1/auth/verify-email/<key>/`` (it confirms and answers
  JSON; ``POST /api/v1/auth/verify-email/`` takes the same key);
- the password-reset link is ``GET /api/v1/auth/password/reset/confirm/<uid>/<token>/``
  (it checks them and says what to POST with the new password);
- signing up again with a taken address sends a mail saying so (the API answers the same as
  for a new address, so that nobody learns which addresses have accounts).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from accounts import mail


def absolute(request: HttpRequest | None, path: str) -> str:
    if request is None:
        return path
    return request.build_absolute_uri(path)


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return absolute(request, reverse("auth-verify-email-link", args=[emailconfirmation.key]))

    def send_account_already_exists_mail(self, email: str) -> None:
        mail.send_account_exists(email)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
