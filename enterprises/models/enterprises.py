"""Enterprises (the SMEs that look for technology), their members, size and designations."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conversion_db.models import CuratedModel, HistoryBase


class SizeClass(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")
    UNKNOWN = "unknown", _("not determined")


class IndustryGroup(models.TextChoices):
    """The industry groups of the SME size standard (工信部联企业〔2011〕300号)."""

    AGRICULTURE = "agriculture", _("agriculture, forestry, husbandry, fishery")
    INDUSTRY = "industry", _("industry")
    CONSTRUCTION = "construction", _("construction")
    WHOLESALE = "wholesale", _("wholesale")
    RETAIL = "retail", _("retail")
    TRANSPORT = "transport", _("transport")
    WAREHOUSING = "warehousing", _("warehousing")
    POSTAL = "postal", _("postal services")
    ACCOMMODATION = "accommodation", _("accommodation")
    CATERING = "catering", _("catering")
    INFORMATION_TRANSMISSION = "information_transmission", _("information transmission")
    SOFTWARE_IT = "software_it", _("software and IT services")
    REAL_ESTATE_DEVELOPMENT = "real_estate_development", _("real-estate development")
    PROPERTY_MANAGEMENT = "property_management", _("property management")
    LEASING_BUSINESS = "leasing_business", _("leasing and business services")
    OTHER = "other", _("other industries")


class Indicator(models.TextChoices):
    EMPLOYEES = "employees", _("employees")
    REVENUE = "revenue", _("operating revenue (10,000 CNY)")
    ASSETS = "assets", _("total assets (10,000 CNY)")


class SizeStandard(models.Model):
    """One industry's thresholds of the SME size standard, valid from a date.

    Versioned data, not constants: a revised standard is a new row with a later
    ``valid_from``; an enterprise is classified with the row in force. Amounts are in
    10,000 CNY (万元) as in the standard. ``large``: every indicator at or above its
    bound; otherwise ``medium`` or ``small`` when every indicator meets that class's lower
    bound; otherwise ``micro`` (docs/domain/enterprise-sizes.md §1).
    """

    industry_group = models.CharField(
        _("industry group"), max_length=32, choices=IndustryGroup.choices
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=200)
    first_indicator = models.CharField(
        _("first indicator"), max_length=12, choices=Indicator.choices
    )
    second_indicator = models.CharField(
        _("second indicator"), max_length=12, choices=Indicator.choices, blank=True
    )
    large_first = models.DecimalField(_("large: first bound"), max_digits=12, decimal_places=2)
    large_second = models.DecimalField(
        _("large: second bound"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    medium_first = models.DecimalField(_("medium: first bound"), max_digits=12, decimal_places=2)
    medium_second = models.DecimalField(
        _("medium: second bound"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    small_first = models.DecimalField(_("small: first bound"), max_digits=12, decimal_places=2)
    small_second = models.DecimalField(
        _("small: second bound"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("SME size standard")
        verbose_name_plural = _("SME size standards")
        ordering = ["industry_group", "-valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["industry_group", "valid_from"],
                name="size_standard_unique",
                violation_error_message=_("This industry already has a standard from this date."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(second_indicator="")
                    & models.Q(large_second__isnull=True)
                    & models.Q(medium_second__isnull=True)
                    & models.Q(small_second__isnull=True)
                )
                | (
                    ~models.Q(second_indicator="")
                    & models.Q(large_second__isnull=False)
                    & models.Q(medium_second__isnull=False)
                    & models.Q(small_second__isnull=False)
                ),
                name="size_standard_second_bounds",
                violation_error_message=_("A second indicator needs all three of its bounds."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_industry_group_display()} ({self.valid_from:%Y-%m-%d})"


class Enterprise(CuratedModel):
    """A company looking for technology (mostly SMEs); verified by an operator."""

    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        help_text=_("18 characters, GB 32100-2015; checked."),
    )
    region = models.ForeignKey(
        "patents.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by enterprise_region
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry_code = models.CharField(
        _("industry (GB/T 4754)"),
        max_length=5,
        blank=True,
        help_text=_("GB/T 4754-2017 code: section letter and up to four digits, e.g. C3841."),
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue_cny = models.DecimalField(
        _("operating revenue (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    assets_cny = models.DecimalField(
        _("total assets (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    size_class = models.CharField(
        _("size class"),
        max_length=8,
        choices=SizeClass.choices,
        default=SizeClass.UNKNOWN,
        editable=False,
        help_text=_("Computed from industry, employees, revenue and assets."),
    )
    size_standard = models.ForeignKey(
        SizeStandard,
        verbose_name=_("size standard applied"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    size_reason = models.CharField(_("size reason"), max_length=300, blank=True, editable=False)
    size_reason_zh = models.CharField(
        _("size reason (Chinese)"), max_length=300, blank=True, editable=False
    )
    holder = models.ForeignKey(
        "patents.Holder",
        verbose_name=_("same legal entity as holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        help_text=_("Linked automatically when a holder has the same credit code."),
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked by an operator.")
    )

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=models.Q(deleted_at__isnull=True),
                name="enterprise_uscc_unique",
                violation_error_message=_(
                    "Another enterprise has this unified social credit code."
                ),
            ),
        ]
        indexes = [
            # Admin autocomplete and search by part of the name.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="enterprise_name_trgm"),
            # Enterprise list filters.
            models.Index(fields=["size_class", "id"], name="enterprise_size"),
            models.Index(fields=["region", "id"], name="enterprise_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def notification_members(self) -> models.QuerySet[Any]:
        """Whom ``notifications.notify`` tells besides ``contact_email``: the members
        (``notifications.recipients``)."""
        return (
            get_user_model().objects.filter(enterprise_memberships__enterprise=self).order_by("id")
        )


class EnterpriseMembership(models.Model):
    """A user who acts for an enterprise."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,  # covered by enterprise_membership_unique
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("enterprise membership")
        verbose_name_plural = _("enterprise memberships")
        ordering = ["enterprise_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "user"],
                name="enterprise_membership_unique",
                violation_error_message=_("This user is already a member of this enterprise."),
            )
        ]
        indexes = [
            models.Index(fields=["user", "enterprise"], name="ent_membership_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise}"


class Designation(models.Model):
    """A title an authority gave the enterprise (not computed here,
    docs/domain/enterprise-sizes.md §2-3)."""

    class Kind(models.TextChoices):
        HIGH_TECH = "high_tech", _("high-tech enterprise (高新技术企业)")
        TECH_SME = "tech_sme", _("technology-based SME (科技型中小企业)")
        INNOVATIVE_SME = "innovative_sme", _("innovative SME (创新型中小企业)")
        SPECIALISED_SME = "specialised_sme", _("specialised SME (专精特新中小企业)")
        LITTLE_GIANT = "little_giant", _('"little giant" (专精特新“小巨人”企业)')

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="designations",
        db_index=False,  # covered by designation_unique
    )
    kind = models.CharField(_("designation"), max_length=20, choices=Kind.choices)
    authority = models.CharField(_("recognised by"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    source_url = models.URLField(_("source"), blank=True)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["enterprise_id", "-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "year"],
                name="designation_unique",
                violation_error_message=_("This designation is already recorded for this year."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1990, year__lte=2100),
                name="designation_year_range",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"
