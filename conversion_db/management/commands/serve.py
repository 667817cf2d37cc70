"""``manage.py serve``: the product as ``make run`` runs it.

Four things run together, and stop together:

- **web**: gunicorn with ``WEB_CONCURRENCY`` workers (``conversion_db/gunicorn_conf.py``);
- **jobs**: the background worker and its schedule (``manage.py procrastinate worker``;
  see ``conversion_db/jobs.py``); ``--no-jobs`` leaves it out;
- **search**: the search indexer (``manage.py index_search --follow``: the outbox applied
  to the search engine's index, ``patents/search/outbox.py``), unless ``SEARCH_ENGINE`` is off;
- without ``DATABASE_URL``, the embedded PostgreSQL both use. This command holds it for
  as long as it runs (recycled web workers do not stop and start it), starts it again
  should it die, and stops it on the way out.

Stopping: Ctrl-C (SIGINT to the whole process group), SIGTERM or SIGHUP to this process,
or the death of the process that started it (``make``, a shell): each child gets SIGTERM
and ``STOP_GRACE_SECONDS`` to finish, then SIGKILL, and the embedded server is stopped
when no other process uses it. A child that dies on its own is started again, at most
``RESTARTS_PER_MINUTE`` times a minute; beyond that the whole product stops with an error
rather than limp on.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from conversion_db.database import EmbeddedCluster, hold_embedded_cluster

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 30
RESTARTS_PER_MINUTE = 5
POLL_SECONDS = 0.5


@dataclass
class Child:
    """One supervised process: its command line and its recent (re)starts."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    starts: list[float] = field(default_factory=list)

    def start(self) -> None:
        self.starts = [t for t in self.starts if t > time.monotonic() - 60] + [time.monotonic()]
        self.process = subprocess.Popen(self.argv, cwd=settings.BASE_DIR)  # noqa: S603
        logger.info("serve: %s started (pid %s)", self.name, self.process.pid)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()


class Supervisor:
    """Runs the children until asked to stop, then stops them (see the module docstring)."""

    def __init__(self, children: list[Child], cluster: EmbeddedCluster | None) -> None:
        self.children = children
        self.cluster = cluster
        self.stop_reason: str | None = None
        self.failed = False
        self.parent = os.getppid()

    def ask_to_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_reason = self.stop_reason or signal.Signals(signum).name

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.ask_to_stop)
        for child in self.children:
            child.start()
        while self.stop_reason is None:
            time.sleep(POLL_SECONDS)
            self.watch()
        logger.info("serve: stopping (%s)", self.stop_reason)
        self.stop_children()
        return 1 if self.failed else 0

    def watch(self) -> None:
        if os.getppid() != self.parent:
            self.stop_reason = "the process that started serve has exited"
            return
        if self.cluster is not None and not self.cluster.is_running():
            logger.warning("serve: the embedded PostgreSQL has stopped; starting it again")
            self.cluster.endpoint()
        for child in self.children:
            code = child.exited()
            if code is None or self.stop_reason is not None:
                continue
            if len(child.starts) >= RESTARTS_PER_MINUTE:
                logger.error("serve: %s keeps exiting (code %s); stopping", child.name, code)
                self.failed = True
                self.stop_reason = f"{child.name} failed"
                return
            logger.warning("serve: %s exited with code %s; starting it again", child.name, code)
            child.start()

    def stop_children(self) -> None:
        for child in self.children:
            child.stop()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while time.monotonic() < deadline and any(c.exited() is None for c in self.children):
            time.sleep(0.1)
        for child in self.children:
            child.kill()
            if child.process is not None:
                child.process.wait()


class Command(BaseCommand):
    help = (
        "Serve the product: gunicorn, the job worker, the search indexer and the embedded "
        "PostgreSQL (make run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default=f"127.0.0.1:{os.environ.get('PORT') or 8000}", help="host:port"
        )
        parser.add_argument(
            "--no-jobs", action="store_true", help="Serve the web only, without the job worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        children = [
            Child(
                "web",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "conversion_db.wsgi:application",
                    "--config",
                    "python:conversion_db.gunicorn_conf",
                    "--bind",
                    options["bind"],
                ],
            )
        ]
        if not options["no_jobs"]:
            children.append(Child("jobs", [sys.executable, manage, "procrastinate", "worker"]))
        if settings.SEARCH_ENGINE:
            children.append(Child("search", [sys.executable, manage, "index_search", "--follow"]))
        cluster = hold_embedded_cluster()
        code = Supervisor(children, cluster).run()
        if code:
            raise CommandError("serve stopped because a process kept failing; see the log above")
