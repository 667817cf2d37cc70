"""Legal-status events: the patent office's register entries for a patent (grant, lapse,
transfer, licence recordation, pledge registration ...), as imported from its records or a
platform's export (docs/domain/legal-status-events.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    GRANT = "grant", _("grant")
    EXAMINATION = "examination", _("substantive examination")
    LAPSE = "lapse", _("lapse for non-payment")
    ABANDONMENT = "abandonment", _("abandonment")
    EXPIRY = "expiry", _("expiry of the term")
    INVALIDATION = "invalidation", _("invalidation")
    PARTIAL_INVALIDATION = "partial_invalidation", _("partial invalidation")
    RESTORATION = "restoration", _("restoration of rights")
    REJECTION = "rejection", _("rejection")
    WITHDRAWAL = "withdrawal", _("withdrawal")
    TRANSFER = "transfer", _("transfer of the right")
    LICENCE_RECORDED = "licence_recorded", _("licence contract recorded")
    LICENCE_CHANGED = "licence_changed", _("licence recordation changed")
    LICENCE_CANCELLED = "licence_cancelled", _("licence recordation cancelled")
    PLEDGE_REGISTERED = "pledge_registered", _("pledge registered")
    PLEDGE_CHANGED = "pledge_changed", _("pledge registration changed")
    PLEDGE_CANCELLED = "pledge_cancelled", _("pledge registration cancelled")
    BIBLIOGRAPHIC_CHANGE = "bibliographic_change", _("change of bibliographic data")


class EventEffect(models.TextChoices):
    """What applying the event did here."""

    STATUS_CHANGED = "status_changed", _("legal status changed")
    STATUS_KEPT = "status_kept", _("stored; a newer status stands")
    HOLDERS_CHANGED = "holders_changed", _("holders changed (assignment recorded)")
    HOLDERS_ALREADY = "holders_already", _("stored; already the holders of record")
    LICENCE_RECORDED = "licence_recorded", _("licence recorded")
    LICENCE_TERMINATED = "licence_terminated", _("licence ended")
    PLEDGE_REGISTERED = "pledge_registered", _("pledge registered")
    PLEDGE_CANCELLED = "pledge_cancelled", _("pledge cancelled")
    STORED = "stored", _("stored only")


class LegalStatusEvent(models.Model):
    """One register entry of a patent, applied through the services when imported.

    The natural key is (patent, event date, event type, number): the same event imported
    again, from the same file or another platform's, is found and left alone. The words of
    the file (``source_words``, ``details_text``) are kept as written; ``details`` holds
    what was read from them (new holders, licensee, pledgee, amounts ...)."""

    patent = models.ForeignKey(
        "patents.Patent",
        verbose_name=_("patent"),
        on_delete=models.CASCADE,
        related_name="legal_events",
        db_index=False,  # served by legal_event_unique and legal_event_patent_newest
    )
    event_date = models.DateField(_("event date"))
    event_type = models.CharField(_("event type"), max_length=24, choices=EventType.choices)
    source_words = models.CharField(
        _("event as the source words it"),
        max_length=200,
        help_text=_("The event in the file's words (专利权的终止, 权利转移 ...)."),
    )
    number = models.CharField(
        _("recordation or registration number"), max_length=40, blank=True, default=""
    )
    details_text = models.TextField(_("details as written"), blank=True)
    details = models.JSONField(_("details read"), default=dict, blank=True)
    legal_status = models.CharField(
        _("legal status it means"), max_length=16, blank=True, default=""
    )
    effect = models.CharField(
        _("effect"), max_length=24, choices=EventEffect.choices, default=EventEffect.STORED
    )
    licence_record = models.ForeignKey(
        "patents.LicenceRecord",
        verbose_name=_("licence record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_events",
        db_index=False,  # read from the event, never looked up by it
    )
    pledge = models.ForeignKey(
        "patents.Pledge",
        verbose_name=_("pledge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_events",
        db_index=False,  # read from the event, never looked up by it
    )
    import_batch = models.UUIDField(_("import batch"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("legal-status event")
        verbose_name_plural = _("legal-status events")
        ordering = ["-event_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patent", "event_date", "event_type", "number"],
                name="legal_event_unique",
                violation_error_message=_("This event of the patent is recorded already."),
            ),
        ]
        indexes = [
            # GET /api/v1/patents/{id}/events/ and the detail's recent events: newest first.
            models.Index(fields=["patent", "-event_date", "-id"], name="legal_event_patent_newest"),
            # GET /api/v1/legal-events/ (newest first, optionally one type) and the admin list.
            models.Index(fields=["-event_date", "-id"], name="legal_event_newest"),
            models.Index(
                fields=["event_type", "-event_date", "-id"], name="legal_event_type_newest"
            ),
            # What an import batch wrote.
            models.Index(fields=["import_batch"], name="legal_event_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.event_date} {self.source_words}"
