"""Abstract bases and audit plumbing shared by every curated model.

A curated record (holder, patent, offer, ...) has:
- ``created_at`` / ``updated_at`` and the users who created and last changed it;
- ``version``: incremented by every write; a client that sends a stale version gets 412
  (services check it under ``select_for_update``);
- ``deleted_at``: soft delete; default managers hide deleted rows;
- history of every change (django-simple-history), with who, when, what, and the import
  batch that wrote it (``import_batch`` on each historical row).

The import batch is carried in a context variable: ``with import_batch(batch_id):`` around
a write makes every historical row written inside it carry that id, whether the write is
a single save or a bulk write.

``Job`` shows procrastinate's job table in the admin (``conversion_db.jobs``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from procrastinate.contrib.django.models import ProcrastinateJob
from simple_history.signals import pre_create_historical_record

_current_batch: ContextVar[uuid.UUID | None] = ContextVar("import_batch", default=None)


@contextlib.contextmanager
def import_batch(batch_id: uuid.UUID | None) -> Iterator[uuid.UUID | None]:
    """Tag every history row written inside the block with ``batch_id``."""
    token = _current_batch.set(batch_id)
    try:
        yield batch_id
    finally:
        _current_batch.reset(token)


def current_import_batch() -> uuid.UUID | None:
    return _current_batch.get()


class HistoryBase(models.Model):
    """Extra columns of every historical model."""

    import_batch = models.UUIDField(
        _("import batch"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The import that wrote this change."),
    )

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def _tag_history_with_import_batch(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    if hasattr(history_instance, "import_batch") and history_instance.import_batch is None:
        history_instance.import_batch = current_import_batch()


class LiveManager(models.Manager):
    """Hides soft-deleted rows."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class CuratedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # who changed what is answered by the history tables
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # who changed what is answered by the history tables
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Incremented by every change; send it back to update.")
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    all_objects = models.Manager()
    objects = LiveManager()

    class Meta:
        abstract = True
        default_manager_name = "objects"
        base_manager_name = "all_objects"


class IdempotencyKey(models.Model):
    """The first answer to a creating request sent with an ``Idempotency-Key`` header, so
    that a repeat (same user, same operation, same key) returns it instead of creating
    again (``conversion_db.api.idempotency``). Kept for ``IDEMPOTENCY_KEY_HOURS``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # covered by idempotency_key_unique
    )
    key = models.CharField(_("key"), max_length=200)
    operation = models.CharField(_("operation"), max_length=200)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    # Empty only inside the first request's own transaction, while it is being answered.
    status_code = models.PositiveSmallIntegerField(_("status"), null=True)
    body = models.JSONField(_("answer"), null=True)
    headers = models.JSONField(_("answer headers"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "operation"],
                name="idempotency_key_unique",
                violation_error_message=_("This key was already used for this operation."),
            )
        ]
        indexes = [
            # expire_idempotency_keys: the keys older than the retention.
            models.Index(fields=["created_at"], name="idempotency_key_created"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"


class Job(ProcrastinateJob):
    """A background job (procrastinate's ``procrastinate_jobs`` row), as operators see it in
    the admin: read-only, in the admin's language (``conversion_db.admin``)."""

    class Meta:
        proxy = True
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-id"]


class ImportRun(models.Model):
    """One import of a file that was not a dry run, whether it was written or refused: its
    batch id (on every history row it wrote), its counts and its first errors. Written by
    ``ImportKind.import_file`` for every way in (API, admin, commands); the operators'
    dashboard lists the latest, each linking here."""

    batch = models.UUIDField(_("import batch"), unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    source = models.CharField(_("source"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), default=timezone.now)
    written = models.BooleanField(_("written"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict)
    error_count = models.PositiveIntegerField(pgettext_lazy("import count", "errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-finished_at", "-id"]
        indexes = [
            # The dashboard's latest imports, the changelist's order.
            models.Index(fields=["finished_at", "id"], name="import_run_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.batch}"
