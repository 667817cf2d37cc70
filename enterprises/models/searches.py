"""Saved searches: an enterprise member's patent or offer search, alerted on new matches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conversion_db.models import HistoryBase


class SavedSearch(models.Model):
    """The query string of a patent or offer list, re-run by ``send_alerts``."""

    class Target(models.TextChoices):
        PATENTS = "patents", _("patents")
        OFFERS = "offers", _("offers")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
        db_index=False,  # covered by saved_search_user
    )
    name = models.CharField(_("name"), max_length=120)
    target = models.CharField(_("searches"), max_length=8, choices=Target.choices)
    query = models.JSONField(
        _("parameters"),
        default=dict,
        help_text=_("The list endpoint's query parameters (name to list of values)."),
    )
    alerts_enabled = models.BooleanField(_("e-mail alerts"), default=True)
    last_alerted_id = models.BigIntegerField(
        _("newest record already alerted"), default=0, editable=False
    )
    last_alerted_at = models.DateTimeField(_("last alert"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["user_id", "-id"]
        indexes = [
            models.Index(fields=["user", "-id"], name="saved_search_user"),
            models.Index(
                fields=["id"], condition=models.Q(alerts_enabled=True), name="saved_search_alerts"
            ),
        ]

    def __str__(self) -> str:
        return self.name
