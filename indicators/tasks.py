"""Jobs of the indicators app (schedule and retry policy: ``conversion_db.jobs``).

- ``take_snapshot`` (daily): the indicators of every region with a target are computed and
  kept for the operators' dashboard (``indicators.snapshots``).
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from conversion_db import jobs
from indicators.models import Snapshot
from indicators.snapshots import snapshot_take


def _take() -> int:
    return snapshot_take(trigger=Snapshot.Trigger.SCHEDULE).pk


@app.periodic(cron=jobs.cron("indicators.take_snapshot"))
@app.task(
    name="indicators.take_snapshot",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def take_snapshot(timestamp: int) -> int:
    return await jobs.run_sync(_take)
