"""``manage.py train_ipc_model``: train the IPC subclass classifier of ``suggest_ipc``.

From every labelled patent in the database and the IPC scheme's titles
(``patents.search.ipc_model``); writes ``ipc-<version>.npz`` with its manifest into
``IPC_MODEL_DIR`` (var/models/) and makes it the current one. Skipped when the current
model was trained on the same data (same hash), unless ``--force``. ``seed`` runs it.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from patents.search.ipc_model import build_model


class Command(BaseCommand):
    help = (
        "Train the IPC subclass classifier (linear SVM over character n-grams) from the "
        "patents in the database and the IPC scheme's titles; write a versioned model file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Train even when the current model was trained on the same data.",
        )
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Folder of the model files (default: the IPC_MODEL_DIR setting, var/models/).",
        )

        parser.add_argument(
            "--no-scheme",
            action="store_true",
            help="Learn from the patents only, not from the IPC scheme's titles.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = build_model(
            force=options["force"], directory=options["dir"], scheme=not options["no_scheme"]
        )
        self.stdout.write(f"train_ipc_model: {report}")
