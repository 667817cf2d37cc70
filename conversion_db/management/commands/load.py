"""``manage.py load``: mixed traffic for ``--seconds`` against gunicorn as deployed.

gunicorn runs with the deployed settings (``conversion_db/gunicorn_conf.py``, DEBUG off,
throttling off: eight clients from one address measure the app, not the limiter) on a
free local port, over the project's database or ``--database`` (another database on the
same server, the bench's ``conversion_bench`` for example). ``--clients`` threads send the
mix of ``conversion_db.loadtest`` (70% searches and lists, 20% details, 10% writes with
an API token of ``--user`` issued through ``token_create`` and deleted afterwards; in a
``--database`` without that user, a staff account ``load-test`` that cannot sign in) and the
command prints errors by status, p50/p95/p99 per class and each worker's resident memory
at the start and the end. Writes leave withdrawn draft offers titled ［负载测试］.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections
from django.db.models.functions import Substr

from accounts.services.tokens import token_create
from conversion_db import loadtest
from conversion_db.management.commands.bench import free_port, wait_for
from patents.models import Holding, LicensingOffer, OfferStatus, Patent
from patents.search import engine

LOAD_USER = "load-test"
WORDS = (
    "电池", "锂离子电池", "正极材料", "传感器", "催化剂", "半导体", "图像识别", "电机",
    "涂层", "纳米", "检测装置", "控制系统", "光伏", "储能", "复合材料", "机器人",
    "battery", "sensor", "catalyst",
)  # fmt: skip


class Command(BaseCommand):
    help = "Mixed load against gunicorn as deployed: errors, p50/p95/p99, worker memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=300, help="Duration (300).")
        parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (8).")
        parser.add_argument("--database", default=None, help="Another database on the same server.")
        parser.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY.")
        parser.add_argument("--user", default="operator", help="Who writes (an operator).")
        parser.add_argument("--port", type=int, default=None, help="Port (a free one).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database"]:
            for alias in connections:
                connections[alias].close()
            connection.settings_dict["NAME"] = options["database"]
        sample = database_sample()
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None and options["database"]:
            # A bench database has no operator: a staff account that cannot sign in writes.
            user, _ = get_user_model().objects.get_or_create(
                username=LOAD_USER, defaults={"is_staff": True, "password": "!"}
            )
            self._out(
                f"load: no user {options['user']!r} in {options['database']}; writing as {LOAD_USER!r}"
            )
        if user is None:
            raise CommandError(
                f"No user {options['user']!r} in {connection.settings_dict['NAME']}: run "
                "`manage.py ensure_operator` (make run does) or pass --user."
            )
        token, key = token_create(actor=user, name="load test", days=1)
        connections.close_all()  # the server's workers, not this process, use the database
        try:
            with self._gunicorn(options) as (port, master):
                before = loadtest.workers_rss_mb(master)
                self._out(
                    f"load: {options['clients']} clients for {options['seconds']:g} s against "
                    f"gunicorn ({len(before)} workers, DEBUG off) on "
                    f"{connection.settings_dict['NAME']}; mix "
                    + ", ".join(f"{op} {w}%" for _, op, w in loadtest.MIX)
                )
                totals = loadtest.run(
                    port=port,
                    sample=sample,
                    token=key,
                    clients=options["clients"],
                    seconds=options["seconds"],
                )
                after = loadtest.workers_rss_mb(master)
        finally:
            token.delete()
        rows = loadtest.report(totals, options["seconds"])
        for line in loadtest.table(rows):
            self._out(line)
        self._out(
            "worker RSS MB at start: "
            + ", ".join(f"{mb:.0f}" for mb in before.values())
            + "; at end: "
            + ", ".join(f"{mb:.0f}" for mb in after.values())
        )
        for status, text in rows["all"]["examples"].items():
            self._out(f"first {status}: {text}")
        failures = loadtest.server_errors(rows)
        if failures:
            raise CommandError(f"{failures} requests answered 5xx or not at all")

    def _out(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    @contextlib.contextmanager
    def _gunicorn(self, options: dict[str, Any]) -> Iterator[tuple[int, int]]:
        port = options["port"] or free_port()
        env = {
            **os.environ,
            "DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "DEBUG": "false",
            "THROTTLING": "false",
        }
        if options["database"]:
            env["SEARCH_INDEX_DIR"] = str(engine.index_root_for(options["database"]))
        if options["workers"]:
            env["WEB_CONCURRENCY"] = str(options["workers"])
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "conversion_db.wsgi:application",
            "--config",
            "python:conversion_db.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            # make run's gunicorn may be serving from the same folder: leave its socket alone
            "--no-control-socket",
        ]
        server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603
        # As deployed, an indexer applies the writes to the search index (a write's answer
        # waits for it); beside make run's own, the advisory lock lets one write at a time.
        indexer = (
            subprocess.Popen(
                [sys.executable, "manage.py", "index_search", "--follow"],
                env=env,
                cwd=settings.BASE_DIR,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
            )
            if settings.SEARCH_ENGINE
            else None
        )
        try:
            wait_for(port)
            time.sleep(1)  # every worker booted, not only the one that answered
            yield port, server.pid
        finally:
            for process in (server, indexer):
                if process is not None:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=60)


def database_sample() -> loadtest.Sample:
    """Words, IPC subclasses, patents, published offers and held patents to draw from."""
    live = Patent.objects.filter(deleted_at=None)
    patent_ids = list(live.order_by("?").values_list("id", flat=True)[:500])
    if not patent_ids:
        raise CommandError(
            f"No patents in {connection.settings_dict['NAME']}: seed it first (make run)."
        )
    subclasses = (
        Patent.objects.filter(id__in=patent_ids)
        .exclude(main_ipc="")
        .annotate(subclass=Substr("main_ipc", 1, 4))
        .values_list("subclass", flat=True)
        .distinct()
    )
    offer_ids = list(
        LicensingOffer.objects.filter(status=OfferStatus.PUBLISHED)
        .order_by("?")
        .values_list("id", flat=True)[:200]
    )
    holder_patents = list(
        Holding.objects.filter(
            role=Holding.Role.CURRENT,
            patent__deleted_at=None,
            patent__legal_status="in_force",
            patent__expiry_date__gt=datetime.date(2029, 1, 1),
        )
        .order_by("?")
        .values_list("holder_id", "patent_id")[:100]
    )
    if not offer_ids or not holder_patents:
        raise CommandError("No published offers or held patents to load: seed it first.")
    return loadtest.Sample(
        words=list(WORDS),
        ipc_subclasses=sorted(subclasses) or ["H01M"],
        patent_ids=patent_ids,
        offer_ids=offer_ids,
        holder_patents=holder_patents,
    )
