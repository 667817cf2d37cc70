"""Reference schemes: the IPC (with its WIPO technology fields) and China's administrative divisions."""
