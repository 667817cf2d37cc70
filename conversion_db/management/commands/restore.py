"""``manage.py restore <dump>``: into an empty database only, after checking the dump's
checksum; the row counts are compared with the manifest afterwards (see
``conversion_db.backup`` and docs/backups.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from conversion_db import backup


class Command(BaseCommand):
    help = (
        "Restore a dump made by `manage.py backup` into the configured database, which must "
        "be empty (DATABASE_NAME names another database on the same server; it is created "
        "when missing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path, help="The .dump file (its .json beside it).")

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        manifest = backup.restore(dump=options["dump"])
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"restore: {options['dump']} into {connection.settings_dict['NAME']} in "
            f"{time.perf_counter() - began:.1f} s; checksum verified, {rows:,} rows in the key "
            f"tables as in the manifest (taken {manifest['taken_at']}, schema "
            f"{', '.join(f'{app} {name}' for app, name in manifest['schema_version'].items())})"
        )
        self.stdout.write(
            "restore: the search index is not in a dump; build it for this database with "
            "`manage.py rebuild_search_index` (SEARCH_INDEX_DIR: this database's own folder)"
        )
