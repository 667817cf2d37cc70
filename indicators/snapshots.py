"""Snapshots of the indicators: computed once, kept, and read by the operators' dashboard.

Computing the targets' report over a large register takes a few hundred milliseconds (one
query per group of indicators and region, over every patent of the region; see
docs/benchmarks.md), which the admin index should not pay on every load. So the values are
computed by ``snapshot_take`` and kept (``Snapshot``, ``SnapshotValue``):

- daily at 02:00 (Shanghai) by the job ``indicators.take_snapshot`` (``conversion_db.jobs``);
- when an operator asks for it (the dashboard's *Refresh* button, or the action on
  *Indicators › Indicator snapshots*);
- by the first dashboard that finds no snapshot, or none covering every target (a target
  was added since): it computes live and stores what it computed.

A snapshot covers every region that has a target, every indicator, for the dashboard's
years (the last target year, capped at the snapshot's own year, and the five before).
Snapshots older than ``KEEP_DAYS`` are dropped when a new one is taken (the latest always
stays).

``GET /api/v1/indicators/`` and ``.../series/`` still compute live: any region and any year
can be asked for, a snapshot covers only the target regions, and the endpoint holds its
time at 100,000 patents (docs/benchmarks.md), so a caller always gets today's records.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from indicators.definitions import Indicator
from indicators.models import Snapshot, SnapshotValue, Target
from indicators.selectors import indicator_report
from patents.models import Region

SERIES_YEARS = 6  # the dashboard's chart: the target year and the five before it
KEEP_DAYS = 90


def covered_years(targets: Iterable[Target], today: datetime.date) -> list[int]:
    """The years a region's snapshot covers: its last target year (this year at most) and
    the ``SERIES_YEARS - 1`` before it."""
    last = max(min(target.year, today.year) for target in targets)
    return list(range(last - SERIES_YEARS + 1, last + 1))


def targets_by_region() -> dict[str, list[Target]]:
    by_region: dict[str, list[Target]] = {}
    for target in Target.objects.select_related("region").order_by("region_id", "deadline", "id"):
        by_region.setdefault(target.region_id, []).append(target)
    return by_region


def snapshot_take(
    *, trigger: str, actor: Any = None, now: datetime.datetime | None = None
) -> Snapshot:
    """Compute every indicator for every region with a target, over the dashboard's years,
    and keep the values (one transaction: a snapshot is whole or absent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    started = time.perf_counter()
    indicators = sorted(Indicator)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            taken_at=now,
            trigger=trigger,
            taken_by=actor if actor is not None and actor.is_authenticated else None,
        )
        rows: list[SnapshotValue] = []
        for region_targets in targets_by_region().values():
            region: Region = region_targets[0].region
            years = covered_years(region_targets, today)
            for value in indicator_report(region, years, indicators):
                rows.append(
                    SnapshotValue(
                        snapshot=snapshot,
                        region=region,
                        indicator=value.indicator,
                        year=value.year,
                        value=value.value,
                        records_counted=value.records_counted,
                    )
                )
        SnapshotValue.objects.bulk_create(rows)
        snapshot.seconds = round(time.perf_counter() - started, 3)
        snapshot.save(update_fields=["seconds"])
        Snapshot.objects.filter(taken_at__lt=now - datetime.timedelta(days=KEEP_DAYS)).exclude(
            pk=snapshot.pk
        ).delete()
    return snapshot


def snapshot_latest() -> Snapshot | None:
    return Snapshot.objects.order_by("-taken_at", "-id").first()


SnapshotValues = dict[tuple[str, str, int], SnapshotValue]


def snapshot_values(snapshot: Snapshot) -> SnapshotValues:
    """The snapshot's values by (region code, indicator, year)."""
    return {
        (row.region_id, row.indicator, row.year): row
        for row in SnapshotValue.objects.filter(snapshot=snapshot)
    }


def dashboard_snapshot(
    by_region: dict[str, list[Target]], *, now: datetime.datetime | None = None
) -> tuple[Snapshot, SnapshotValues]:
    """The latest snapshot and its values, taken now when there is none or it lacks a
    value one of the targets needs (a target added since)."""
    snapshot = snapshot_latest()
    if snapshot is not None:
        values = snapshot_values(snapshot)
        taken_on = timezone.localdate(snapshot.taken_at)
        needed = {
            (code, target.indicator, year)
            for code, targets in by_region.items()
            for target in targets
            for year in covered_years(targets, taken_on)
        }
        if needed <= values.keys():
            return snapshot, values
    snapshot = snapshot_take(trigger=Snapshot.Trigger.DASHBOARD, now=now)
    return snapshot, snapshot_values(snapshot)
