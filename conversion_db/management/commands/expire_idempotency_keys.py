"""``manage.py expire_idempotency_keys``: delete the stored answers of creating requests
older than ``IDEMPOTENCY_KEY_HOURS`` (``conversion_db.api.idempotency``).

The job worker runs it daily (``conversion_db.expire_idempotency_keys``,
``conversion_db.jobs``); this command is the manual trigger. An expired key already counts
as new when it is used again; this only keeps the table small.
"""

from typing import Any

from django.core.management.base import BaseCommand

from conversion_db.api.idempotency import expire_keys


class Command(BaseCommand):
    help = "Delete the stored answers of Idempotency-Key requests older than the retention."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_keys()
        self.stdout.write(f"{count} idempotency keys expired")
