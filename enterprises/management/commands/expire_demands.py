"""Demands past their deadline become expired (reads show it at once too). The job worker
runs it daily (``enterprises.expire_demands``); this command is the manual trigger."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from enterprises.services.demands import demands_expire


class Command(BaseCommand):
    help = "Mark open demands whose deadline has passed as expired."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Expired {demands_expire()} demands.")
