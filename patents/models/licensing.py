"""Licensing offers (including open-licence declarations), recorded licences and pledges.

The rules are in docs/domain/ (licensing pages) (``patents.licensing.rules``); the services
(``patents.licensing.offers``) gather a patent's facts from these tables and apply them.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from conversion_db.models import CuratedModel, HistoryBase


class OfferType(models.TextChoices):
    EXCLUSIVE = "exclusive", _("exclusive licence")
    SOLE = "sole", _("sole licence")
    ORDINARY = "ordinary", _("ordinary licence")
    OPEN_LICENCE = "open_licence", _("open licence")
    ASSIGNMENT = "assignment", _("assignment")
    EQUITY = "equity_contribution", _("equity contribution")


class PricingMode(models.TextChoices):
    LUMP_SUM = "lump_sum", _("lump sum")
    ROYALTY_NET_SALES = "royalty_net_sales", _("running royalty on net sales")
    ROYALTY_PROFIT = "royalty_profit", _("running royalty on profit")
    ENTRY_FEE_ROYALTY = "entry_fee_royalty", _("entry fee plus royalty")
    NEGOTIABLE = "negotiable", _("negotiable")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING_REVIEW = "pending_review", _("pending review")
    PUBLISHED = "published", _("published")
    SUSPENDED = "suspended", _("suspended")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CONCLUDED = "concluded", _("concluded")
    EXPIRED = "expired", _("expired")


PERCENT = Q(royalty_rate__isnull=True) | Q(royalty_rate__gte=0, royalty_rate__lte=100)


class LicensingOffer(CuratedModel):
    """A holder's offer of one patent or a portfolio, reviewed by an operator before it is
    published. An ``open_licence`` offer is the holder's open-licence declaration."""

    holder = models.ForeignKey(
        "patents.Holder", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="offers"
    )
    patents = models.ManyToManyField(  # type: ignore[var-annotated]
        "patents.Patent", through="OfferPatent", verbose_name=_("patents"), related_name="offers"
    )
    offer_type = models.CharField(_("offer type"), max_length=24, choices=OfferType.choices)
    pricing_mode = models.CharField(
        _("pricing mode"),
        max_length=24,
        choices=PricingMode.choices,
        default=PricingMode.NEGOTIABLE,
    )
    lump_sum_cny = models.DecimalField(
        _("lump sum or entry fee (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    royalty_rate = models.DecimalField(
        _("royalty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    term_start = models.DateField(_("licence term from"), null=True, blank=True)
    term_end = models.DateField(_("licence term to"), null=True, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    field_of_use = models.CharField(_("field of use"), max_length=300, blank=True)
    sublicensing_allowed = models.BooleanField(_("sub-licensing allowed"), default=False)
    title = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    pledgee_consent = models.BooleanField(
        _("pledgee's consent on file"),
        default=False,
        help_text=_("Needed when a patent of the offer is pledged."),
    )
    co_owners_consent = models.BooleanField(
        _("every co-owner consents"),
        default=False,
        help_text=_("Needed when a patent of the offer has several holders."),
    )
    evaluation_report = models.BooleanField(
        _("patent evaluation report on file"),
        default=False,
        help_text=_("Needed for an open licence of a utility model or design."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    review_note = models.TextField(_("review note"), blank=True)
    published_at = models.DateTimeField(pgettext_lazy("time", "published"), null=True, blank=True)
    # "time": the moment, translated apart from the status "closed" (issue 17)
    closed_at = models.DateTimeField(pgettext_lazy("time", "closed"), null=True, blank=True)
    # Non-null sort keys for keyset pagination: newest published first; cheapest first
    # (an offer without a fixed price sorts last).
    published_sort = models.GeneratedField(
        expression=Coalesce(
            "published_at", Value(datetime.datetime.min.replace(tzinfo=datetime.UTC))
        ),
        output_field=models.DateTimeField(),
        db_persist=True,
    )
    price_sort = models.GeneratedField(
        expression=Coalesce("lump_sum_cny", Value(Decimal("999999999999.99"))),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
    )

    history = HistoricalRecords(
        bases=[HistoryBase], excluded_fields=["published_sort", "price_sort"]
    )

    class Meta:
        verbose_name = _("licensing offer")
        verbose_name_plural = _("licensing offers")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=PERCENT,
                name="offer_royalty_rate_percent",
                violation_error_message=_("A royalty rate is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(lump_sum_cny__isnull=True) | Q(lump_sum_cny__gte=0),
                name="offer_lump_sum_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="offer_term_order",
                violation_error_message=_("The licence term ends before it starts."),
            ),
        ]
        indexes = [
            # The review queue and the public list (published, newest first).
            models.Index(fields=["status", "-published_sort", "-id"], name="offer_status_newest"),
            models.Index(fields=["status", "price_sort", "id"], name="offer_status_price"),
            models.Index(fields=["holder", "status"], name="offer_holder_status"),
        ]

    def __str__(self) -> str:
        return self.title


class OfferPatent(models.Model):
    offer = models.ForeignKey(
        LicensingOffer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="items"
    )
    patent = models.ForeignKey(
        "patents.Patent",
        verbose_name=_("patent"),
        on_delete=models.PROTECT,
        related_name="offer_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("offered patent")
        verbose_name_plural = _("offered patents")
        ordering = ["offer_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "patent"], name="offer_patent_unique")
        ]
        indexes = [models.Index(fields=["patent", "offer"], name="offer_patent_by_patent")]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.patent_id}"


class LicenceKind(models.TextChoices):
    EXCLUSIVE = "exclusive", _("exclusive licence")
    SOLE = "sole", _("sole licence")
    ORDINARY = "ordinary", _("ordinary licence")
    ASSIGNMENT = "assignment", _("assignment")


class LicenceRecord(CuratedModel):
    """A licence or assignment recorded (备案/登记) with CNIPA, or concluded here."""

    licensor = models.ForeignKey(
        "patents.Holder",
        verbose_name=_("licensor"),
        on_delete=models.PROTECT,
        related_name="licences_granted",
    )
    licensee_name = models.CharField(_("licensee"), max_length=200)
    licensee_uscc = models.CharField(
        _("licensee's unified social credit code"), max_length=18, blank=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LicenceKind.choices)
    patents = models.ManyToManyField(
        "patents.Patent", verbose_name=_("patents"), related_name="licence_records", blank=True
    )
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term to"), null=True, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    recordation_number = models.CharField(_("recordation number"), max_length=40, blank=True)
    recordation_date = models.DateField(_("recordation date"), null=True, blank=True)
    under_open_licence = models.BooleanField(_("under an open licence"), default=False)
    terminated_at = models.DateField(_("terminated"), null=True, blank=True)
    amount_cny = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = HistoricalRecords(bases=[HistoryBase], m2m_fields=[patents])

    class Meta:
        verbose_name = _("licence record")
        verbose_name_plural = _("licence records")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="licence_term_order",
                violation_error_message=_("The term ends before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["licensor", "-id"], name="licence_licensor"),
            # A recordation number names one record: the duplicate check of PATCH
            # /api/v1/deals/{id}/ and the import's match on the number.
            models.Index(
                fields=["recordation_number"],
                condition=~Q(recordation_number=""),
                name="licence_recordation_number",
            ),
        ]

    @property
    def is_recorded(self) -> bool:
        """Recorded with CNIPA: it has a recordation number or date (as
        ``patents.licensing.selectors.recorded_condition`` asks the database)."""
        return bool(self.recordation_number) or self.recordation_date is not None

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.licensee_name}"


class PledgeStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    CHANGED = "changed", _("changed")
    CANCELLED = "cancelled", _("cancelled")


class Pledge(CuratedModel):
    """A registered pledge of patents (and trademarks) securing a debt (docs/domain/pledges.md)."""

    pledgor = models.ForeignKey(
        "patents.Holder",
        verbose_name=_("pledgor"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    pledgee_name = models.CharField(_("pledgee"), max_length=200)
    pledgee_uscc = models.CharField(
        _("pledgee's unified social credit code"), max_length=18, blank=True
    )
    patents = models.ManyToManyField(
        "patents.Patent", verbose_name=_("patents"), related_name="pledges", blank=True
    )
    trademark_numbers = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("trademark registration numbers"),
        default=list,
        blank=True,
    )
    secured_amount_cny = models.DecimalField(
        _("secured amount (CNY)"), max_digits=16, decimal_places=2
    )
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    registration_date = models.DateField(_("registration date"))
    debt_start = models.DateField(_("debt period from"), null=True, blank=True)
    debt_end = models.DateField(_("debt period to"))
    status = models.CharField(
        _("status"), max_length=12, choices=PledgeStatus.choices, default=PledgeStatus.REGISTERED
    )
    cancellation_date = models.DateField(_("cancelled on"), null=True, blank=True)
    consents_to_licensing = models.BooleanField(
        _("pledgee consents to licensing"),
        default=False,
        help_text=_("Recorded consent of the pledgee to licences and open licences."),
    )

    history = HistoricalRecords(bases=[HistoryBase], m2m_fields=[patents])

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-registration_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secured_amount_cny__gte=0),
                name="pledge_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["pledgor", "-registration_date"], name="pledge_pledgor")]

    def __str__(self) -> str:
        return f"{self.registration_number or self.pk}: {self.pledgee_name}"
