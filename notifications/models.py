"""What the product told whom: the notifications and their recipients.

A ``Notification`` is one event told once (its kind, the record it is about with the API
link to it, its text in Chinese and English, and its e-mail); a ``Recipient`` row is each
party it was told to: a user, who sees it in their inbox (``/api/v1/notifications/``) and
gets the e-mail when they have an address, or an organisation's contact address, which
gets the e-mail only. Together they are the log operators read in the admin: who was
told what, who has read it, and whether the e-mail went out (and if not, why).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind


class MailStatus(models.TextChoices):
    PENDING = "pending", _("to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NO_ADDRESS = "no_address", _("no address")


class Notification(models.Model):
    """One event told to the parties who must act on it (one e-mail to all their addresses)."""

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("about (type)"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # nothing looks notifications up by what they are about
    )
    subject_id = models.PositiveBigIntegerField(_("about (id)"))
    link = models.CharField(_("link"), max_length=300, help_text=_("Its API path."))
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    audience = models.CharField(
        _("told"), max_length=500, help_text=_("The organisations and users it was told to.")
    )
    caused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the log is read by kind, recipient and time, not by who caused it
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    mail_to = ArrayField(
        models.EmailField(),
        verbose_name=_("e-mailed to"),
        default=list,
        blank=True,
        help_text=_("Every address of its recipients, once each."),
    )
    mail_status = models.CharField(
        _("e-mail"), max_length=12, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    mail_error = models.TextField(_("e-mail error"), blank=True)
    mail_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    mailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mail_status="no_address", mail_to=[])
                | (~Q(mail_status="no_address") & ~Q(mail_to=[])),
                name="notification_mail_to",
                violation_error_message=_(
                    "A notification is e-mailed exactly when it has an address."
                ),
            ),
        ]
        indexes = [
            # notifications.send_unsent_mail (every 10 minutes): mails still to be sent.
            models.Index(
                fields=["created_at"],
                condition=Q(mail_status="pending"),
                name="notification_mail_pending",
            ),
            # Admin, notifications filtered by kind, newest first.
            models.Index(fields=["kind", "-id"], name="notification_kind"),
            # Admin, the notifications about one record: search by its link (exact).
            models.Index(Upper("link"), name="notification_link"),
        ]

    def __str__(self) -> str:
        return self.title_zh


class Recipient(models.Model):
    """One party a notification was told to: a user (in their inbox, and by e-mail when
    they have an address) or an organisation's contact address (by e-mail only)."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # covered by recipient_inbox
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation_type = models.ForeignKey(
        ContentType,
        verbose_name=_("organisation (type)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by recipient_organisation
    )
    organisation_id = models.PositiveBigIntegerField(_("organisation (id)"), null=True, blank=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=300,
        blank=True,
        help_text=_("The holder or enterprise it was told to, as named then."),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    is_read = models.GeneratedField(
        expression=models.ExpressionWrapper(
            Q(read_at__isnull=False), output_field=models.BooleanField()
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("read"),
    )
    mail_status = models.CharField(
        _("e-mail"), max_length=12, choices=MailStatus.choices, default=MailStatus.PENDING
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="recipient_user_or_email",
                violation_error_message=_("A recipient is a user or an e-mail address."),
            ),
            models.UniqueConstraint(
                fields=["notification", "user"],
                condition=Q(user__isnull=False),
                name="recipient_user_once",
                violation_error_message=_("This user is already a recipient."),
            ),
        ]
        indexes = [
            # GET /api/v1/notifications/ (unread first, then newest), .../unread-count/ and
            # .../read-all/: one user's rows by read state and id.
            models.Index(fields=["user", "is_read", "-id"], name="recipient_inbox"),
            # Admin, what was mailed to one address: search by it (exact, any case).
            models.Index(Upper("email"), name="recipient_email", condition=~Q(email="")),
            # Admin, what was told to one holder or enterprise, newest first.
            models.Index(
                fields=["organisation_type", "organisation_id", "-id"],
                condition=Q(organisation_id__isnull=False),
                name="recipient_organisation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.email)
