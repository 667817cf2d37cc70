"""The schedule of conversion_db/jobs.py is the one the worker runs: every periodic task at
its documented time in Shanghai, every task on the documented retry policy."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import croniter  # type: ignore[import-untyped]  # no stubs; a dependency of procrastinate
import pytest
from django.conf import settings
from procrastinate.contrib.django import app
from procrastinate.jobs import Job

from conversion_db import jobs

SHANGHAI = ZoneInfo("Asia/Shanghai")
OURS = ("patents.", "enterprises.", "notifications.", "conversion_db.", "accounts.", "indicators.")


def next_runs(cron: str, after: datetime.datetime, count: int) -> list[str]:
    """The next ``count`` times of a cron line (which procrastinate reads in UTC), shown in
    Shanghai time."""
    iterator = croniter.croniter(cron, after.timestamp())
    return [
        datetime.datetime.fromtimestamp(iterator.get_next(float), SHANGHAI).strftime(
            "%Y-%m-%d %H:%M"
        )
        for _ in range(count)
    ]


def test_the_schedule_is_in_the_projects_time_zone():
    assert jobs.SCHEDULE_TIME_ZONE == settings.TIME_ZONE == "Asia/Shanghai"


def test_every_periodic_task_is_scheduled_as_documented():
    registered = {
        periodic.task.name: periodic.cron
        for periodic in app.periodic_registry.periodic_tasks.values()
    }
    assert registered == jobs.SCHEDULE


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("patents.expire_offers", ["2026-12-08 01:00", "2026-12-09 01:00"]),
        ("enterprises.expire_demands", ["2026-12-08 01:15", "2026-12-09 01:15"]),
        ("indicators.take_snapshot", ["2026-12-08 02:00", "2026-12-09 02:00"]),
        ("patents.expire_job_files", ["2026-12-08 03:15", "2026-12-09 03:15"]),
        ("conversion_db.remove_old_jobs", ["2026-12-08 03:30", "2026-12-09 03:30"]),
        ("conversion_db.expire_idempotency_keys", ["2026-12-08 03:45", "2026-12-09 03:45"]),
        ("accounts.expire_tokens", ["2026-12-08 04:00", "2026-12-09 04:00"]),
        ("enterprises.send_alerts", ["2026-12-08 08:00", "2026-12-09 08:00"]),
        ("enterprises.send_reminders", ["2026-12-08 09:00", "2026-12-09 09:00"]),
        ("notifications.send_unsent_mail", ["2026-12-08 00:10", "2026-12-08 00:20"]),
    ],
)
def test_each_runs_at_its_shanghai_time(task, expected):
    midnight = datetime.datetime(2026, 12, 8, 0, 0, tzinfo=SHANGHAI)
    assert next_runs(jobs.cron(task), midnight, 2) == expected


def test_every_task_retries_with_exponential_backoff_a_handful_of_times():
    ours = {name: task for name, task in app.tasks.items() if name.startswith(OURS)}
    assert set(ours) >= set(jobs.SCHEDULE) | {
        "enterprises.send_alert",
        "enterprises.rematch_offer",
        "notifications.send_mail",
        "patents.run_file_job",
    }
    for name, task in ours.items():
        assert task.retry_strategy == jobs.RETRY, name
        assert task.queue == jobs.QUEUE, name

    def wait_after(attempts: int) -> float | None:
        job = Job(id=1, queue="default", lock=None, queueing_lock=None, task_name="x",
                  attempts=attempts)  # fmt: skip
        decision = jobs.RETRY.get_retry_decision(exception=RuntimeError(), job=job)
        if decision is None:
            return None
        assert decision.retry_at is not None
        return round((decision.retry_at - datetime.datetime.now(datetime.UTC)).total_seconds())

    assert [wait_after(attempts) for attempts in range(5)] == [8, 64, 512, 4096, None]
