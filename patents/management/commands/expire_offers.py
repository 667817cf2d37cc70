"""``manage.py expire_offers``: expire published offers whose term ended or whose patent lapsed.

Run it daily (cron, a systemd timer or the platform's scheduler).
"""

from typing import Any

from django.core.management.base import BaseCommand

from patents.licensing.offers import offers_expire


class Command(BaseCommand):
    help = (
        "Expire published offers whose licence term has ended or with a patent no longer in force."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = offers_expire()
        self.stdout.write(f"{count} offers expired")
