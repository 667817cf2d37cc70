"""``manage.py import_licences PATH [--dry-run] [--holder ID] [--user U]``: licence records."""

from patents.imports.registrations import LicenceImport
from patents.management.import_command import ImportCommand


class Command(ImportCommand):
    kind = LicenceImport
    help = (
        "Import licence records and assignments from a CSV, XLSX or JSON Lines file (columns: "
        "see the README), each through the same service and rules as the API. A row equal to "
        "a record (licence_id, else recordation_number) is unchanged; a differing one is an "
        "error. All or nothing: every error is listed by row and column."
    )
