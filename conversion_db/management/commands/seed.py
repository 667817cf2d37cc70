"""``manage.py seed``: load the seed data (idempotent: run twice, same state)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from enterprises.seeding.demo import load_demo_demands
from indicators.seeding import load_indicator_reference
from patents.models import IpcTermStatistic
from patents.reference.loading import load_reference_data
from patents.search import engine, outbox
from patents.search.ipc_model import build_model
from patents.search.ipc_statistics import build_statistics
from patents.seeding.demo import DEMO_MARK, load_demo_licensing
from patents.seeding.patents import load_seed_patents, seed_coverage


class Command(BaseCommand):
    help = (
        "Load the seed data from seeds/: reference schemes (IPC, technology fields, regions) and "
        "real patents. Idempotent: running it twice gives the same state."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seeds-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "seeds",
            help="Folder holding the seed files (default: seeds/ in the project).",
        )

        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Load the reference schemes only (IPC, regions), not the seed patents and demo set.",
        )

        parser.add_argument(
            "--attributed-only",
            action="store_true",
            help="Load only the seed patents whose holder a source names.",
        )
        parser.add_argument(
            "--no-ipc-model",
            action="store_true",
            help="Do not train the IPC classifier (manage.py train_ipc_model does it later).",
        )
        parser.add_argument(
            "--report",
            action="store_true",
            help="Load nothing; print, per source, the share of patents with a holder, a "
            "filing date, a legal status and a region.",
        )

    def handle(
        self,
        *args: Any,
        seeds_dir: Path,
        reference_only: bool,
        attributed_only: bool,
        report: bool,
        no_ipc_model: bool = False,
        **options: Any,
    ) -> None:
        if report:
            self._report()
            return
        for loaded in load_reference_data(seeds_dir):
            self.stdout.write(f"seed: {loaded}")
        self.stdout.write(f"seed: {load_indicator_reference(seeds_dir)}")
        if not reference_only:
            patents = load_seed_patents(seeds_dir, attributed_only=attributed_only)
            self.stdout.write(f"seed: patents: {patents}")
            demo = load_demo_licensing()
            self.stdout.write(
                f"seed: demo licensing (marked {DEMO_MARK}): {demo}"
                if demo is not None
                else "seed: demo licensing: already there"
            )
            demands = load_demo_demands()
            self.stdout.write(
                f"seed: demo demand side (marked {DEMO_MARK}): {demands}"
                if demands is not None
                else "seed: demo demand side: already there"
            )
            if (
                patents.created
                or patents.holders_created
                or demo is not None
                or demands is not None
            ):
                # Fresh statistics for the tables just written: until autovacuum reaches
                # them (about a minute after the commit, never inside a test's transaction)
                # the planner would plan the first searches for empty tables, and a text
                # search planned that way reads every row once per matching row.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                self.stdout.write("seed: planner statistics: refreshed (ANALYZE)")
            # Built once here; after imports, ``manage.py build_ipc_statistics`` refreshes it
            # (a full rebuild reads every patent: a scheduled job, not every seed run).
            if IpcTermStatistic.objects.exists():
                self.stdout.write("seed: IPC term statistics: already built")
            else:
                self.stdout.write(f"seed: IPC term statistics: {build_statistics()}")
            # Trained once, like the statistics: after imports, ``train_ipc_model`` retrains.
            if not no_ipc_model:
                self.stdout.write(f"seed: IPC model: {build_model(keep_existing=True)}")
            if settings.SEARCH_ENGINE:
                self.stdout.write(f"seed: search index: {self._search_index()}")
        self.stdout.write(self.style.SUCCESS("seed: done"))

    @staticmethod
    def _search_index() -> str:
        """Built when there is none, or rebuilt when more changes wait than it holds
        (``outbox.backlog_calls_for_rebuild``); otherwise the changes waiting in the outbox
        are applied, so that the first searches after a seed find every seeded patent."""
        if engine.current_folder() is None or outbox.backlog_calls_for_rebuild():
            return f"built, {outbox.rebuild():,} patents"
        return f"{outbox.apply_all():,} changes applied"

    def _report(self) -> None:
        rows = seed_coverage()
        total = [sum(int(row[i]) for row in rows) for i in range(1, 6)]

        def share(part: int, whole: int) -> str:
            return f"{part} ({100 * part / whole:.1f}%)" if whole else "0"

        self.stdout.write("source\tpatents\tholder\tfiling date\tlegal status\tregion")
        lines: list[tuple[str, list[int]]] = [(row[0], list(row[1:])) for row in rows]
        for source, (patents, *counts) in [*lines, ("all", total)]:
            cells = "\t".join(share(count, patents) for count in counts)
            self.stdout.write(f"{source or '(none)'}\t{patents}\t{cells}")
