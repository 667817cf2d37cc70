"""The tabular kit: bulk files of records in and out (CSV, XLSX, JSON Lines; XLS read), for any app.

An app describes each kind of file once, as an import kind (``kinds.ImportKind``) with
its column table (``columns.Columns``); the kit does the rest the same way for every kind
and every door (the API's ``import/`` and ``export/``, the management commands, the
admin's Import and Export through ``resources.KindResource``):

- ``files``: the format (from the name or declared), reading rows as a stream with their
  line numbers (the header is line 1), refusing NUL characters cell by cell, under the
  ``limits`` of the caller (size, rows read, one cell, what an XLSX unpacks to).
- ``encodings``: the text encoding: UTF-8 with or without a BOM, or GB18030 as Excel in
  China saves CSV; any other is refused, named (charset-normalizer detects it).
- ``formulas``: spreadsheet cells that would run as formulas, neutralised by exports and
  restored by imports (docs/file-safety.md).
- ``cells``: reading one cell: text, long text, lists (also as exports write them:
  ``items``), dates in the spellings exports use, booleans, amounts, choices by code or
  label (English or Chinese, full-width or not), record ids.
- ``columns``: the declarative column table, other header spellings (aliases, fallbacks,
  headers to ignore), and the header check (unknown columns named with the closest
  accepted names, repeated columns, a required one missing); docs/importing-exports.md.
- ``report``: ``ImportReport`` (counts, errors by row and column), ``ImportFileError``
  for a file that cannot be read, and ``all_or_nothing``: the whole file in one
  transaction, kept only when every row is valid and it is not a dry run.
- ``kinds``: running a file through a kind: rows parsed and prepared one chunk ahead in a
  helper thread, written row by row (each in a savepoint) or set by set, the batch id in
  every history row.
- ``export``: the same columns out: CSV (UTF-8 with a BOM, streamed), XLSX, JSON Lines,
  formulas neutralised; ``ImportKind.export_file`` writes any of them to a file.
- ``resources``: django-import-export's admin screens over a kind.

The empty-cell rule. A blank cell (nothing, only spaces, an empty JSON list) is never a
value of its own; what it means is the column's ``empty`` setting, one of two:

- ``EmptyCell.KEEPS`` (the default): the cell is left out of the row, as if the column
  were absent. An existing record keeps its value and is not compared on it; a new
  record gets the field's default.
- ``EmptyCell.CLEARS``: the cell is read as the column's empty value ("", an empty list,
  no date, false), so an existing record's field is cleared.

A column absent from the file always keeps. The kinds of the patents app use them so:

- Patents clear by default: a patent's file describes the patent, and an exported file
  edited in a spreadsheet (a keyword removed, a date deleted) must import as edited. The
  identity and state columns keep (the numbers, ``patent_type``, ``legal_status``: a new
  patent derives or defaults them, and a file never unsets them), and so do the holder
  columns (a patent always has its holders).
- Offers, licence records and pledges keep everywhere. Licence records and pledges are
  registrations that no service changes: a row matching one is only compared with it, so
  a blank cell can only mean "not stated". Offers are exported to the public with their
  private columns blank, and such a file must import again unchanged; a field of an
  offer is cleared through the API, not by a file.
"""
