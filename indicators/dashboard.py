"""The operators' dashboard at the top of the admin index: the work waiting for them, and
each of the city's targets against what the database computes and what was published.

Every number links to the changelist that lists what it counts (with its filter), so the
figure and the list can never disagree. The queues are counted with bounded queries on
indexed columns; the targets are computed by ``indicators.selectors.indicator_report``,
the same code as ``GET /api/v1/indicators/``.
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
from enterprises.models import Deal, Inquiry
from enterprises.selectors import deals_unrecorded, inquiries_unanswered
from enterprises.services.inquiries import INQUIRY_REMINDER_DAYS
from indicators.definitions import DEFINITIONS, Indicator
from indicators.models import Target
from indicators.selectors import indicator_report
from patents.models import LicensingOffer, OfferStatus, Region

SERIES_YEARS = 6  # the chart shows the target year and the five before it


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


def targets_progress(*, today: datetime.date | None = None) -> list[TargetProgress]:
    """Every target, computed for its year (or this year, if its year is still ahead), with
    the series of the years before it. One report per region."""
    today = today or timezone.localdate()
    targets = list(Target.objects.select_related("region").order_by("region_id", "deadline", "id"))
    progress: list[TargetProgress] = []
    by_region: dict[str, list[Target]] = {}
    for target in targets:
        by_region.setdefault(target.region_id, []).append(target)
    for region_code, region_targets in by_region.items():
        region: Region = region_targets[0].region
        last = max(min(t.year, today.year) for t in region_targets)
        years = list(range(last - SERIES_YEARS + 1, last + 1))
        indicators = sorted({Indicator(t.indicator) for t in region_targets})
        values = {(v.indicator, v.year): v for v in indicator_report(region, years, indicators)}
        for target in region_targets:
            indicator = Indicator(target.indicator)
            year = min(target.year, today.year)
            value = values[(indicator, year)]
            published = [
                (figure["year"], figure["value"])
                for v in values.values()
                if v.indicator == target.indicator
                for figure in v.official
                if figure["value"] is not None
            ]
            latest = max(published, default=None)
            definition = DEFINITIONS[indicator]
            progress.append(
                TargetProgress(
                    target=target,
                    label=indicator.label,
                    unit=definition.unit.label,
                    year=year,
                    computed=value.value,
                    published=latest[1] if latest else None,
                    published_year=latest[0] if latest else None,
                    series=[(y, values[(indicator, y)].value) for y in years if y <= year],
                    url=reverse("indicators") + f"?region={region_code}&year={year}",
                )
            )
    return progress


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
