"""The patents app's management commands (imports, offer expiry, IPC statistics) and the
base they share."""
