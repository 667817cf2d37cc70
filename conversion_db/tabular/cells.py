"""Reading one cell: the parsers a column (``columns.Column.parse``) is made of.

Each parser takes the raw cell as a file gives it (CSV text, an XLSX number, date or
boolean, a JSON value) and returns the typed value, or raises ``ValueError`` whose first
argument is the message the row error shows (translated when the row is reported). A
parser handles a blank cell too, returning the value that clears the field ("", [], no
date, false): whether a blank cell reaches it at all is the column's empty-cell rule
(the package docstring).
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LIST_SEPARATORS = ("|", ";", "；", "｜")  # the first is the one exports write
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "是", "有"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "否", "无", ""})
# What the patent office's and the platforms' exports separate a list with. A comma before
# a company suffix (“Huawei Technologies Co., Ltd.”) is part of the name, not a separator.
EXPORT_SEPARATORS = re.compile(
    r"[;；|｜、\r\n]|，|,(?!\s*(?:ltd|inc|llc|corp|co|gmbh|plc|limited|s\.?a|ag|b\.?v)\b)",
    re.IGNORECASE,
)
WRITTEN_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
SPREADSHEET_EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's (1900) serial dates
WHOLE_FLOAT = re.compile(r"\d{5}\.0+")
SERIAL_DAYS = range(10_000, 100_000)  # 1927-05-18 to 2173-10-14: five digits, never a year


def is_blank(value: Any) -> bool:
    """Nothing in the cell: no value, only white space, or an empty JSON list. ``False`` is
    a value."""
    if isinstance(value, bool):
        return False
    if isinstance(value, list):
        return not value
    return text(value) == ""


def text(value: Any) -> str:
    """One line of text: runs of white space (line breaks included) become one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's number cell
    return " ".join(str(value).split())


def normalised(value: Any) -> str:
    """``text`` in Unicode NFKC: full-width digits, letters and punctuation become ASCII
    (２０１９．０３．２１ → 2019.03.21, （ → (). Only for cells whose meaning survives it:
    numbers, dates, codes and words of a choice, never titles or names."""
    return text(unicodedata.normalize("NFKC", text(value)))


def long_text(value: Any) -> str:
    """Text whose line breaks matter (abstracts, descriptions): only trimmed at both ends."""
    return str(value if value is not None else "").strip()


def split(value: Any) -> list[str]:
    """A list: a JSON array, or text separated by ``|`` or ``;`` (full-width too); items
    trimmed, empty and repeated ones dropped."""
    if isinstance(value, list):
        items = [text(item) for item in value]
    else:
        joined = text(value)
        for separator in LIST_SEPARATORS[1:]:
            joined = joined.replace(separator, LIST_SEPARATORS[0])
        items = [item.strip() for item in joined.split(LIST_SEPARATORS[0])]
    return list(dict.fromkeys(item for item in items if item))


def items(value: Any) -> list[str]:
    """A list as exports write it: a JSON array, or text separated by ``;`` ``,`` ``|``
    ``、`` or line breaks (full-width ones too); items trimmed, empty and repeated ones
    dropped. A comma before a company suffix (``Co., Ltd.``) does not separate."""
    if isinstance(value, list):
        return split(value)
    if value is None:
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = (text(item) for item in EXPORT_SEPARATORS.split(str(value)))
    return list(dict.fromkeys(item for item in found if item))


def date(value: Any) -> datetime.date | None:
    """``YYYY-MM-DD``, also with ``/`` or ``.`` and one-digit months and days
    (``2019/3/21``), ``2019年3月21日``, ``YYYYMMDD``, full-width digits, a spreadsheet's date
    cell, or its serial number (``43545``, a date cell that lost its format)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueError(_("Write dates as YYYY-MM-DD, e.g. 2019-03-15."))
    written = normalised(value)
    if len(written) == 19 and written[10] in " T" and written.endswith("00:00:00"):
        written = written[:10]  # a spreadsheet's date cell written as a datetime
    if isinstance(value, float) and not value.is_integer():
        written = ""  # a fraction of a day is a time, not a date
    elif WHOLE_FLOAT.fullmatch(written):
        written = written.split(".")[0]  # a number cell that went through text: 44075.0
    try:
        if match := WRITTEN_DATE.fullmatch(written):
            return datetime.date(*(int(part) for part in match.groups()))
        if len(written) == 8 and written.isdigit():
            return datetime.date(int(written[:4]), int(written[4:6]), int(written[6:]))
        if written.isascii() and written.isdigit() and int(written) in SERIAL_DAYS:
            return SPREADSHEET_EPOCH + datetime.timedelta(days=int(written))
    except ValueError:
        pass
    raise ValueError(_("Write dates as YYYY-MM-DD, e.g. 2019-03-15."))


def boolean(value: Any) -> bool:
    """``true``/``false`` and their usual spellings (``1``, ``yes``, 是/否, 有/无); blank is false."""
    if isinstance(value, bool):
        return value
    written = normalised(value).lower()
    if written in TRUE_WORDS:
        return True
    if written in FALSE_WORDS:
        return False
    raise ValueError(_("Write true or false (是/否)."))


def decimal(value: Any) -> Decimal:
    """An amount as a plain number; thousands separators (``,`` or ``，``) are allowed."""
    if isinstance(value, bool):
        raise ValueError(_("Write an amount as a number, e.g. 120000.00."))
    written = text(value).replace(",", "").replace("，", "")
    try:
        number = Decimal(written)
    except InvalidOperation:
        raise ValueError(_("Write an amount as a number, e.g. 120000.00.")) from None
    if not number.is_finite():
        raise ValueError(_("Write an amount as a number, e.g. 120000.00."))
    return number


def whole_number(written: str) -> int | None:
    """A database id written in ``written`` (ASCII digits, within a bigint), else None."""
    if written.isascii() and written.isdigit() and 0 < int(written) < 2**63:
        return int(written)
    return None


def identifier(value: Any) -> int:
    """A record's id, to change that record (a blank cell means a new record)."""
    number = whole_number(text(value))
    if number is None:
        raise ValueError(_("Write the record's id, a whole number (empty for a new record)."))
    return number


def choice(
    choices: type[models.TextChoices], aliases: dict[str, str] | None = None
) -> Callable[[Any], str]:
    """A parser for one of ``choices``, written as its code, its English or Chinese label
    (in any letter case, full-width or not) or one of ``aliases`` (a word for a code, e.g.
    审中 for pending)."""
    alias_items = tuple((aliases or {}).items())

    def parse(value: Any) -> str:
        written = normalised(value)
        words = _choice_words(choices, alias_items)
        found = words.get(written.lower()) or words.get(written)
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": written, "choices": ", ".join(choices.values)}
            )
        return found

    return parse


@functools.lru_cache(maxsize=64)
def _choice_words(
    choices: type[models.TextChoices], aliases: tuple[tuple[str, str], ...]
) -> dict[str, str]:
    """Every accepted spelling of each code (built once per set of choices, not per cell)."""
    words = {code: code for code in choices.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in choices.choices:
                words[str(label).lower()] = code
    words.update(aliases)
    return words
