"""``manage.py send_alerts``: e-mail every saved search's user what newly matches it.

Run it on a schedule (daily, or hourly); a second run sends nothing until something new
arrives. ``--dry-run`` counts without sending or advancing anything.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enterprises.services.alerts import send_alerts


class Command(BaseCommand):
    help = "E-mail saved searches' new results to their users and advance the watermarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_alerts(dry_run=options["dry_run"])
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{report.checked} saved searches checked, {report.mailed} e-mails "
            f"{'to send' if options['dry_run'] else 'sent'}, {report.results} new results, "
            f"{report.without_email} users without an e-mail address"
        )
