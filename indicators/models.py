"""Reference figures the indicators need and are compared with, kept as data.

- ``ResidentPopulation``: the resident population of a region at a date (a year end, or a
  census day), the denominator of the per-10,000 indicators (DOMAIN §6.2: a year's value
  uses the population at the end of the **previous** year; the year is stored with it).
- ``PublishedFigure``: a value an authority published (or a page reposted), with the page
  it was read on and how reliable that page is; shown beside the computed value.
- ``Target``: what the city set out to reach, by when.
- ``Snapshot`` / ``SnapshotValue``: the indicators as computed at one time, kept for the
  operators' dashboard (``indicators.snapshots``).

Loaded by ``manage.py seed`` from ``seeds/indicators/`` (``indicators.seeding``) and curated
by operators in the admin, with the history of every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conversion_db.models import HistoryBase
from indicators.definitions import Indicator


class Reliability(models.TextChoices):
    OFFICIAL = "official", _("official publication")
    REPOST = "repost", _("repost or mirror of an official release")
    UNVERIFIED = "unverified", _("unverified (no address, approximate or derived)")


class ReferenceFigure(models.Model):
    """What every reference figure says about where it comes from."""

    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_as_stated = models.TextField(
        _("source as stated"), blank=True, help_text=_("How the page attributes the figure.")
    )
    reliability = models.CharField(
        _("reliability"), max_length=12, choices=Reliability.choices, default=Reliability.REPOST
    )
    reliability_note = models.CharField(_("reliability note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ResidentPopulation(ReferenceFigure):
    """常住人口 of a region at a date (the end of a year, or a census day)."""

    class Kind(models.TextChoices):
        YEAR_END = "year_end", _("at the end of the year")
        CENSUS = "census", _("census")

    region = models.ForeignKey(
        "patents.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by population_unique
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    as_of = models.DateField(_("as of"))
    population = models.PositiveIntegerField(_("resident population (persons)"))

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("resident population")
        verbose_name_plural = _("resident populations")
        ordering = ["region", "-year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind"],
                name="population_unique",
                violation_error_message=_(
                    "This region has a population of this kind for this year already."
                ),
            ),
            models.CheckConstraint(
                condition=Q(population__gt=0),
                name="population_positive",
                violation_error_message=_("A population is more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.kind}: {self.population}"


class PublishedFigure(ReferenceFigure):
    """A value published for a region (or the whole country) and a year, as read."""

    region = models.ForeignKey(
        "patents.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by published_figure_lookup
        help_text=_("Empty for the whole country."),
    )
    region_name = models.CharField(_("region as published"), max_length=40)
    indicator = models.CharField(
        _("indicator"),
        max_length=40,
        choices=Indicator.choices,
        blank=True,
        help_text=_("Empty when no computed indicator matches it."),
    )
    name_as_published = models.CharField(_("name as published"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"), null=True, blank=True)
    value_as_published = models.CharField(_("value as published"), max_length=40)
    unit_as_published = models.CharField(_("unit as published"), max_length=20)
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "In the indicator's unit (patents, yuan, persons ...); empty when the value was "
            "only stated approximately (千余)."
        ),
    )

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering = ["region", "year", "indicator", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_name", "name_as_published", "year"],
                name="published_figure_unique",
                violation_error_message=_("This figure is recorded already."),
            ),
        ]
        indexes = [
            # GET /api/v1/indicators/: the figures of one region and year (or years).
            models.Index(fields=["region", "year", "indicator"], name="published_figure_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.region_name} {self.year} {self.name_as_published}: {self.value_as_published}"


class Target(models.Model):
    """A target the city set: reach ``value`` (at least, about, more than) by ``deadline``."""

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")
        ABOUT = "about", _("about")

    region = models.ForeignKey(
        "patents.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by target_lookup
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year whose value is compared with the target.")
    )
    deadline = models.DateField(_("deadline"))
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    document = models.CharField(_("document"), max_length=200)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["region", "indicator", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "deadline"],
                name="target_unique",
                violation_error_message=_("This region has a target for this indicator then."),
            ),
        ]
        indexes = [
            # GET /api/v1/indicators/: the targets of one region.
            models.Index(fields=["region", "indicator"], name="target_lookup"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.region_id} {self.indicator} {self.comparison} {self.value} by {self.deadline}"
        )


class Snapshot(models.Model):
    """The indicators computed once and kept: what the operators' dashboard shows, so that
    opening the admin does not recompute them. Taken daily by the schedule
    (``indicators.take_snapshot``), on an operator's request, or by the first dashboard
    that finds none (``indicators.snapshots``)."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("the daily schedule")
        OPERATOR = "operator", _("an operator")
        DASHBOARD = "dashboard", _("the first dashboard without one")

    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    trigger = models.CharField(_("taken by"), max_length=10, choices=Trigger.choices)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seconds = models.FloatField(_("seconds to compute"), default=0)

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        ordering = ["-taken_at", "-id"]
        get_latest_by = ["taken_at", "id"]
        indexes = [
            # The dashboard reads the latest one; the job drops the old ones.
            models.Index(fields=["taken_at", "id"], name="snapshot_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M} ({self.trigger})"


class SnapshotValue(models.Model):
    """One indicator's value for one region and year, as a snapshot computed it."""

    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,  # covered by snapshot_value_unique
    )
    region = models.ForeignKey(
        "patents.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # read through the snapshot
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4, null=True)
    records_counted = models.PositiveIntegerField(_("records counted"), null=True)

    class Meta:
        verbose_name = _("snapshot value")
        verbose_name_plural = _("snapshot values")
        ordering = ["snapshot", "region", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "region", "indicator", "year"], name="snapshot_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.indicator} {self.year}: {self.value}"
