"""Holders of patents (universities, institutes, hospitals, companies ...) and their members."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conversion_db.models import CuratedModel, HistoryBase


class Holder(CuratedModel):
    """A legal person (or individual) that holds patents; verified by an operator."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("university")
        RESEARCH_INSTITUTE = "research_institute", _("research institute")
        MEDICAL_INSTITUTION = "medical_institution", _("medical institution")
        ENTERPRISE = "enterprise", _("enterprise")
        INDIVIDUAL = "individual", _("individual")
        GOVERNMENT = "government", _("government")
        OTHER = "other", _("other")

    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.OTHER)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        help_text=_("18 characters, GB 32100-2015; checked."),
    )
    region = models.ForeignKey(
        "patents.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked by an operator.")
    )

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("holder")
        verbose_name_plural = _("holders")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=models.Q(uscc__isnull=False, deleted_at__isnull=True),
                name="holder_uscc_unique",
                violation_error_message=_("Another holder has this unified social credit code."),
            ),
        ]
        indexes = [
            # Import: unknown holder names are matched by exact name.
            models.Index(fields=["name"], name="holder_name"),
            # Admin autocomplete and holder search by part of the name.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="holder_name_trgm"),
            models.Index(fields=["kind", "id"], name="holder_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def notification_members(self) -> models.QuerySet[Any]:
        """Whom ``notifications.notify`` tells besides ``contact_email``: the members
        (``notifications.recipients``)."""
        return get_user_model().objects.filter(holder_memberships__holder=self).order_by("id")


class HolderMembership(models.Model):
    """A user who acts for a holder (its tech-transfer office)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    holder = models.ForeignKey(
        Holder, verbose_name=_("holder"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="holder_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("holder membership")
        verbose_name_plural = _("holder memberships")
        ordering = ["holder_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "user"],
                name="holder_membership_unique",
                violation_error_message=_("This user is already a member of this holder."),
            )
        ]
        indexes = [models.Index(fields=["user", "holder"], name="membership_user_holder")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.holder}"
