"""The operators' dashboard at the top of the admin index: the work waiting for them, and
each of the city's targets against what the database computes and what was published.

Every number links to the changelist that lists what it counts (with its filter), so the
figure and the list can never disagree. The queues are counted with bounded queries on
indexed columns; the targets are read from the latest snapshot of the indicators
(``indicators.snapshots``: computed by ``indicators.selectors.indicator_report``, the same
code as ``GET /api/v1/indicators/``, daily or when an operator refreshes it).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import HolderRequest, RequestStatus
from conversion_db.admin import import_counts, import_error
from conversion_db.models import ImportRun
from enterprises.models import Deal, Inquiry
from enterprises.selectors import deals_unrecorded, inquiries_unanswered
from enterprises.services.inquiries import INQUIRY_REMINDER_DAYS
from indicators.definitions import DEFINITIONS, Indicator
from indicators.models import PublishedFigure, Snapshot, Target
from indicators.snapshots import (
    covered_years,
    dashboard_snapshot,
    snapshot_latest,
    targets_by_region,
)
from patents.models import LicensingOffer, OfferStatus


@dataclass
class Queue:
    """One kind of work waiting: how many, and where they are listed."""

    label: Any
    count: int
    url: str


def changelist(model: type[models.Model], **filters: Any) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return f"{url}?{query}" if query else url


def work_waiting(*, now: datetime.datetime | None = None) -> list[Queue]:
    """What waits for an operator, each with the filtered list behind it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return [
        Queue(
            _("Offers waiting for review"),
            LicensingOffer.objects.filter(status=OfferStatus.PENDING_REVIEW).count(),
            changelist(LicensingOffer, status__exact=OfferStatus.PENDING_REVIEW),
        ),
        Queue(
            _("Holders to verify"),
            HolderRequest.objects.filter(
                status=RequestStatus.PENDING, kind=HolderRequest.Kind.REGISTRATION
            ).count(),
            changelist(HolderRequest, status=RequestStatus.PENDING, kind__exact="registration"),
        ),
        Queue(
            _("Requests to join a holder"),
            HolderRequest.objects.filter(
                status=RequestStatus.PENDING, kind=HolderRequest.Kind.MEMBERSHIP
            ).count(),
            changelist(HolderRequest, status=RequestStatus.PENDING, kind__exact="membership"),
        ),
        Queue(
            _("Inquiries unanswered for %(days)d days or more") % {"days": INQUIRY_REMINDER_DAYS},
            inquiries_unanswered(
                now=now, after=datetime.timedelta(days=INQUIRY_REMINDER_DAYS)
            ).count(),
            changelist(Inquiry, waiting="overdue"),
        ),
        Queue(
            _("Deals past their recordation deadline"),
            deals_unrecorded(past_due_on=today).count(),
            changelist(Deal, recordation="overdue"),
        ),
        Queue(
            _("Background jobs that failed"),
            ProcrastinateJob.objects.filter(status="failed").count(),
            reverse("admin:conversion_db_job_changelist") + "?status=failed",
        ),
    ]


@dataclass
class TargetProgress:
    """A target, the computed series up to its year, and the latest published figure."""

    target: Target
    label: Any
    unit: Any
    year: int
    computed: Decimal | None
    published: Decimal | None
    published_year: int | None
    series: list[tuple[int, Decimal | None]] = field(default_factory=list)
    url: str = ""

    @property
    def progress(self) -> int | None:
        """The computed value as a share of the target, in percent (capped at 100)."""
        if self.computed is None or not self.target.value:
            return None
        return min(100, int(self.computed * 100 / self.target.value))

    @property
    def chart(self) -> SafeString:
        return sparkline(self.series, self.target.value)


def plain(value: Decimal) -> Decimal:
    """A stored value without the trailing zeros of its column (50.2000 -> 50.2, 7.0 -> 7)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@dataclass
class TargetsBoard:
    """The targets' rows and the snapshot they were read from."""

    rows: list[TargetProgress]
    snapshot: Snapshot | None


def targets_progress(*, now: datetime.datetime | None = None) -> TargetsBoard:
    """Every target against its value in the latest snapshot (``indicators.snapshots``),
    for its year (or the snapshot's year, if the target's is still ahead), with the series
    of the years before it, and the latest published figure of those years."""
    by_region = targets_by_region()
    if not by_region:
        return TargetsBoard([], snapshot_latest())
    snapshot, values = dashboard_snapshot(by_region, now=now)
    taken_on = timezone.localdate(snapshot.taken_at)
    published: dict[tuple[str, str], tuple[int, Decimal]] = {}
    figures = PublishedFigure.objects.filter(
        region_id__in=by_region.keys(),
        indicator__in={t.indicator for targets in by_region.values() for t in targets},
        value__isnull=False,
    ).order_by("year", "value")
    for figure in figures:
        code = figure.region_id or ""
        in_window = code in by_region and figure.year in covered_years(by_region[code], taken_on)
        if in_window and figure.value is not None:
            published[(code, figure.indicator)] = (figure.year, figure.value)
    progress: list[TargetProgress] = []
    for region_code, region_targets in by_region.items():
        years = covered_years(region_targets, taken_on)
        for target in region_targets:
            indicator = Indicator(target.indicator)
            year = min(target.year, taken_on.year)

            def value_of(y: int, code: str = region_code, name: str = indicator) -> Any:
                row = values.get((code, name, y))
                return None if row is None or row.value is None else plain(row.value)

            latest = published.get((region_code, indicator))
            progress.append(
                TargetProgress(
                    target=target,
                    label=indicator.label,
                    unit=DEFINITIONS[indicator].unit.label,
                    year=year,
                    computed=value_of(year),
                    published=latest[1] if latest else None,
                    published_year=latest[0] if latest else None,
                    series=[(y, value_of(y)) for y in years if y <= year],
                    url=reverse("indicators") + f"?region={region_code}&year={year}",
                )
            )
    return TargetsBoard(progress, snapshot)


def sparkline(series: Sequence[tuple[int, Decimal | None]], target: Decimal | None) -> SafeString:
    """A small server-drawn SVG: the computed values by year, and the target as a line."""
    width, height, pad = 160, 40, 3
    points = [(year, float(value)) for year, value in series if value is not None]
    top = max([value for _, value in points] + [float(target or 0), 1.0])
    if not points:
        return format_html('<svg width="{}" height="{}" role="img"></svg>', width, height)
    first, last = series[0][0], series[-1][0]
    span = max(last - first, 1)

    def x(year: int) -> float:
        return pad + (width - 2 * pad) * (year - first) / span

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * value / top

    line = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in points)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2"><title>{}: {}</title></circle>',
        ((f"{x(year):.1f}", f"{y(value):.1f}", year, f"{value:g}") for year, value in points),
    )
    goal = (
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" class="target"></line>',
            pad,
            width - pad,
            f"{y(float(target)):.1f}",
            f"{y(float(target)):.1f}",
        )
        if target
        else ""
    )
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img">'
        '{}<polyline points="{}"></polyline>{}</svg>',
        width,
        height,
        width,
        height,
        goal,
        line,
        dots,
    )


RECENT_IMPORTS = 5


@dataclass
class RecentImport:
    run: ImportRun
    counts: str
    errors: list[str]
    url: str


def recent_imports(limit: int = RECENT_IMPORTS) -> list[RecentImport]:
    """The latest imports (not dry runs), with their counts or first errors, each linking
    to its record (*Imports* in the admin)."""
    runs = ImportRun.objects.select_related("actor").order_by("-finished_at", "-id")[:limit]
    return [
        RecentImport(
            run=run,
            counts=import_counts(run),
            errors=[import_error(error) for error in run.errors[:3]],
            url=reverse("admin:conversion_db_importrun_change", args=[run.pk]),
        )
        for run in runs
    ]
