"""Jobs of the supply side (schedule and retry policy: ``conversion_db.jobs``).

- ``expire_offers`` (daily): published offers whose licence term has ended, or with a
  patent no longer in force, become expired (``manage.py expire_offers`` by hand).
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from conversion_db import jobs
from patents.licensing.offers import offers_expire


@app.periodic(cron=jobs.cron("patents.expire_offers"))
@app.task(
    name="patents.expire_offers",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def expire_offers(timestamp: int) -> int:
    return await jobs.run_sync(offers_expire)
