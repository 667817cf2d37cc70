"""Delete expired API tokens (they no longer authenticate; run it daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from accounts.services.tokens import tokens_expire


class Command(BaseCommand):
    help = "Delete expired API tokens."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{tokens_expire()} expired tokens deleted.")
