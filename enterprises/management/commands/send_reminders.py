"""Remind holders of unanswered inquiries and both parties of unrecorded deals.

The schedule does it daily (the ``enterprises.send_reminders`` job, with the defaults
below); this command is the manual trigger over the same services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from enterprises.services.deals import DEAL_REMINDER_DAYS, send_deal_reminders
from enterprises.services.inquiries import INQUIRY_REMINDER_DAYS, send_inquiry_reminders


class Command(BaseCommand):
    help = "Reminders (inbox and e-mail): inquiries unanswered for N days; deals whose recordation is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--after-days",
            type=int,
            default=INQUIRY_REMINDER_DAYS,
            help="Remind of inquiries unanswered this many days (and again every N days).",
        )
        parser.add_argument(
            "--deal-days",
            type=int,
            default=DEAL_REMINDER_DAYS,
            help="Remind of deals whose recordation is due within this many days (or overdue).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        inquiries = send_inquiry_reminders(
            now=now, after=datetime.timedelta(days=options["after_days"])
        )
        deals = send_deal_reminders(now=now, within=datetime.timedelta(days=options["deal_days"]))
        self.stdout.write(f"Reminded of {inquiries} inquiries and {deals} deals.")
