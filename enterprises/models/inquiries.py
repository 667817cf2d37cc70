"""Inquiries from enterprises to holders, and the deals they lead to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conversion_db.models import CuratedModel, HistoryBase


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("awaiting reply")
    REPLIED = "replied", _("replied")
    DECLINED = "declined", _("declined")
    CLOSED = "closed", _("closed")


class DeclineReason(models.TextChoices):
    TOO_EARLY = "too_early", _("too early")
    BENEFIT_UNCLEAR = "benefit_unclear", _("benefit unclear")
    PRICE = "price", _("price")
    TERMS = "terms", _("terms")
    NOT_OUR_FIELD = "not_our_field", _("not our field")
    ALREADY_LICENSED = "already_licensed", _("already licensed")
    OTHER = "other", _("other")


class Inquiry(CuratedModel):
    """An enterprise member's question about an offer or a patent, to its holder."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="inquiries",
        db_index=False,  # covered by inquiry_enterprise
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # who sent what is answered by the enterprise's list
    )
    holder = models.ForeignKey(
        "patents.Holder",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="inquiries",
        db_index=False,  # covered by inquiry_holder_status
    )
    offer = models.ForeignKey(
        "patents.LicensingOffer",
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    patent = models.ForeignKey(
        "patents.Patent",
        verbose_name=_("patent"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    match = models.ForeignKey(
        "enterprises.Match",
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    reply = models.TextField(_("reply"), blank=True)
    decline_reason = models.CharField(
        _("decline reason"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    response_seconds = models.PositiveIntegerField(
        _("first response time (seconds)"), null=True, blank=True, editable=False
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="declined", decline_reason__gt="")
                | (~models.Q(status="declined") & models.Q(decline_reason="")),
                name="inquiry_decline_reason",
                violation_error_message=_("A declined inquiry needs a reason, and only it."),
            ),
        ]
        indexes = [
            # A holder's inbox, newest first, and its unanswered inquiries.
            models.Index(fields=["holder", "status", "-id"], name="inquiry_holder_status"),
            # An enterprise's sent inquiries.
            models.Index(fields=["enterprise", "-id"], name="inquiry_enterprise"),
            # send_reminders: unanswered inquiries by age.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="open", deleted_at__isnull=True),
                name="inquiry_unanswered",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.enterprise} → {self.holder}"


class Deal(CuratedModel):
    """A concluded licence or assignment, recorded as a LicenceRecord on the supply side.

    The recordation with CNIPA is due within 3 months of the contract taking effect
    (docs/domain/licences-and-recordation.md §2); ``recordation_due`` keeps that date and
    ``send_reminders`` reminds the parties until the record carries a recordation number.
    """

    class Origin(models.TextChoices):
        INQUIRY = "inquiry", _("inquiry")
        MATCH = "match", _("match")
        OPEN_LICENCE = "open_licence", _("accepted open licence")
        DIRECT = "direct", _("direct")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("licensee enterprise"),
        on_delete=models.PROTECT,
        related_name="deals",
        db_index=False,  # covered by deal_enterprise
    )
    holder = models.ForeignKey(
        "patents.Holder",
        verbose_name=_("licensor"),
        on_delete=models.PROTECT,
        related_name="deals",
        db_index=False,  # covered by deal_holder
    )
    origin = models.CharField(_("origin"), max_length=14, choices=Origin.choices)
    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("inquiry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    match = models.ForeignKey(
        "enterprises.Match",
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    offer = models.ForeignKey(
        "patents.LicensingOffer",
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    licence_record = models.OneToOneField(
        "patents.LicenceRecord",
        verbose_name=_("licence record"),
        on_delete=models.PROTECT,
        related_name="deal",
    )
    notice_date = models.DateField(
        _("written notice given"),
        null=True,
        blank=True,
        help_text=_("Open licence: the date the licensee notified the patentee in writing."),
    )
    payment_evidence = models.CharField(
        _("payment evidence"),
        max_length=200,
        blank=True,
        help_text=_("Open licence: the payment's reference (bank slip, invoice number)."),
    )
    recordation_due = models.DateField(_("recordation due"))
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-id"]
        constraints = [
            # One inquiry leads to at most one live deal (repeated requests once made four).
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=models.Q(inquiry__isnull=False, deleted_at__isnull=True),
                name="deal_one_per_inquiry",
                violation_error_message=_("A deal was already recorded for this inquiry."),
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-id"], name="deal_enterprise"),
            models.Index(fields=["holder", "-id"], name="deal_holder"),
            # send_reminders: deals whose recordation is due.
            models.Index(fields=["recordation_due"], name="deal_recordation_due"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.holder} → {self.enterprise}"
