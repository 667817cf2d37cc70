"""``manage.py backup``: a ``pg_dump`` custom-format file and its JSON manifest (see
``conversion_db.backup`` and docs/backups.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from conversion_db import backup


class Command(BaseCommand):
    help = "Back up the database: <name>.dump (pg_dump -Fc) and <name>.json (the manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Folder for the dump and its manifest (default: VAR_DIR/backups).",
        )
        parser.add_argument("--name", default=None, help="File name without suffix.")

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        dump, manifest = backup.backup(
            folder=options["output"] or backup.default_folder(), name=options["name"]
        )
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"backup: {dump} ({manifest['size_bytes']:,} bytes, {rows:,} rows in the key "
            f"tables, {time.perf_counter() - began:.1f} s); manifest "
            f"{backup.manifest_path(dump)}, sha256 {manifest['sha256']}"
        )
