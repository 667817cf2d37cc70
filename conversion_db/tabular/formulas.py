"""Cells a spreadsheet would run as formulas: neutralised on export, restored on import.

Anyone may export (an anonymous search of patents or offers), and anyone with an account
can put text in a title. A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is what Excel, LibreOffice and Numbers read as the start of a formula
(``=HYPERLINK("http://x","y")``, ``=cmd|' /C calc'!A0``), so every CSV and XLSX export
neutralises it the OWASP way: a single quote in front, which makes the spreadsheet show
the text and run nothing (XLSX cells are also written as strings, never as formulas).

A file exported here must import again unchanged, and the importer undoes exactly the
quote that ``neutralise`` adds, nothing else (``restore``). The rule is a bijection:

- ``neutralise`` quotes a value that matches ``'*[=+\\-@\\t\\r]…`` (any number of quotes,
  then a trigger): ``-40℃`` becomes ``'-40℃``, and ``'=x``, which a person really wrote,
  becomes ``''=x`` so that it survives the trip too.
- ``restore`` removes one quote from a value that matches ``'+[=+\\-@\\t\\r]…``; any other
  value, a quote before ordinary text (``'s-Hertogenbosch``) included, is left alone.

Legitimate values do begin with these characters: a telephone number (``+86 21 …``),
a negative amount or temperature (``-40℃低温电池``), a dash (``-``) for "none", a list whose
first item does. They all come back as written. JSON Lines is not a spreadsheet format
and is written and read as is.
"""

from __future__ import annotations

import re

QUOTE = "'"
TRIGGERS = "=+-@\t\r"
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """``value`` as a spreadsheet cell that runs nothing (see the module docstring)."""
    return QUOTE + value if _NEEDS_QUOTE.match(value) else value


def restore(value: str) -> str:
    """The value ``neutralise`` was given, from a cell of a file (its inverse)."""
    return value[1:] if _QUOTED.match(value) else value
