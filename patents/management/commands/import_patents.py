"""``manage.py import_patents PATH [--dry-run] [--holder ID] [--user U]``: a file of patents."""

from patents.imports.patents import PatentImport
from patents.management.import_command import ImportCommand


class Command(ImportCommand):
    kind = PatentImport
    help = (
        "Import patents from a CSV, XLSX or JSON Lines file (columns: see the README). Upserts on "
        "the application number (or publication number); all or nothing: any invalid row writes "
        "nothing and every error is listed by row and column."
    )
    holder_help = "Put the patents under this holder (its id)."
