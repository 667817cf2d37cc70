"""``manage.py rebuild_search_index``: build the search engine's index from PostgreSQL.

Every live patent is written into a new index folder; when it is complete the folder becomes
the one in use (``SEARCH_INDEX_DIR/CURRENT``) and the previous one is removed. Searches keep
answering from the previous index meanwhile, and changes made during the rebuild stay in
the outbox for the indexer (``patents.search.outbox``). Run it after changing how documents
are built; the indexer runs it by itself when it finds no index.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand

from patents.search.outbox import rebuild


class Command(BaseCommand):
    help = "Build the search index from the database into a new folder and switch to it."

    def handle(self, *args: Any, **options: Any) -> None:
        last = [0.0]

        def progress(count: int, seconds: float) -> None:
            if seconds - last[0] >= 10:
                last[0] = seconds
                self.stdout.write(f"  {count:,} patents, {count / max(seconds, 1e-9):,.0f}/s")

        started = time.monotonic()
        count = rebuild(progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"rebuild_search_index: {count:,} patents in {seconds:.1f} s "
            f"({count / max(seconds, 1e-9):,.0f}/s)"
        )
