"""Patents and who holds them."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conversion_db.models import CuratedModel, HistoryBase


class PatentType(models.TextChoices):
    INVENTION = "invention", _("invention")
    UTILITY_MODEL = "utility_model", _("utility model")
    DESIGN = "design", _("design")


class LegalStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    IN_FORCE = "in_force", _("in force")
    IN_GRACE_PERIOD = "in_grace_period", _("in fee grace period")
    LAPSED = "lapsed", _("lapsed")
    EXPIRED = "expired", _("expired")
    INVALIDATED = "invalidated", _("invalidated")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REJECTED = "rejected", _("rejected")


class Patent(CuratedModel):
    """A patent or application, with its numbers, texts, classification and computed state.

    Numbers are stored in canonical form (``patents.register.numbers``); the natural key is
    (jurisdiction, application number), and a record without an application number is
    identified by its publication number. ``ipc_index`` holds every IPC symbol the patent
    falls under at any level (H, H01, H01M, H01M 10/00, ... H01M 10/0525), so an IPC filter
    at any level is one GIN lookup. ``search_document`` is the weighted text index written
    by the service layer (``patents.search.text``).
    """

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, default="CN")
    application_number = models.CharField(
        _("application number"), max_length=32, null=True, blank=True
    )
    publication_number = models.CharField(_("publication number"), max_length=32, blank=True)
    grant_number = models.CharField(_("grant number"), max_length=32, blank=True)
    patent_type = models.CharField(_("patent type"), max_length=16, choices=PatentType.choices)
    title = models.CharField(_("title (Chinese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=1000, blank=True)
    abstract = models.TextField(_("abstract (Chinese)"), blank=True)
    abstract_en = models.TextField(_("abstract (English)"), blank=True)
    keywords = ArrayField(
        models.CharField(max_length=100), verbose_name=_("keywords"), default=list, blank=True
    )
    ipc_codes = ArrayField(
        models.CharField(max_length=20), verbose_name=_("IPC symbols"), default=list, blank=True
    )
    main_ipc = models.CharField(_("main IPC symbol"), max_length=20, blank=True)
    ipc_index = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("IPC symbols at every level"),
        default=list,
        blank=True,
        editable=False,
    )
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=16, choices=LegalStatus.choices, default=LegalStatus.PENDING
    )
    legal_status_date = models.DateField(_("legal status date"), null=True, blank=True)
    # NULL: no source stated it (entered here, or imported in the product's own codes).
    legal_status_source = models.CharField(
        _("legal status as the source words it"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_(
            "The legal status in the words of the file it was imported from (未缴年费, 权利转移 ...)."
        ),
    )
    term_extension_days = models.PositiveIntegerField(_("term extension (days)"), default=0)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True, editable=False)
    pct_application_number = models.CharField(
        _("PCT application number"), max_length=24, blank=True
    )
    wo_publication_number = models.CharField(_("WO publication number"), max_length=24, blank=True)
    # Family members abroad, canonical (patents.register.numbers.family): US11295096B2 ...
    foreign_family = ArrayField(
        models.CharField(max_length=24),
        verbose_name=_("family members abroad"),
        default=list,
        blank=True,
        help_text=_("Office, number and kind code, e.g. US11295096B2, EP3456789A1."),
    )
    has_foreign_grant = models.BooleanField(
        _("granted abroad"),
        default=False,
        help_text=_("Set by a granted family member abroad, or stated for one not listed."),
    )
    awards = models.CharField(
        _("awards"),
        max_length=300,
        blank=True,
        help_text=_("China Patent Award or State S&T Award, if any."),
    )
    inventors = ArrayField(
        models.CharField(max_length=100), verbose_name=_("inventors"), default=list, blank=True
    )
    # High-value categories (docs/domain/high-value-patents.md §1), computed by the service layer.
    hv_strategic_emerging = models.BooleanField(
        _("strategic emerging industry"), default=False, editable=False
    )
    hv_foreign_grant = models.BooleanField(
        _("granted abroad (family)"), default=False, editable=False
    )
    hv_maintained_10_years = models.BooleanField(
        _("maintained over 10 years"), default=False, editable=False
    )
    hv_high_pledge = models.BooleanField(_("high pledge amount"), default=False, editable=False)
    hv_award = models.BooleanField(_("award-winning"), default=False, editable=False)
    is_high_value = models.BooleanField(_("high-value invention"), default=False, editable=False)
    # Denormalised for filters (kept by the service layer).
    region = models.ForeignKey(
        "patents.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Region of the first current holder."),
        # ?region=: patent_region_filing_desc leads with it (a C-collated column, so the
        # index also answers a city's or province's code prefix).
        db_index=False,
    )
    holder_kinds = ArrayField(
        models.CharField(max_length=24),
        verbose_name=_("holder kinds"),
        default=list,
        blank=True,
        editable=False,
    )
    has_offer = models.BooleanField(_("has a published offer"), default=False, editable=False)
    # Provenance.
    source = models.CharField(_("source"), max_length=200, blank=True)
    import_batch = models.UUIDField(_("import batch"), null=True, blank=True, editable=False)
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    search_document = SearchVectorField(_("search document"), null=True, editable=False)
    # Non-null sort keys for keyset pagination (a missing date sorts last).
    filing_sort = models.GeneratedField(
        expression=Coalesce("filing_date", Value(datetime.date.min)),
        output_field=models.DateField(),
        db_persist=True,
    )
    grant_sort = models.GeneratedField(
        expression=Coalesce("grant_date", Value(datetime.date.min)),
        output_field=models.DateField(),
        db_persist=True,
    )
    expiry_sort = models.GeneratedField(
        expression=Coalesce("expiry_date", Value(datetime.date.max)),
        output_field=models.DateField(),
        db_persist=True,
    )

    history = HistoricalRecords(
        bases=[HistoryBase],
        excluded_fields=["search_document", "filing_sort", "grant_sort", "expiry_sort"],
    )

    class Meta:
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        ordering = ["-filing_sort", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "application_number"],
                condition=models.Q(application_number__isnull=False),
                name="patent_application_number_unique",
                violation_error_message=_("A patent with this application number exists already."),
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "publication_number"],
                condition=~models.Q(publication_number=""),
                name="patent_publication_number_unique",
                violation_error_message=_("A patent with this publication number exists already."),
            ),
            models.CheckConstraint(
                condition=models.Q(application_number__isnull=False)
                | ~models.Q(publication_number=""),
                name="patent_has_a_number",
                violation_error_message=_(
                    "A patent needs an application number or a publication number."
                ),
            ),
        ]
        indexes = [
            # GET /api/v1/patents/?q=...: the weighted text index; ?ipc=H01M (any level):
            # overlap with every level's symbols. One index with the type and the status
            # (btree_gin), so that a word combined with these filters is answered by
            # intersecting their entries inside it: 系统 (in 78% of a million patents) +
            # G06N + invention + in force reads 3,200 exact matches in 16 ms, where two
            # separate indexes AND-ed a 315,000-entry bitmap for type + status (80 ms)
            # and re-tested the word on every row. A query on one column reads only
            # that column's entries, as a single-column index would.
            GinIndex(
                fields=["search_document", "ipc_index", "patent_type", "legal_status"],
                name="patent_search_filters_gin",
            ),
            # ?number=...: grant and WO/PCT numbers (application and publication have the unique indexes).
            models.Index(fields=["grant_number"], name="patent_grant_number"),
            models.Index(fields=["pct_application_number"], name="patent_pct_number"),
            models.Index(fields=["wo_publication_number"], name="patent_wo_number"),
            # Default list ordering (newest filed first) and ?ordering=-grant_date / expiry_date.
            # Covering the structured filters, so that a filtered list finds its page's ids
            # in the index alone (KeysetPagination: keyset_ids_first).
            models.Index(
                fields=["-filing_sort", "-id"],
                name="patent_filing_desc",
                include=[
                    "deleted_at",
                    "patent_type",
                    "legal_status",
                    "region",
                    "is_high_value",
                    "has_offer",
                    "jurisdiction",
                ],
            ),
            # The same for one district (region=310115 is an equality, see PatentFilterSet.
            # filter_region): its newest patents are the first entries under its code, where
            # the index above would pass over every other district's patents to reach them
            # (68,000 entries, 14 ms, for a district with 0.35% of a million patents).
            models.Index(
                fields=["region", "-filing_sort", "-id"],
                name="patent_region_filing_desc",
                include=[
                    "deleted_at",
                    "patent_type",
                    "legal_status",
                    "is_high_value",
                    "has_offer",
                    "jurisdiction",
                ],
            ),
            models.Index(fields=["-grant_sort", "-id"], name="patent_grant_desc"),
            models.Index(fields=["expiry_sort", "id"], name="patent_expiry"),
            # ?holder_kind=...
            GinIndex(fields=["holder_kinds"], name="patent_holder_kinds_gin"),
            # Structured filters. The id last: a text search with these filters looks in the
            # newest id range (search.ranking.newest_matches), which the index then narrows itself
            # (33,000 entries instead of 260,000 for invention + in force at a million).
            models.Index(
                fields=["patent_type", "legal_status", "id"], name="patent_type_status_id"
            ),
            models.Index(
                fields=["is_high_value"],
                name="patent_high_value",
                condition=models.Q(is_high_value=True),
            ),
            # Patents with a published offer, newest first: offer search's rank window
            # (and the has_offer filter) reads them without passing over the others.
            models.Index(
                fields=["id"], name="patent_offered_newest", condition=models.Q(has_offer=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_number or self.publication_number} {self.title}"


class ConfirmedHoldingManager(models.Manager["Holding"]):
    """The holdings that count: confirmed ones (docs/domain/co-holders.md). Every read of a
    patent's holders (lists, details, filters, who may write a patent, exports) goes
    through this default manager, and so through the related ``patent.holdings``."""

    def get_queryset(self) -> models.QuerySet["Holding"]:
        return super().get_queryset().filter(confirmed=True)


class Holding(models.Model):
    """A holder's share in a patent: as an original applicant, or as the current holder of record.

    A holding written by a holder's member for another holder (a co-holder they named) is
    *unconfirmed* until that holder's admin member or an operator confirms it: it is not
    shown and does not count for the holder (``objects`` leaves it out; ``all_objects``
    holds every holding). ``patents.register.coholders`` has the rule."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("original applicant")
        CURRENT = "current", _("current holder")

    patent = models.ForeignKey(
        Patent, verbose_name=_("patent"), on_delete=models.CASCADE, related_name="holdings"
    )
    holder = models.ForeignKey(
        "patents.Holder",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="holdings",
        db_index=False,  # served by holding_holder (holder, role, patent)
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Percent, if agreed."),
    )
    since = models.DateField(
        _("since"), null=True, blank=True, help_text=_("Registration date of a transfer.")
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_(
            "False while the holder, named by another holder's member, has not confirmed it."
        ),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    history = HistoricalRecords(bases=[HistoryBase])

    objects = ConfirmedHoldingManager()
    all_objects = models.Manager()  # noqa: DJ012 - (ruff takes the manager above for a field)

    class Meta:
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        ordering = ["patent_id", "role", "order", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["patent", "holder", "role"],
                name="holding_unique",
                violation_error_message=_("This holder is listed twice in the same role."),
            ),
            models.CheckConstraint(
                condition=models.Q(share__isnull=True) | models.Q(share__gte=0, share__lte=100),
                name="holding_share_percent",
                violation_error_message=_("A share is a percentage from 0 to 100."),
            ),
        ]
        indexes = [
            # ?holder=...: patents of a holder, and a holder's own records.
            models.Index(fields=["holder", "role", "patent"], name="holding_holder"),
            # A holder's holdings waiting for its confirmation.
            models.Index(
                fields=["holder", "patent"],
                name="holding_unconfirmed",
                condition=models.Q(confirmed=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} ({self.role}) {self.patent_id}"
