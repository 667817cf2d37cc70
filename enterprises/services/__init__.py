"""Writes of the demand side: every rule about enterprises, demands, matches, inquiries,
deals and saved searches lives here, one module per aggregate.

Each write is one service call in one transaction with the acting user (keyword-only
arguments, ``actor`` among them); the API, the admin, ``seed`` and the commands call these
functions. Versioned records are locked at the caller's version and stamped through the
kernel (``conversion_db.services``). Errors are Django ``ValidationError`` with field keys
and stable codes (400, built with ``validation``), ``StaleVersion`` (412) when the caller's
version is not the current one.
"""
