"""Background work: the job queue, its retry policy and its schedule.

**The queue** is procrastinate's, kept in PostgreSQL (the ``procrastinate_*`` tables its
migrations create), so a job deferred inside a transaction exists exactly when that
transaction commits. ``manage.py procrastinate worker`` runs the jobs and defers the
periodic ones at their times: ``manage.py serve`` (what ``make run`` runs) starts one beside
gunicorn, and ``docker-compose.yml`` has a ``worker`` service. Every app defines its tasks
in its own ``tasks.py`` (procrastinate's Django integration imports them); the management
commands ``expire_offers``, ``expire_demands``, ``send_alerts`` and ``send_reminders`` run
the same services by hand.

There is one queue, ``default``. A job with a higher priority is taken first:
``PRIORITY_WAITED_FOR`` for work someone is waiting for (re-matching after an offer is
published, an e-mail to send again), ``PRIORITY_BATCH`` for the schedule and what it fans
out (one alert job per saved search).

**Retry policy** (``RETRY``, on every task): a job that raises is tried again after 8 s,
64 s, 8.5 min and 68 min (``8 ** attempt`` seconds), five runs in all; after the fifth
failure it stays ``failed``. Operators see every job, its attempts and its events in the
admin (*Background jobs*, filter by status ``failed``), and can run a failed job again
there (action *Retry*). A periodic job is deferred once per time slot, whichever worker
defers it (procrastinate keeps one row per task and time).

**Schedule**, in Asia/Shanghai time (the project's ``TIME_ZONE``; procrastinate reads cron
in UTC, so ``daily_at`` converts: China keeps UTC+8 all year, without daylight saving):

- ``patents.expire_offers``, daily 01:00: published offers whose term ended or whose
  patent lapsed become expired (by hand: ``manage.py expire_offers``);
- ``enterprises.expire_demands``, daily 01:15: demands past their deadline expire
  (``manage.py expire_demands``);
- ``indicators.take_snapshot``, daily 02:00: the indicators of every region with a target
  are computed and kept for the operators' dashboard (its *Compute again now* button, or
  the first dashboard that finds none, does the same);
- ``patents.expire_job_files``, daily 03:15: the files of background exports past their
  expiry (``FILE_JOB_KEEP_HOURS``), and uploads left by finished imports, are deleted;
- ``conversion_db.remove_old_jobs``, daily 03:30: jobs that succeeded are forgotten after
  30 days, failed ones after 180;
- ``conversion_db.expire_idempotency_keys``, daily 03:45: stored answers of
  ``Idempotency-Key`` requests older than ``IDEMPOTENCY_KEY_HOURS``
  (``manage.py expire_idempotency_keys``);
- ``accounts.expire_tokens``, daily 04:00: API tokens past their expiry are deleted
  (``manage.py expire_tokens``);
- ``enterprises.send_alerts``, daily 08:00: one ``enterprises.send_alert`` job per saved
  search with alerts on (``manage.py send_alerts`` runs them all in one process);
- ``enterprises.send_reminders``, daily 09:00: unanswered inquiries (holders) and
  unrecorded deals (both parties) (``manage.py send_reminders``);
- ``notifications.send_unsent_mail``, every 10 minutes: e-mails left unsent by a process
  that died after its commit.

Deferred by the product, not by the clock: ``patents.run_file_job`` (an export or import
too large for its request), ``enterprises.rematch_offer`` (an offer was published),
``enterprises.send_alert`` (one saved search), ``notifications.send_mail`` (a
notification's mail failed; sent again on this policy).

**Writing a task.** A task is an ``async`` function that runs its Django work through
``run_sync``: asgiref's thread-sensitive ``sync_to_async`` runs every job's ORM work in one
thread with one connection, which procrastinate's ``DjangoApp`` middleware closes when it
is stale or broken, around each job. (A plain ``def`` task would run in a thread pool of
its own.) The same choice lets a test run the real worker inside its own transaction:
under ``async_to_sync`` that thread is the test's (``tests/support/jobs.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from asgiref.sync import sync_to_async
from procrastinate import RetryStrategy

P = ParamSpec("P")
T = TypeVar("T")

QUEUE = "default"
PRIORITY_WAITED_FOR = 10
PRIORITY_BATCH = 0
MAX_ATTEMPTS = 5
RETRY = RetryStrategy(max_attempts=MAX_ATTEMPTS - 1, exponential_wait=8)
"""Up to ``MAX_ATTEMPTS`` runs of a failing job, 8 s, 64 s, 512 s and 4096 s apart."""

SCHEDULE_TIME_ZONE = "Asia/Shanghai"  # = settings.TIME_ZONE (a test keeps them equal)


def daily_at(hour: int, minute: int = 0) -> str:
    """The UTC cron line of "every day at ``hour:minute`` in Shanghai"."""
    local = datetime.datetime(2000, 1, 1, hour, minute, tzinfo=ZoneInfo(SCHEDULE_TIME_ZONE))
    utc = local.astimezone(datetime.UTC)
    return f"{utc.minute} {utc.hour} * * *"


def every_minutes(minutes: int) -> str:
    return f"*/{minutes} * * * *"


SCHEDULE: dict[str, str] = {
    "patents.expire_offers": daily_at(1, 0),
    "enterprises.expire_demands": daily_at(1, 15),
    "indicators.take_snapshot": daily_at(2, 0),
    "patents.expire_job_files": daily_at(3, 15),
    "conversion_db.remove_old_jobs": daily_at(3, 30),
    "conversion_db.expire_idempotency_keys": daily_at(3, 45),
    "accounts.expire_tokens": daily_at(4, 0),
    "enterprises.send_alerts": daily_at(8, 0),
    "enterprises.send_reminders": daily_at(9, 0),
    "notifications.send_unsent_mail": every_minutes(10),
}
"""Periodic task name -> its cron line (UTC); each ``tasks.py`` takes its times from here."""


def cron(task_name: str) -> str:
    """The cron line of a periodic task (a ``KeyError`` for a task the schedule lacks)."""
    return SCHEDULE[task_name]


async def run_sync(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run Django code from a job, in Django's thread-sensitive executor (see above)."""
    return await sync_to_async(func)(*args, **kwargs)
