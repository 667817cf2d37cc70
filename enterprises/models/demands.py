"""Technology demands that enterprises post, and the patents matched to them."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from conversion_db.models import CuratedModel, HistoryBase


class DemandStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    MATCHED = "matched", _("matched")
    CLOSED = "closed", _("closed")
    EXPIRED = "expired", _("expired")


LIVE_DEMAND_STATUSES = (DemandStatus.OPEN, DemandStatus.MATCHED)
"""A live demand is matched: when it opens, when it changes, when a relevant offer is published."""


class TechnologyDemand(CuratedModel):
    """What an enterprise is looking for: text, IPC, wanted deal types, budget, regions."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="demands",
        db_index=False,  # covered by demand_enterprise
    )
    title = models.CharField(_("title (Chinese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = ArrayField(
        models.CharField(max_length=60), verbose_name=_("keywords"), default=list, blank=True
    )
    ipc_codes = ArrayField(
        models.CharField(max_length=20), verbose_name=_("IPC codes"), default=list, blank=True
    )
    wanted_offer_types = ArrayField(
        models.CharField(max_length=24),
        verbose_name=_("wanted offer types"),
        default=list,
        blank=True,
    )
    budget_min_cny = models.DecimalField(
        _("budget from (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_max_cny = models.DecimalField(
        _("budget to (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    preferred_regions = ArrayField(
        models.CharField(max_length=6),
        verbose_name=_("preferred regions"),
        default=list,
        blank=True,
        help_text=_("Administrative division codes (a province or city covers everything in it)."),
    )
    ipc_subclasses = ArrayField(
        models.CharField(max_length=4),
        verbose_name=_("IPC subclasses"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "The subclasses of its IPC codes and of its best matches: which newly published "
            "offers can concern it."
        ),
    )
    suggested_ipc = models.JSONField(
        _("suggested IPC subclasses"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "Without IPC codes: the subclasses matching suggested for its text when it was "
            "last matched (code, title, title_en, score), for the enterprise to accept."
        ),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DemandStatus.choices, default=DemandStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    # "time": the moment, translated apart from the status "closed" (issue 17)
    closed_at = models.DateTimeField(pgettext_lazy("time", "closed"), null=True, blank=True)
    matched_at = models.DateTimeField(_("matches refreshed"), null=True, blank=True, editable=False)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min_cny__isnull=True)
                | models.Q(budget_max_cny__isnull=True)
                | models.Q(budget_min_cny__lte=models.F("budget_max_cny")),
                name="demand_budget_order",
                violation_error_message=_("The budget's lower bound is above its upper bound."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget_min_cny__isnull=True) | models.Q(budget_min_cny__gte=0),
                name="demand_budget_min_non_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]
        indexes = [
            # An enterprise's own demands (its list), newest first.
            models.Index(fields=["enterprise", "-id"], name="demand_enterprise"),
            # Open demands re-matched when an offer is published; expiry by deadline.
            models.Index(
                fields=["deadline", "id"],
                condition=models.Q(status__in=["open", "matched"], deleted_at__isnull=True),
                name="demand_live_deadline",
            ),
            # Re-matching live demands when an offer on patents of these subclasses is published.
            GinIndex(
                fields=["ipc_subclasses"],
                condition=models.Q(status__in=["open", "matched"], deleted_at__isnull=True),
                name="demand_live_subclasses",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.title_en or f"#{self.pk}"

    def is_past_deadline(self, on: datetime.date) -> bool:
        """Live but past its deadline on ``on``: expired, whether or not the daily
        ``expire_demands`` has marked it yet."""
        return (
            self.status in LIVE_DEMAND_STATUSES and self.deadline is not None and self.deadline < on
        )


class MatchState(models.TextChoices):
    SUGGESTED = "suggested", _("suggested")
    VIEWED = "viewed", _("viewed")
    CONTACTED = "contacted", _("contacted")
    NEGOTIATING = "negotiating", _("negotiating")
    CONCLUDED = "concluded", _("concluded")
    DISMISSED = "dismissed", _("dismissed")


class DismissalReason(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("not relevant")
    TOO_EARLY = "too_early", _("technology too early")
    PRICE = "price", _("price")
    TERMS = "terms", _("terms")
    REGION = "region", _("region")
    ALREADY_HAVE = "already_have", _("we already have this")
    OTHER = "other", _("other")


class Match(models.Model):
    """A patent (and its offer, if published) matched to a demand, with its explanation."""

    demand = models.ForeignKey(
        TechnologyDemand,
        verbose_name=_("demand"),
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,  # covered by match_demand_score
    )
    patent = models.ForeignKey(
        "patents.Patent",
        verbose_name=_("patent"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # covered by match_patent
    )
    offer = models.ForeignKey(
        "patents.LicensingOffer",
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    explanation = models.JSONField(_("explanation"), default=dict)
    state = models.CharField(
        _("state"), max_length=12, choices=MatchState.choices, default=MatchState.SUGGESTED
    )
    dismissal_reason = models.CharField(
        _("dismissal reason"), max_length=16, choices=DismissalReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["demand_id", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "patent"],
                name="match_unique",
                violation_error_message=_("This patent is already matched to this demand."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100),
                name="match_score_range",
                violation_error_message=_("A score is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(state="dismissed", dismissal_reason__gt="")
                | (~models.Q(state="dismissed") & models.Q(dismissal_reason="")),
                name="match_dismissal_reason",
                violation_error_message=_("A dismissed match needs a reason, and only it."),
            ),
        ]
        indexes = [
            # A demand's matches, best first (GET /api/v1/demands/{id}/matches/).
            models.Index(fields=["demand", "-score", "id"], name="match_demand_score"),
            # Re-matching when a patent's offer changes.
            models.Index(fields=["patent", "demand"], name="match_patent"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} ↔ {self.patent_id} ({self.score})"
