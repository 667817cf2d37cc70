"""Jobs of the supply side (schedule and retry policy: ``conversion_db.jobs``).

- ``expire_offers`` (daily): published offers whose licence term has ended, or with a
  patent no longer in force, become expired (``manage.py expire_offers`` by hand).
- ``run_file_job`` (deferred by an export or import too large for its request): writes the
  export's file or runs the import (``patents.filejobs.services``).
- ``expire_job_files`` (daily): deletes background jobs' files past their expiry.
"""

from __future__ import annotations

from procrastinate import JobContext
from procrastinate.contrib.django import app

from conversion_db import jobs
from patents.filejobs.services import file_job_run, job_files_expire
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


@app.task(
    name="patents.run_file_job",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_WAITED_FOR,
    queue=jobs.QUEUE,
    pass_context=True,
)
async def run_file_job(context: JobContext, job_id: int) -> None:
    """Run one background export or import; the last of its attempts records a failure
    as final (earlier ones leave the job queued for the retry)."""
    from patents.api.job_views import export_queryset  # the list endpoints' selection

    attempts = context.job.attempts  # runs before this one
    final = attempts + 1 >= jobs.MAX_ATTEMPTS
    await jobs.run_sync(file_job_run, job_id, select=export_queryset, final_attempt=final)


@app.periodic(cron=jobs.cron("patents.expire_job_files"))
@app.task(
    name="patents.expire_job_files",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def expire_job_files(timestamp: int) -> int:
    return await jobs.run_sync(job_files_expire)
