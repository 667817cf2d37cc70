"""The real job worker, inside the test's own transaction.

procrastinate's Django integration cannot run a worker over a pytest transaction as it
comes: ``manage.py procrastinate worker`` and ``app.run_worker()`` use connections of
their own (psycopg's pool; ``asyncio.run`` in another thread), which do not see what the
test wrote and leave a session open at teardown. What works, and is what ``run_jobs``
does:

- the worker's event loop runs under asgiref's ``async_to_sync``, so that every
  thread-sensitive ``sync_to_async`` call (Django's connector queries, and our tasks' ORM
  work through ``conversion_db.jobs.run_sync``) comes back to the test's thread and its
  connection: the jobs see the test's rows, and what they write rolls back with it;
- the connector is Django's (``DjangoConnector``), whose rows come back with ``args`` as
  JSON text (Django asks psycopg not to decode ``jsonb``); ``InTestConnector`` decodes it,
  as the worker's psycopg connector would;
- ``DjangoApp``'s middleware, which closes stale connections around each job, is left
  out: inside a test's atomic block it would close the test's connection;
- no listening (``LISTEN`` needs a connection of its own) and no periodic deferrer (the
  clock would defer jobs at random): tests defer the periodic tasks themselves
  (``defer_periodic``), as the deferrer does.

``run_jobs`` runs every job due now, then returns (``wait=False``); a job retried later
stays ``todo`` with its new time (``make_due`` brings it forward).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from asgiref.sync import async_to_sync
from django.db import connection
from procrastinate import periodic
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.contrib.django.models import ProcrastinateJob


class InTestConnector(DjangoConnector):
    """Django's connector, with the jobs' arguments decoded from JSON text."""

    def _dictfetch(self, cursor: Any) -> Iterator[dict[str, Any]]:
        for row in super()._dictfetch(cursor):
            if isinstance(row.get("args"), str):
                row["args"] = json.loads(row["args"])
            yield row


def run_jobs() -> None:
    """Run every job that is due, in this thread and transaction."""
    with app.replace_connector(InTestConnector()) as test_app:
        registry = test_app.periodic_registry.periodic_tasks
        scheduled = dict(registry)
        registry.clear()
        try:
            async_to_sync(test_app.run_worker_async)(
                wait=False,
                listen_notify=False,
                install_signal_handlers=False,
                task_middleware=[],
            )
        finally:
            registry.update(scheduled)


def defer_periodic(at: float | None = None) -> list[str]:
    """Defer every periodic task once, as the worker's deferrer does at its last time
    before ``at`` (now by default); returns the task names."""
    at = time.time() if at is None else at
    deferrer = periodic.PeriodicDeferrer(registry=app.periodic_registry, max_delay=float("inf"))
    due = list(deferrer.get_previous_tasks(at=at))
    with app.replace_connector(InTestConnector()):
        async_to_sync(deferrer.defer_jobs)(due)
    return [periodic_task.task.name for periodic_task, _timestamp in due]


def jobs(task_name: str | None = None) -> list[ProcrastinateJob]:
    queryset = ProcrastinateJob.objects.order_by("id")
    if task_name is not None:
        queryset = queryset.filter(task_name=task_name)
    return list(queryset)


def make_due() -> None:
    """Bring every job waiting for a later time (a retry) forward to now. (Inside a test's
    transaction PostgreSQL's ``now()``, which the worker compares with, stays at the
    transaction's start: a job scheduled by the clock "now" is in its future.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'"
            " AND scheduled_at > now()"
        )
