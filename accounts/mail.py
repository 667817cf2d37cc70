"""The plain mails of this app that must reach the person today, in Chinese and in English.

The verification and password-reset mails are django-allauth's (``accounts.adapter`` points
their links at the API). Here: an invitation to its invitee (who may have no account, and so
no inbox, yet) and the "you already have an account" mail of a second sign-up. Requests to
join or register a holder and their outcomes are notifications (``accounts.notices``).
Each is sent once the transaction commits (a rolled-back write sends nothing) and never
fails the write when the mail server does.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import EnterpriseInvitation


def both(build: Callable[[], str]) -> str:
    """A text in Chinese, then the same in English."""
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(build())
    return "\n\n---\n\n".join(parts)


def subject_in_both(build: Callable[[], str]) -> str:
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(build())
    return " / ".join(parts)


def deliver(subject: str, body: str, recipient: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


def send_invitation(invitation: EnterpriseInvitation, *, invited_by: str) -> None:
    enterprise = invitation.enterprise
    subject = subject_in_both(
        lambda: _("You are invited to act for %(enterprise)s") % {"enterprise": enterprise.name}
    )
    body = both(
        lambda: (
            _(
                "%(inviter)s invites you to join %(enterprise)s as %(role)s on the patent "
                "conversion resource database.\n\n"
                "1. If you have no account yet, sign up with this address (%(email)s): "
                "POST /api/v1/auth/signup/, then follow the link in the verification mail.\n"
                "2. Signed in, accept: POST /api/v1/invitations/%(id)d/accept/ "
                "(your pending invitations are listed at GET /api/v1/auth/me/).\n\n"
                "The invitation expires on %(expires)s."
            )
            % {
                "inviter": invited_by,
                "enterprise": enterprise.name,
                "role": invitation.get_role_display(),
                "email": invitation.email,
                "id": invitation.pk,
                "expires": invitation.expires_at.date().isoformat(),
            }
        )
    )
    deliver(subject, body, invitation.email)


def send_account_exists(email: str) -> None:
    subject = subject_in_both(lambda: _("You already have an account"))
    body = both(
        lambda: (
            _(
                "Someone (perhaps you) tried to sign up with %(email)s, which already has an "
                "account. Sign in (POST /api/v1/auth/login/ or /api/v1/auth/token/), or reset "
                "your password: POST /api/v1/auth/password/reset/."
            )
            % {"email": email}
        )
    )
    send_mail(subject, body, None, [email], fail_silently=True)
