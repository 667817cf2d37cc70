"""API tokens, holder requests and enterprise invitations.

- ``ApiToken``: django-rest-knox's token (only the SHA-512 digest of the key is stored; the
  key is shown once) with a name, an expiry and when it was last used.
- ``HolderRequest``: the operators' and holder admins' queue. A *registration* asks an
  operator to verify a holder a user registered (its USCC checked); a *membership* request
  asks a holder's admin members (or an operator) to let a user join.
- ``EnterpriseInvitation``: an enterprise admin invites a colleague by e-mail; whoever signs
  in with that verified address may accept it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords

from conversion_db.models import CuratedModel, HistoryBase


class ApiToken(AbstractAuthToken):
    """An API token (``Authorization: Token <key>``); ``token_key`` is the key's first 15
    characters, shown as its prefix so that the user can tell tokens apart."""

    name: models.CharField = models.CharField(_("name"), max_length=100)
    last_used_at: models.DateTimeField = models.DateTimeField(
        _("last used at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-digest"]
        indexes = [
            # GET /api/v1/auth/tokens/: a user's tokens, newest first (keyset).
            models.Index(fields=["user", "-created", "-digest"], name="apitoken_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class HolderRequest(CuratedModel):
    """A request about a holder that someone else decides: verify a registration (operators)
    or let a user join (the holder's admin members, or operators)."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("registration to verify")
        MEMBERSHIP = "membership", _("request to join")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    holder = models.ForeignKey(
        "patents.Holder",
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # holder_request_holder
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="holder_requests",
        db_index=False,  # holder_request_user
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # who decided what is answered by the history tables
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(
        _("reason"), max_length=2000, blank=True, help_text=_("Why it was refused.")
    )

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("holder request")
        verbose_name_plural = _("holder requests")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "user", "kind"],
                condition=models.Q(status="pending", deleted_at__isnull=True),
                name="holder_request_one_pending",
                violation_error_message=_("You have already asked; the request is pending."),
            )
        ]
        indexes = [
            # GET /api/v1/holder-requests/ for a holder's admins; ?holder= filter.
            models.Index(fields=["holder", "status", "-id"], name="holder_request_holder"),
            # The requester's own requests (GET /api/v1/auth/me/ and the list).
            models.Index(fields=["user", "-id"], name="holder_request_user"),
            # The operators' queue: pending first, newest first.
            models.Index(fields=["status", "-id"], name="holder_request_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user} → {self.holder}"


class EnterpriseInvitation(CuratedModel):
    """An enterprise admin's invitation to a colleague's e-mail address."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # invitation_enterprise
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=[("admin", _("administrator")), ("member", _("member"))],
        default="member",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # who accepted is answered by the history tables
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("enterprise invitation")
        verbose_name_plural = _("enterprise invitations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "enterprise",
                condition=models.Q(status="pending", deleted_at__isnull=True),
                name="invitation_one_pending",
                violation_error_message=_("This address already has a pending invitation."),
            )
        ]
        indexes = [
            # GET /api/v1/invitations/ for an enterprise's admins.
            models.Index(fields=["enterprise", "-id"], name="invitation_enterprise"),
            # The invitee's pending invitations, by address (GET /api/v1/auth/me/).
            models.Index(Lower("email"), "status", name="invitation_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.enterprise}"
