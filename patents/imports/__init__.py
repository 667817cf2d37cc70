"""Files in and out: patents, offers, licence records and pledges as CSV, XLSX and JSON Lines."""
