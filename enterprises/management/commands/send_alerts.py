"""``manage.py send_alerts``: tell every saved search's user what newly matches it.

The schedule runs it daily (the ``enterprises.send_alerts`` job, one job per saved
search); this command is the manual trigger, running the same service search by search
in this process. A second run sends nothing until something new arrives; a search that
fails is reported and the others still go out. ``--dry-run`` counts without sending or
advancing anything.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enterprises.services.alerts import send_alerts


class Command(BaseCommand):
    help = (
        "Tell saved searches' users their new results (inbox and e-mail); advance the watermarks."
    )

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
            + (f", {len(report.failed)} failed" if report.failed else "")
        )
        if report.failed:
            ids = ", ".join(map(str, report.failed))
            raise CommandError(f"the alerts of these saved searches failed (see the log): {ids}")
