"""The one body of the file import commands (``import_patents``, ``import_offers``,
``import_licences``, ``import_pledges``): ``PATH [--dry-run] [--holder ID] [--user U]
[--format F]``.

Without ``--holder`` every row names its holder (as an operator's API import); with it the
rows are for that holder. ``--user`` is recorded in the history as the importer. No row
limit and no size limit (``FileLimits.for_files``: the cell and XLSX checks still apply).
Every error is printed by row and column; the exit status is non-zero when any, and when a
concurrent import wrote the same records first (nothing written: run it again). A dry run
also prints the column mapping: which header became which column, and the headers ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from conversion_db.services import Conflict
from conversion_db.tabular.files import FileFormat, format_for
from conversion_db.tabular.kinds import ImportKind
from conversion_db.tabular.report import ImportFileError, ImportReport
from patents.models import Holder


class ImportCommand(BaseCommand):
    """Arguments, checks and the report; a command names its ``kind``."""

    kind: type[ImportKind[Any]]
    holder_help = "Import for this holder (its id); rows may omit it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument("--holder", type=int, help=self.holder_help)
        parser.add_argument(
            "--format",
            choices=[f.value for f in FileFormat],
            help="The file's format when its extension does not say.",
        )
        parser.add_argument(
            "--user", help="Username recorded in the history as the importer (default: none)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            file_format = format_for(path.name, options["format"])
        except ImportFileError as exc:
            raise CommandError(str(exc.message)) from exc
        owner = None
        if options["holder"] is not None:
            owner = Holder.objects.filter(pk=options["holder"]).first()
            if owner is None:
                raise CommandError(f"No holder has the id {options['holder']}.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user is called {options['user']!r}.")
        with path.open("rb") as stream:
            try:
                report = self.kind.import_file(
                    actor=actor,
                    stream=stream,
                    file_format=file_format,
                    owner=owner,
                    dry_run=options["dry_run"],
                    source=f"import:{path.name}",
                )
            except Conflict as exc:
                raise CommandError(str(exc.message)) from exc
        self.print_report(report)
        if not report.ok:
            raise CommandError(f"{report.error_count} errors; nothing was written.")

    def print_report(self, report: ImportReport) -> None:
        for error in report.errors:
            where = f"row {error.row}" if error.row is not None else "file"
            column = f", {error.column}" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message} [{error.code}]")
        if report.error_count > len(report.errors):
            self.stderr.write(f"... and {report.error_count - len(report.errors)} more errors")
        if report.dry_run:
            for read in report.columns:
                self.stdout.write(f"column {read.header} -> {read.column}")
            for header in report.ignored_columns:
                self.stdout.write(f"column {header} ignored")
        verb = "would be" if report.dry_run else "were"
        if report.ok:
            self.stdout.write(
                f"{report.rows} rows: {report.summary(self.kind.name, verb)} "
                f"Batch {report.batch}{' (dry run)' if report.dry_run else ''}."
            )
