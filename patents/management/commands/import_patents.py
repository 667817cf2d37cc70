"""``manage.py import_patents PATH [--dry-run] [--holder ID]``: import a file of patents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from patents.imports.patents import ImportReport, import_patents
from patents.management.import_command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import patents from a CSV, XLSX or JSON Lines file (columns: see the README). Upserts on "
        "the application number (or publication number); all or nothing: any invalid row writes "
        "nothing and every error is listed by row and column."
    )
    holder_help = "Put the patents under this holder (its id)."

    def run_import(self, path: Path, stream: Any, **arguments: Any) -> ImportReport:
        return import_patents(stream=stream, source=f"import:{path.name}", **arguments)

    def summary(self, report: ImportReport, verb: str) -> str:
        return (
            f"{report.created} patents {verb} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {report.holders_created} new holders."
        )
