"""``manage.py import_legal_events PATH [--dry-run] [--holder ID] [--user U]``: legal-status events."""

from conversion_db.tabular.report import ImportReport
from patents.imports.events import EventImportReport, LegalEventImport
from patents.management.import_command import ImportCommand


class Command(ImportCommand):
    kind = LegalEventImport
    holder_help = "Import for this holder (its id): rows may only name its patents."
    help = (
        "Import legal-status events (one per row: patent number, date, the event in the "
        "register's or a platform's words, details) from a CSV, XLSX, XLS or JSON Lines file; "
        "each event is applied through the services and rules (status, transfer, licence, "
        "pledge). An event stored already is unchanged. All or nothing: every error is listed "
        "by row and column; a dry run counts the rows by event type."
    )

    def print_report(self, report: ImportReport) -> None:
        super().print_report(report)
        if report.ok and isinstance(report, EventImportReport):
            for event_type, count in sorted(report.event_types.items()):
                self.stdout.write(f"event {event_type}: {count}")
