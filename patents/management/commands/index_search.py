"""``manage.py index_search``: apply the outbox to the search index (``patents.search.outbox``).

``--follow`` keeps applying changes as they are committed, until SIGTERM or SIGINT (``make
run`` runs it beside the web and the jobs); without it, applies what is waiting and stops.
Either builds the index first when there is none, and rebuilds it instead of applying a
backlog larger than it (``outbox.REBUILD_BACKLOG``: a city's first load).
"""

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from patents.search.engine import current_folder
from patents.search.outbox import apply_all, backlog_calls_for_rebuild, follow, rebuild


class Command(BaseCommand):
    help = "Apply committed changes to the search index (--follow: keep doing it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--follow", action="store_true", help="Keep applying changes until stopped."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["follow"]:
            if current_folder() is None:
                self.stdout.write(f"index_search: no index yet; built, {rebuild():,} patents")
            elif backlog_calls_for_rebuild():
                self.stdout.write(
                    f"index_search: a backlog larger than the index; rebuilt, {rebuild():,} patents"
                )
            self.stdout.write(f"index_search: {apply_all():,} changes applied")
            return
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, stop)
        self.stdout.write("index_search: following the outbox")
        follow(stop=lambda: bool(stopping))
