"""Patent Conversion Resource Database: project package (settings, database bootstrap, API base)."""
