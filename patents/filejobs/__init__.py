"""Background file jobs: exports and imports too large for one request (``services``),
their private files (``storage``), what the requester reads (``selectors``) and is told
(``notices``). docs/background-files.md describes them for clients."""
