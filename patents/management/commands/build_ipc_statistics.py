"""``manage.py build_ipc_statistics``: rebuild the term-to-IPC statistics of ``suggest_ipc``.

A full rebuild (``patents.search.ipc_statistics``), streamed in chunks, in one transaction. Run
it after loading or importing many patents (``seed`` runs it); until it has run,
``suggest_ipc`` falls back to the neighbours' vote.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from patents.search.ipc_statistics import CHUNK_PATENTS, build_statistics


class Command(BaseCommand):
    help = "Rebuild the term-to-IPC statistics that suggest IPC codes for a text (full rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--min-documents",
            type=int,
            default=1,
            help="Drop (term, code) pairs seen in fewer patents and in no scheme title "
            "(default 1: keep all; 2 or 3 shrinks the table at a million patents).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_PATENTS,
            help=f"Patents counted per copied chunk (default {CHUNK_PATENTS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = build_statistics(
            min_documents=max(1, options["min_documents"]),
            chunk_size=max(1, options["chunk_size"]),
        )
        self.stdout.write(f"build_ipc_statistics: {report}")
