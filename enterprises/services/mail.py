"""The demand side's notices by e-mail: one message to the members concerned."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail


def mail_members(subject: str, body: str, recipients: list[str]) -> None:
    """Send one message to ``recipients`` (nothing when there are none)."""
    if recipients:
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)])
