"""Jobs of the accounts app (schedule and retry policy: ``conversion_db.jobs``).

- ``expire_tokens`` (daily): API tokens past their expiry are deleted (they stopped
  authenticating when they expired; ``manage.py expire_tokens`` by hand).
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from accounts.services.tokens import tokens_expire
from conversion_db import jobs


@app.periodic(cron=jobs.cron("accounts.expire_tokens"))
@app.task(
    name="accounts.expire_tokens",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def expire_tokens(timestamp: int) -> int:
    return await jobs.run_sync(tokens_expire)
