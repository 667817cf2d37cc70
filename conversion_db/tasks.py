"""Housekeeping: the job queue itself, and the stored answers of idempotent requests (see
``conversion_db.jobs`` for the schedule)."""

from __future__ import annotations

from procrastinate import JobContext
from procrastinate.contrib.django import app

from conversion_db import jobs
from conversion_db.api.idempotency import expire_keys

KEEP_SUCCEEDED_HOURS = 30 * 24
KEEP_FAILED_HOURS = 180 * 24


@app.periodic(cron=jobs.cron("conversion_db.remove_old_jobs"))
@app.task(
    name="conversion_db.remove_old_jobs",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
    pass_context=True,
)
async def remove_old_jobs(context: JobContext, timestamp: int) -> None:
    """Forget jobs that succeeded more than 30 days ago, and failed, cancelled or aborted
    ones after 180 days (operators have had time to look at them)."""
    manager = context.app.job_manager
    await manager.delete_old_jobs(nb_hours=KEEP_SUCCEEDED_HOURS)
    await manager.delete_old_jobs(
        nb_hours=KEEP_FAILED_HOURS,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )


@app.periodic(cron=jobs.cron("conversion_db.expire_idempotency_keys"))
@app.task(
    name="conversion_db.expire_idempotency_keys",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def expire_idempotency_keys(timestamp: int) -> int:
    """Delete the stored answers older than ``IDEMPOTENCY_KEY_HOURS``."""
    return await jobs.run_sync(expire_keys)
