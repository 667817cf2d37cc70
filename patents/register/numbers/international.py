"""International numbers: PCT application numbers and WO publication numbers,
docs/domain/patent-numbers.md §3."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from patents.register.numbers.common import (
    PatentNumberError,
    is_blank,
    latest_year,
    normalise,
    number_error,
)

FIRST_PCT_YEAR = 1978


@dataclass(frozen=True)
class PctApplicationNumber:
    canonical: str  # PCT/CN2009/072663, legacy PCT/CN99/00123
    office: str  # receiving office, two letters (IB for the International Bureau)
    year: int
    serial: str  # as written in canonical: 6 digits, 5 for legacy numbers
    legacy: bool  # before 2004: 2-digit year, 5-digit serial

    def __str__(self) -> str:
        return self.canonical


_PCT = re.compile(r"^PCT/(?P<office>[A-Z]*)(?P<year>[0-9]+)/(?P<serial>[0-9]+)$")


def _short_year(short: int, first: int, last: int) -> int | None:
    """A 2-digit year in a window ``first``..``last`` (4-digit years), or None."""
    for year in (1900 + short, 2000 + short):
        if first <= year <= last:
            return year
    return None


def parse_pct_application_number(text: str) -> PctApplicationNumber:
    """Parse an international application number such as ``PCT/CN2009/072663``
    (docs/domain/patent-numbers.md §3)."""
    if is_blank(text):
        raise PatentNumberError(
            "empty", _("Enter a PCT application number, such as PCT/CN2009/072663.")
        )
    value = text.strip()
    match = _PCT.match(normalise(text))
    if match is None:
        raise number_error(
            "invalid_syntax",
            _("“%(value)s” is not a PCT application number; write it like PCT/CN2009/072663."),
            {"value": value},
        )
    office, year_text, serial = match["office"], match["year"], match["serial"]
    if len(office) != 2:
        raise number_error(
            "invalid_office",
            _(
                "“%(value)s”: the receiving office must be a two-letter code, such as CN, "
                "or IB for the International Bureau."
            ),
            {"value": value},
        )
    year_error = number_error(
        "invalid_year",
        _(
            "“%(value)s”: %(year)s is not a possible year; PCT numbers have a 4-digit year "
            "from 2004 (PCT/CN2009/072663) and a 2-digit year from 78 to 03 before "
            "(PCT/CN99/00123)."
        ),
        {"value": value, "year": year_text},
    )
    serial_error = number_error(
        "invalid_serial",
        _(
            "“%(value)s”: the serial number has the wrong length; it has 6 digits from 2004 "
            "(PCT/CN2009/072663) and 5 digits before (PCT/CN99/00123)."
        ),
        {"value": value},
    )
    if len(year_text) == 4:
        year = int(year_text)
        if not FIRST_PCT_YEAR <= year <= latest_year():
            raise year_error
        if len(serial) != 6:
            raise serial_error
        if year >= 2004:
            return PctApplicationNumber(f"PCT/{office}{year}/{serial}", office, year, serial, False)
        # A normalised spelling of a legacy number: back to its own era's form.
        if int(serial) > 99999:
            raise serial_error
        serial = serial[1:]
    elif len(year_text) == 2:
        found = _short_year(int(year_text), FIRST_PCT_YEAR, 2003)
        if found is None:
            raise year_error
        year = found
        if len(serial) != 5:
            raise serial_error
    else:
        raise year_error
    return PctApplicationNumber(
        f"PCT/{office}{year % 100:02d}/{serial}", office, year, serial, True
    )


WO_KINDS = ("A1", "A2", "A3", "A4", "A8", "A9")


@dataclass(frozen=True)
class WoPublicationNumber:
    canonical: str  # WO2010003367A1: compact, 4-digit year, 6-digit serial
    display: str  # WO 2010/003367 A1
    year: int
    serial: str  # 6 digits
    kind: str | None
    legacy: bool  # published before 2004 (written WOyynnnnn or WOyynnnnnn at the time)

    def __str__(self) -> str:
        return self.canonical


_WO = re.compile(
    r"^WO/?(?:(?P<year>[0-9]+)/(?P<serial>[0-9]+)|(?P<digits>[0-9]+))(?P<kind>[A-Z][0-9]?)?$"
)


def parse_wo_publication_number(text: str) -> WoPublicationNumber:
    """Parse an international publication number such as ``WO 2010/003367 A1``
    (docs/domain/patent-numbers.md §3).

    Accepted: ``WO2010003367A1``, ``WO 2010/003367 A1``, ``WO/2010/003367``; from before 2004
    ``WO 99/12345`` or ``WO9912345`` (until 2002-06-30), ``WO 03/123456`` or ``WO03123456``
    (2002-07-01 to 2003-12-31), and the normalised ``WO1999012345``. The kind code is
    optional.
    """
    if is_blank(text):
        raise PatentNumberError(
            "empty", _("Enter a WO publication number, such as WO 2010/003367 A1.")
        )
    value = text.strip()
    match = _WO.match(normalise(text))
    if match is None:
        raise number_error(
            "invalid_syntax",
            _("“%(value)s” is not a WO publication number; write it like WO 2010/003367 A1."),
            {"value": value},
        )
    kind = match["kind"]
    if kind is not None and kind not in WO_KINDS:
        raise number_error(
            "invalid_kind",
            _("“%(value)s”: %(kind)s is not a WO kind code; use A1, A2, A3, A4, A8 or A9."),
            {"value": value, "kind": kind},
        )
    if match["digits"] is not None:
        digits = match["digits"]
        split = {10: 4, 8: 2, 7: 2}.get(len(digits))
        if split is None:
            raise number_error(
                "invalid_length",
                _(
                    "“%(value)s” has the wrong number of digits; a WO publication number has a "
                    "4-digit year and a 6-digit serial, such as WO 2010/003367 A1."
                ),
                {"value": value},
            )
        year_text, serial = digits[:split], digits[split:]
    else:
        year_text, serial = match["year"], match["serial"]
    params = {"value": value, "year": year_text}
    year_error = number_error(
        "invalid_year",
        _(
            "“%(value)s”: %(year)s is not a possible publication year; WO numbers have a "
            "4-digit year from 2004, a 2-digit year from 78 to 03 before."
        ),
        params,
    )
    serial_error = number_error(
        "invalid_serial",
        _(
            "“%(value)s”: the serial number has the wrong length for the year %(year)s; it has 6 digits "
            "from July 2002 (WO 2010/003367) and 5 digits before (WO 99/12345)."
        ),
        params,
    )
    if len(year_text) == 4:
        year = int(year_text)
        if not FIRST_PCT_YEAR <= year <= latest_year():
            raise year_error
        if len(serial) != 6:
            raise serial_error
        if year <= 2001 and int(serial) > 99999:  # 5-digit serials until 2002-06-30
            raise serial_error
    elif len(year_text) == 2:
        found = _short_year(int(year_text), FIRST_PCT_YEAR, 2003)
        if found is None:
            raise year_error
        year = found
        # 5 digits until 2002-06-30, 6 digits from 2002-07-01; 2002 has both.
        allowed = {5} if year <= 2001 else {5, 6} if year == 2002 else {6}
        if len(serial) not in allowed:
            raise serial_error
        serial = serial.zfill(6)
    else:
        raise year_error
    suffix = kind or ""
    return WoPublicationNumber(
        canonical=f"WO{year}{serial}{suffix}",
        display=f"WO {year}/{serial}" + (f" {kind}" if kind else ""),
        year=year,
        serial=serial,
        kind=kind,
        legacy=year < 2004,
    )
