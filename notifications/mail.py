"""The e-mail of a notification: one message to every address of its recipients, in
Chinese and English, sent after the transaction that wrote the notification commits.

``deliver`` sends it at most once: it locks the notification's row (skipping it when
another process holds it), sends only while the mail is still due, and records the
outcome on the notification and on each recipient with an address: ``sent`` with the
time, or ``failed`` with the error and the number of attempts. It never raises: a
notification is not undone because the mail server is down. Who tries again, and when,
is ``notifications.tasks``.

We keep no language per user, so every message carries both texts, Chinese first; the
inbox API answers in the language of each request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import MailStatus, Notification, Recipient

logger = logging.getLogger(__name__)

MAIL_LANGUAGES = ("zh-hans", "en")
DUE = (MailStatus.PENDING, MailStatus.FAILED)
ERROR_LENGTH = 2000


def subject(notification: Notification) -> str:
    titles = dict.fromkeys([notification.title_zh, notification.title_en])
    return " / ".join(title for title in titles if title)


def body(notification: Notification) -> str:
    texts = {
        "zh-hans": (notification.title_zh, notification.body_zh),
        "en": (notification.title_en, notification.body_en),
    }
    parts = []
    for language in MAIL_LANGUAGES:
        title, text = texts[language]
        with translation.override(language):
            paragraphs = [
                title,
                text,
                gettext("Open: %(link)s") % {"link": notification.link},
                gettext("All your notifications: %(path)s")
                % {"path": reverse("notification-list")},
            ]
        parts.append("\n\n".join(paragraph for paragraph in paragraphs if paragraph))
    return "\n\n----\n\n".join(parts)


def message(notification: Notification) -> EmailMessage:
    return EmailMessage(
        subject(notification),
        body(notification),
        settings.DEFAULT_FROM_EMAIL,
        list(notification.mail_to),
    )


def deliver(notification_id: int) -> bool:
    """Send the notification's e-mail if it is still due; record the outcome.

    True when nothing is left to send (sent now or before, no address, or another process
    is sending it); False when this attempt failed."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, mail_status__in=DUE)
            .first()
        )
        if notification is None:
            return True
        notification.mail_attempts += 1
        try:
            message(notification).send()
        except Exception as error:  # any failure of the mail backend is recorded, not raised
            logger.warning(
                "notification %s: e-mail to %s failed (attempt %s): %s",
                notification.pk,
                ", ".join(notification.mail_to),
                notification.mail_attempts,
                error,
            )
            notification.mail_status = MailStatus.FAILED
            notification.mail_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        else:
            notification.mail_status = MailStatus.SENT
            notification.mail_error = ""
            notification.mailed_at = timezone.now()
        notification.save(update_fields=["mail_status", "mail_error", "mail_attempts", "mailed_at"])
        Recipient.objects.filter(notification=notification).exclude(email="").update(
            mail_status=notification.mail_status
        )
        return notification.mail_status == MailStatus.SENT
