"""``manage.py import_offers PATH [--dry-run] [--holder ID] [--user U]``: licensing offers."""

from patents.imports.offers import OfferImport
from patents.management.import_command import ImportCommand


class Command(ImportCommand):
    kind = OfferImport
    help = (
        "Import licensing offers from a CSV, XLSX or JSON Lines file (columns: see the README), "
        "each through the same service and rules as the API: new rows become drafts (submit "
        "true sends them for review), rows with an offer_id change that draft. All or "
        "nothing: every error is listed by row and column."
    )
