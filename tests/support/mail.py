"""A mail server that is down, for tests of what happens when an e-mail cannot be sent."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

DOWN = "tests.support.mail.DownBackend"


class DownBackend(BaseEmailBackend):
    """Refuses every message, as an SMTP server that went away would."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
