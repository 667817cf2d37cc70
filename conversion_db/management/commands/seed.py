"""``manage.py seed``: load the seed data (idempotent: run twice, same state)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from patents.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Load reference data (IPC scheme, technology fields, regions) from seeds/. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seeds-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "seeds",
            help="Folder holding the seed files (default: seeds/ in the project).",
        )

    def handle(self, *args: Any, seeds_dir: Path, **options: Any) -> None:
        for report in load_reference_data(seeds_dir):
            self.stdout.write(f"seed: {report}")
        self.stdout.write(self.style.SUCCESS("seed: done"))
