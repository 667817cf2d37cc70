"""``manage.py import_pledges PATH [--dry-run] [--holder ID] [--user U]``: pledges."""

from patents.imports.registrations import PledgeImport
from patents.management.import_command import ImportCommand


class Command(ImportCommand):
    kind = PledgeImport
    help = (
        "Import pledges from a CSV, XLSX or JSON Lines file (columns: see the README), each "
        "through the same service and rules as the API. A row equal to a pledge (pledge_id, "
        "else registration_number) is unchanged; a differing one is an error. All or "
        "nothing: every error is listed by row and column."
    )
