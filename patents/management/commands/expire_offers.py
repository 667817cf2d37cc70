"""``manage.py expire_offers``: expire published offers whose term ended or whose patent lapsed.

The job worker runs it daily (the ``patents.expire_offers`` job, ``conversion_db.jobs``);
this command is the manual trigger over the same service.
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
