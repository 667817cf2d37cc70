"""Telling people: ``notify`` is the only way the product tells anyone anything, and the
inbox's writes (marking notifications read).

``notify`` writes, in the caller's transaction, the notification (its kind, the record it
is about and the API link to it, its title and text rendered in Chinese and English) and
one ``Recipient`` row per party reached (``notifications.recipients``). Once that
transaction commits, the e-mail goes to every address at once (``notifications.mail``);
a rolled-back write tells nobody. A notification that reaches nobody (an organisation
with no contact address and no members) is still written, marked ``no_address``, and
logged: operators see it in the admin instead of it vanishing silently.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, acting_user
from notifications.kinds import Kind
from notifications.models import MailStatus, Notification, Recipient
from notifications.recipients import Party, audience
from notifications.tasks import deliver_or_retry_later

logger = logging.getLogger(__name__)

Text = str | Promise
"""A translatable text: rendered once in Chinese and once in English (a lazy string, or a
``conversion_db.i18n.lazy_format``; a plain string is the same in both)."""

TITLE_LENGTH = 300


def render(text: Text, language: str) -> str:
    with translation.override(language):
        return str(text)


def notify(
    *,
    actor: Actor,
    kind: str,
    recipients: Sequence[Party],
    about: models.Model,
    link: str,
    title: Text,
    body: Text = "",
) -> Notification:
    """Tell ``recipients`` (holders, enterprises, users) of an event of ``kind`` about the
    record ``about``, whose API path is ``link``.

    Returns the notification written; its e-mail leaves after the commit. A caller's
    mistake (an unknown kind, a link outside the API, no one named) is a
    ``ValidationError``, raised before anything is written: the caller's transaction is
    left as it was. The writes are part of the caller's transaction (no savepoint of
    their own: they fail with it)."""
    if kind not in Kind.values:
        raise ValidationError(
            {"kind": ValidationError(_("Unknown notification kind."), code="invalid_choice")}
        )
    if not recipients:
        raise ValidationError(
            {"recipients": ValidationError(_("Name someone to tell."), code="required")}
        )
    if not link.startswith("/api/"):
        raise ValidationError(
            {"link": ValidationError(_("Link to the record in the API."), code="invalid")}
        )
    reached = audience(recipients)
    notification = Notification(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(about),
        subject_id=about.pk,
        link=link,
        title_zh=render(title, "zh-hans")[:TITLE_LENGTH],
        title_en=render(title, "en")[:TITLE_LENGTH],
        body_zh=render(body, "zh-hans"),
        body_en=render(body, "en"),
        audience=reached.label[:500],
        caused_by=acting_user(actor),
        mail_to=reached.addresses,
        mail_status=MailStatus.PENDING if reached.addresses else MailStatus.NO_ADDRESS,
    )
    # The content type and the user were just read, and the database checks the
    # constraint: validating them again would cost three queries per notification.
    notification.full_clean(exclude=["subject_type", "caused_by"], validate_constraints=False)
    with transaction.atomic(savepoint=False):
        notification.save()
        Recipient.objects.bulk_create(
            [
                Recipient(
                    notification=notification,
                    user=row.user,
                    email=row.email,
                    organisation_type=(
                        ContentType.objects.get_for_model(row.organisation)
                        if row.organisation is not None
                        else None
                    ),
                    organisation_id=row.organisation.pk if row.organisation is not None else None,
                    organisation=str(row.organisation or "")[:300],
                    mail_status=MailStatus.PENDING if row.email else MailStatus.NO_ADDRESS,
                )
                for row in reached.addressees
            ]
        )
        if reached.addresses:
            transaction.on_commit(partial(deliver_or_retry_later, notification.pk), robust=True)
    if not reached.addressees:
        logger.warning(
            "notification %s (%s) reaches nobody: %s has no member and no contact address",
            notification.pk,
            kind,
            reached.label,
        )
    return notification


@transaction.atomic
def notification_mark_read(*, actor: Actor, recipient: Recipient) -> Recipient:
    """Mark one of the actor's notifications read (again: nothing changes)."""
    updated = Recipient.objects.filter(
        pk=recipient.pk, user=acting_user(actor), read_at__isnull=True
    ).update(read_at=timezone.now())
    if updated:
        recipient.refresh_from_db(fields=["read_at", "is_read"])
    return recipient


@transaction.atomic
def notifications_mark_all_read(*, actor: Actor, up_to: int | None = None) -> int:
    """Mark every unread notification of the actor read (those up to the id ``up_to``
    only, when given: what the user has seen); returns how many."""
    user = acting_user(actor)
    if user is None:
        return 0
    unread = Recipient.objects.filter(user=user, is_read=False)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    return unread.update(read_at=timezone.now())
