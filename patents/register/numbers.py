"""Chinese patent numbers, PCT and WO numbers: parse, validate, normalise (DOMAIN.md 1-3).

Pure functions, no database, no network. Every parser returns a frozen dataclass whose
``canonical`` attribute is the one form we store and compare; invalid input raises
``PatentNumberError`` with a stable ``code``, a translated ``message`` naming the problem,
and ``params`` (the values interpolated into the message, e.g. ``expected`` for a wrong
check character).

- Application numbers (申请号, section 1): ``parse_application_number("CN 2019 1 0209152.5")``
  gives canonical ``201910209152.5``; legacy numbers keep 8 digits (``95115608.X``) and the
  1985-1988 numbers, which have no check character, are the bare 8 digits (``85100001``).
  A missing check character is computed; a wrong one is refused, never corrected.
  ``parse_application_number_lenient`` also strips Google Patents' document-kind letters.
- Publication and grant numbers (公开号/公告号, section 2): ``CN109918572B``.
- PCT application numbers (``PCT/CN2009/072663``) and WO publication numbers
  (``WO2010003367A1``, displayed ``WO 2010/003367 A1``), section 3.
- ``identify_number`` tells a search box which of these it was given.

Decisions of ours (DOMAIN.md [U]) made here:

- A check character given for a 1985-1988 application is refused (``unexpected_check``):
  those numbers had none.
- Legacy type digits 8 and 9 (PCT national phase) are refused before 1994, when China joined
  the PCT.
- Publication numbers: besides 7 and 9 digits, the 8-digit numbers of the 1985-1988
  "one-number system" (first two digits 85-88, the application number reused) are accepted.
  Kind/type consistency is enforced for 9- and 8-digit numbers; a 7-digit number's type
  comes from its kind code. Codes introduced with the 9-digit numbers (A8, B, C1, U8...) are
  refused on 7- and 8-digit numbers, which used A, B, C, U, Y, S and D only.
- ``is_grant`` is true for the grant document and its corrections (B, B8, B9, U, U8, U9, S,
  S9) and for the legacy grant codes C, Y, D; false for application publications,
  re-publications after partial invalidation (C1-C7, Y1-Y7, S1-S7) and the 1985-1992
  examined-application (B) and announcement (U, S) documents of 7- and 8-digit numbers.
- PCT numbers from before 2004 are canonical in their own era's form ``PCT/CN99/00123``; the
  normalised spelling ``PCT/CN1999/000123`` some databases use is accepted and mapped to it.
- WO numbers of every era are canonical in the normalised 4-digit-year, 6-digit-serial form
  (``WO1999012345A1``, as Google Patents and DOCDB write them). The older forms are accepted:
  ``WOyynnnnn`` (2-digit year 78-02, 5-digit serial, until 2002-06-30) and ``WOyynnnnnn``
  (year 02 or 03, 6-digit serial, 2002-07-01 to 2003-12-31), with or without a slash after the
  year. The digit count alone tells the forms apart, so the mapping is unambiguous.
- Years may not lie in the future: the latest allowed year is the current year anywhere on
  Earth (UTC+14), so a new year's first numbers are never refused because of a time zone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PatentType = Literal["invention", "utility_model", "design"]
NumberKind = Literal["application", "publication", "pct", "wo"]

# Application type digit -> (patent type, PCT national phase); DOMAIN.md 1.1.
APPLICATION_TYPES: dict[str, tuple[PatentType, bool]] = {
    "1": ("invention", False),
    "2": ("utility_model", False),
    "3": ("design", False),
    "8": ("invention", True),
    "9": ("utility_model", True),
}
PUBLICATION_TYPES: dict[str, PatentType] = {"1": "invention", "2": "utility_model", "3": "design"}

_SEPARATORS = ".。·"  # full stop, ideographic full stop (U+3002), middle dot (U+00B7)
_WHITESPACE = re.compile(r"\s+")
_CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
FIRST_NEW_FORMAT_YEAR = 2003  # 12-digit numbers from 2003-10-01
FIRST_PCT_YEAR = 1978
FIRST_CN_PCT_YEAR = 1994  # China joined the PCT; type digits 8 and 9 from then


class PatentNumberError(ValueError):
    """A number that does not parse; ``code`` is stable, ``message`` translated."""

    def __init__(
        self,
        code: str,
        message: str | Promise,
        params: Mapping[str, object] | None = None,
        closest: PatentNumberError | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.params: Mapping[str, object] = dict(params or {})
        # identify_number only: the error of the number family the text most resembles.
        self.closest = closest


def _error(code: str, message: str | Promise, params: Mapping[str, object]) -> PatentNumberError:
    return PatentNumberError(code, _interpolate(message, params), params)


def _interpolate(message: str | Promise, params: Mapping[str, object]) -> str | Promise:
    return message % dict(params) if params else message


def _latest_year() -> int:
    """The current year somewhere on Earth (UTC+14): the latest year a number may carry."""
    return (datetime.now(UTC) + timedelta(hours=14)).year


def _clean(text: str) -> str:
    """NFKC (full-width digits and dots), upper case, no whitespace at all."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).upper())


def _is_blank(text: object) -> bool:
    return not isinstance(text, str) or not text.strip()


# --------------------------------------------------------------------------------------------
# Application numbers (申请号) and patent numbers (专利号)
# --------------------------------------------------------------------------------------------


def check_character(digits: str) -> str:
    """Check character of 12 (or legacy 8) digits: weights 2..9 repeated, remainder mod 11.

    The remainder itself is the check (``X`` for 10), not its complement (DOMAIN.md 1.2).
    """
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"digits expected, got {digits!r}")
    total = sum(
        int(digit) * _CHECK_WEIGHTS[index % len(_CHECK_WEIGHTS)]
        for index, digit in enumerate(digits)
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


@dataclass(frozen=True)
class ApplicationNumber:
    canonical: str  # 201910209152.5, 95115608.X, or 85100001 (1985-1988: no check)
    year: int
    type_digit: str
    patent_type: PatentType
    pct_national_phase: bool
    check: str | None
    legacy: bool  # the 8-digit format used until 2003-09-30

    @property
    def digits(self) -> str:
        """The 12 (or 8) digits without the check character."""
        return self.canonical.split(".")[0]

    @property
    def compact(self) -> str:
        """Digits and check without the dot: ``2019102091525``."""
        return self.canonical.replace(".", "")

    @property
    def patent_number(self) -> str:
        """The patent number (专利号) printed on the certificate: ``ZL201910209152.5``."""
        return f"ZL{self.canonical}"

    def __str__(self) -> str:
        return self.canonical


_APPLICATION_EXAMPLE = "201910209152.5"


def _application_syntax_error(value: str) -> PatentNumberError:
    return _error(
        "invalid_syntax",
        _(
            "“%(value)s” is not an application number; write it like 201910209152.5 "
            "(12 digits, a dot and the check character)."
        ),
        {"value": value},
    )


def _application_length_error(value: str) -> PatentNumberError:
    return _error(
        "invalid_length",
        _(
            "“%(value)s” has the wrong number of digits: an application number has 12 digits "
            "and a check character (8 digits before October 2003), such as 201910209152.5."
        ),
        {"value": value},
    )


def _split_application(body: str, value: str) -> tuple[str, str | None]:
    """Split the cleaned body (no prefix) into digits and the check given, if any."""
    if not body:
        raise _application_syntax_error(value)
    separators = [index for index, char in enumerate(body) if char in _SEPARATORS]
    if len(separators) > 1:
        raise _application_syntax_error(value)
    if separators:
        # Never re-split across the separator (DOMAIN.md 1.4 step 4).
        digits, check = body[: separators[0]], body[separators[0] + 1 :]
        if "X" in digits and re.fullmatch(r"[0-9X]+", digits):
            raise _misplaced_x(value)
        if not re.fullmatch(r"[0-9]+", digits):
            raise _application_syntax_error(value)
        if len(check) != 1 or check not in "0123456789X":
            raise _error(
                "invalid_syntax",
                _("“%(value)s”: after the dot comes exactly one check character, 0 to 9 or X."),
                {"value": value},
            )
        if len(digits) not in (12, 8):
            raise _application_length_error(value)
        return digits, check
    if not re.fullmatch(r"[0-9X]+", body):
        raise _application_syntax_error(value)
    if "X" in body[:-1]:
        raise _misplaced_x(value)
    if body.endswith("X"):
        digits, check = body[:-1], "X"
        if len(digits) not in (12, 8):
            raise _application_length_error(value)
        return digits, check
    if len(body) in (13, 9):
        return body[:-1], body[-1]
    if len(body) in (12, 8):
        return body, None
    raise _application_length_error(value)


def _misplaced_x(value: str) -> PatentNumberError:
    return _error(
        "invalid_syntax",
        _("“%(value)s”: X can only be the check character, after the 12 (or 8) digits."),
        {"value": value},
    )


def _application_year(digits: str, value: str) -> int:
    if len(digits) == 12:
        year = int(digits[:4])
        if not FIRST_NEW_FORMAT_YEAR <= year <= _latest_year():
            raise _error(
                "invalid_year",
                _(
                    "“%(value)s”: %(year)s is not a possible year for a 12-digit application "
                    "number, which exists from 2003 (October) to this year."
                ),
                {"value": value, "year": year},
            )
        return year
    short = int(digits[:2])
    if 85 <= short <= 99:
        return 1900 + short
    if short <= FIRST_NEW_FORMAT_YEAR - 2000:
        return 2000 + short
    raise _error(
        "invalid_year",
        _(
            "“%(value)s”: %(year)s is not a possible year for an 8-digit application number, "
            "which was used from 85 (1985) to 03 (2003)."
        ),
        {"value": value, "year": digits[:2]},
    )


def _parse_application_body(body: str, value: str) -> ApplicationNumber:
    digits, given = _split_application(body, value)
    legacy = len(digits) == 8
    year = _application_year(digits, value)
    type_digit = digits[4] if not legacy else digits[2]
    if type_digit not in APPLICATION_TYPES:
        raise _error(
            "invalid_type",
            _(
                "“%(value)s”: %(digit)s is not an application type digit; it is 1 (invention), "
                "2 (utility model), 3 (design), 8 or 9 (PCT application in the national phase)."
            ),
            {"value": value, "digit": type_digit},
        )
    patent_type, pct = APPLICATION_TYPES[type_digit]
    if pct and year < FIRST_CN_PCT_YEAR:
        raise _error(
            "invalid_type",
            _(
                "“%(value)s”: type digit %(digit)s (PCT national phase) did not exist before "
                "1994, when China joined the PCT."
            ),
            {"value": value, "digit": type_digit},
        )
    if legacy and year <= 1988:
        if given is not None:
            raise _error(
                "unexpected_check",
                _(
                    "“%(value)s”: applications from 1985 to 1988 have no check character; "
                    "enter the 8 digits only."
                ),
                {"value": value},
            )
        check = None
        canonical = digits
    else:
        check = check_character(digits)
        if given is not None and given != check:
            raise _error(
                "invalid_check",
                _(
                    "“%(value)s”: the check character %(given)s is wrong; for these digits it "
                    "is %(expected)s. Check the number against the official document."
                ),
                {"value": value, "given": given, "expected": check},
            )
        canonical = f"{digits}.{check}"
    return ApplicationNumber(
        canonical=canonical,
        year=year,
        type_digit=type_digit,
        patent_type=patent_type,
        pct_national_phase=pct,
        check=check,
        legacy=legacy,
    )


def _empty_application() -> PatentNumberError:
    return PatentNumberError("empty", _("Enter an application number, such as 201910209152.5."))


def _strip_prefix(cleaned: str) -> tuple[str, str]:
    """Split off one leading ``CN`` or ``ZL``: (prefix, rest)."""
    if cleaned[:2] in ("CN", "ZL"):
        return cleaned[:2], cleaned[2:]
    return "", cleaned


def parse_application_number(text: str) -> ApplicationNumber:
    """Parse a Chinese application (or ``ZL`` patent) number; raise ``PatentNumberError``.

    DOMAIN.md 1.4: NFKC, upper case, whitespace removed, one ``CN`` or ``ZL`` prefix removed;
    ``.``, ``。`` or ``·`` separate the check character; a missing check is computed, a wrong
    one refused; the year and type digit are validated.
    """
    if _is_blank(text):
        raise _empty_application()
    value = text.strip()
    _prefix, body = _strip_prefix(_clean(text))
    return _parse_application_body(body, value)


# Google Patents: CN201910209152.5A, CN2011101443874A, CNU2008200522514U, CNB008164223A.
_GOOGLE_LEADING_KIND = re.compile(r"^[A-WYZ](?=[0-9])")
_GOOGLE_TRAILING_KIND = re.compile(r"(?<=[0-9X])[A-WYZ][0-9]?$")


def parse_application_number_lenient(text: str) -> ApplicationNumber:
    """Like ``parse_application_number``, also accepting Google Patents' spellings.

    For importers only (DOMAIN.md 1.5): the document-kind letter after ``CN`` and the
    trailing kind letter (optionally with its digit) are not part of CNIPA's number and are
    removed; the strict rules then apply, so a wrong check character is still refused.
    """
    if _is_blank(text):
        raise _empty_application()
    value = text.strip()
    prefix, body = _strip_prefix(_clean(text))
    if prefix == "CN":
        body = _GOOGLE_LEADING_KIND.sub("", body)
    body = _GOOGLE_TRAILING_KIND.sub("", body)
    return _parse_application_body(body, value)


# --------------------------------------------------------------------------------------------
# Publication and grant numbers (公开号/公告号)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _KindInfo:
    patent_type: PatentType
    is_grant: bool
    document: str


def _build_current_kinds() -> dict[str, _KindInfo]:
    """Kind codes valid with 9-digit numbers (from July 2007), DOMAIN.md 2.2."""
    kinds: dict[str, _KindInfo] = {
        "A": _KindInfo("invention", False, "invention application publication"),
        "A8": _KindInfo(
            "invention", False, "invention application publication, front-page correction"
        ),
        "A9": _KindInfo(
            "invention", False, "invention application publication, full re-publication"
        ),
        "B": _KindInfo("invention", True, "invention patent grant"),
        "B8": _KindInfo("invention", True, "invention patent grant, front-page correction"),
        "B9": _KindInfo("invention", True, "invention patent grant, full re-publication"),
        "C": _KindInfo("invention", True, "invention patent grant (legacy kind code C)"),
        "U": _KindInfo("utility_model", True, "utility model grant"),
        "U8": _KindInfo("utility_model", True, "utility model grant, front-page correction"),
        "U9": _KindInfo("utility_model", True, "utility model grant, full re-publication"),
        "Y": _KindInfo("utility_model", True, "utility model grant (legacy kind code Y)"),
        "S": _KindInfo("design", True, "design grant"),
        "S9": _KindInfo("design", True, "design grant, full re-publication"),
        "D": _KindInfo("design", True, "design grant (legacy kind code D)"),
    }
    for digit in "1234567":
        kinds[f"C{digit}"] = _KindInfo(
            "invention", False, "invention claims re-published after partial invalidation"
        )
        kinds[f"Y{digit}"] = _KindInfo(
            "utility_model",
            False,
            "utility model claims re-published after partial invalidation",
        )
        kinds[f"S{digit}"] = _KindInfo(
            "design", False, "design re-published after partial invalidation"
        )
    return kinds


CURRENT_KINDS: dict[str, _KindInfo] = _build_current_kinds()

# Kind codes of 7- and 8-digit numbers (before July 2007), DOMAIN.md 2.1-2.2.
LEGACY_KINDS: dict[str, _KindInfo] = {
    "A": _KindInfo("invention", False, "invention application publication"),
    "B": _KindInfo("invention", False, "examined invention application (legacy, 1985-1992)"),
    "C": _KindInfo("invention", True, "invention patent grant (legacy kind code C)"),
    "U": _KindInfo(
        "utility_model", False, "utility model application announcement (legacy, 1985-1992)"
    ),
    "Y": _KindInfo("utility_model", True, "utility model grant (legacy kind code Y)"),
    "S": _KindInfo("design", False, "design application announcement (legacy, 1985-1992)"),
    "D": _KindInfo("design", True, "design grant (legacy kind code D)"),
}

_PATENT_TYPE_LABELS: dict[PatentType, Promise] = {
    "invention": _("invention"),
    "utility_model": _("utility model"),
    "design": _("design"),
}


@dataclass(frozen=True)
class PublicationNumber:
    canonical: str  # CN109918572B
    number: str  # 109918572
    kind: str  # B, A8, C1...
    patent_type: PatentType
    is_grant: bool
    document: str  # short English description of the document

    @property
    def legacy(self) -> bool:
        """A 7- or 8-digit number (published before July 2007)."""
        return len(self.number) != 9

    def __str__(self) -> str:
        return self.canonical


_PUBLICATION = re.compile(r"^CN(?P<number>[0-9]+)(?P<kind>[A-Z][0-9]?)?$")


def parse_publication_number(text: str) -> PublicationNumber:
    """Parse a Chinese publication or grant number such as ``CN109918572B`` (DOMAIN.md 2.3)."""
    if _is_blank(text):
        raise PatentNumberError("empty", _("Enter a publication number, such as CN109918572B."))
    value = text.strip()
    cleaned = _clean(text)
    if re.match(r"^[A-Z]{2}", cleaned) and not cleaned.startswith("CN"):
        raise _error(
            "not_cn",
            _("“%(value)s” is not a Chinese publication number; it must start with CN."),
            {"value": value},
        )
    match = _PUBLICATION.match(cleaned)
    if match is None:
        raise _error(
            "invalid_syntax",
            _(
                "“%(value)s” is not a publication number; write it like CN109918572B "
                "(CN, the number and the kind code)."
            ),
            {"value": value},
        )
    number, kind = match["number"], match["kind"]
    one_number_system = len(number) == 8 and 85 <= int(number[:2]) <= 88
    if len(number) not in (7, 9) and not one_number_system:
        raise _error(
            "invalid_length",
            _(
                "“%(value)s” has the wrong number of digits: a Chinese publication number has "
                "9 digits (7 before July 2007)."
            ),
            {"value": value},
        )
    if kind is None:
        raise _error(
            "missing_kind",
            _(
                "“%(value)s” has no kind code; add the letter at the end, such as A "
                "(application publication) or B (grant)."
            ),
            {"value": value},
        )
    kinds = CURRENT_KINDS if len(number) == 9 else LEGACY_KINDS
    info = kinds.get(kind)
    if info is None:
        if kind in CURRENT_KINDS:
            raise _error(
                "invalid_kind",
                _(
                    "“%(value)s”: kind code %(kind)s was not used before July 2007, when "
                    "numbers had 7 or 8 digits; those documents use A, B, C, U, Y, S or D."
                ),
                {"value": value, "kind": kind},
            )
        raise _error(
            "invalid_kind",
            _(
                "“%(value)s”: %(kind)s is not a Chinese kind code; use A, B, C1 to C7, U, "
                "Y1 to Y7, S, S1 to S7, a correction code such as A8 or B9, or the legacy "
                "C, Y or D."
            ),
            {"value": value, "kind": kind},
        )
    if len(number) != 7:
        type_digit = number[0] if len(number) == 9 else number[2]
        patent_type = PUBLICATION_TYPES.get(type_digit)
        if patent_type is None:
            raise _error(
                "invalid_type",
                _(
                    "“%(value)s”: the type digit %(digit)s is not 1 (invention), "
                    "2 (utility model) or 3 (design)."
                ),
                {"value": value, "digit": type_digit},
            )
        if patent_type != info.patent_type:
            raise _error(
                "kind_type_mismatch",
                _(
                    "“%(value)s”: the type digit %(digit)s means %(type)s, which does not use "
                    "kind code %(kind)s."
                ),
                {
                    "value": value,
                    "digit": type_digit,
                    "type": _PATENT_TYPE_LABELS[patent_type],
                    "kind": kind,
                },
            )
    return PublicationNumber(
        canonical=f"CN{number}{kind}",
        number=number,
        kind=kind,
        patent_type=info.patent_type,
        is_grant=info.is_grant,
        document=info.document,
    )


# --------------------------------------------------------------------------------------------
# PCT application numbers and WO publication numbers
# --------------------------------------------------------------------------------------------


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
    """Parse an international application number such as ``PCT/CN2009/072663`` (DOMAIN.md 3)."""
    if _is_blank(text):
        raise PatentNumberError(
            "empty", _("Enter a PCT application number, such as PCT/CN2009/072663.")
        )
    value = text.strip()
    match = _PCT.match(_clean(text))
    if match is None:
        raise _error(
            "invalid_syntax",
            _("“%(value)s” is not a PCT application number; write it like PCT/CN2009/072663."),
            {"value": value},
        )
    office, year_text, serial = match["office"], match["year"], match["serial"]
    if len(office) != 2:
        raise _error(
            "invalid_office",
            _(
                "“%(value)s”: the receiving office must be a two-letter code, such as CN, "
                "or IB for the International Bureau."
            ),
            {"value": value},
        )
    year_error = _error(
        "invalid_year",
        _(
            "“%(value)s”: %(year)s is not a possible year; PCT numbers have a 4-digit year "
            "from 2004 (PCT/CN2009/072663) and a 2-digit year from 78 to 03 before "
            "(PCT/CN99/00123)."
        ),
        {"value": value, "year": year_text},
    )
    serial_error = _error(
        "invalid_serial",
        _(
            "“%(value)s”: the serial number has the wrong length; it has 6 digits from 2004 "
            "(PCT/CN2009/072663) and 5 digits before (PCT/CN99/00123)."
        ),
        {"value": value},
    )
    if len(year_text) == 4:
        year = int(year_text)
        if not FIRST_PCT_YEAR <= year <= _latest_year():
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
    """Parse an international publication number such as ``WO 2010/003367 A1`` (DOMAIN.md 3).

    Accepted: ``WO2010003367A1``, ``WO 2010/003367 A1``, ``WO/2010/003367``; from before 2004
    ``WO 99/12345`` or ``WO9912345`` (until 2002-06-30), ``WO 03/123456`` or ``WO03123456``
    (2002-07-01 to 2003-12-31), and the normalised ``WO1999012345``. The kind code is
    optional.
    """
    if _is_blank(text):
        raise PatentNumberError(
            "empty", _("Enter a WO publication number, such as WO 2010/003367 A1.")
        )
    value = text.strip()
    match = _WO.match(_clean(text))
    if match is None:
        raise _error(
            "invalid_syntax",
            _("“%(value)s” is not a WO publication number; write it like WO 2010/003367 A1."),
            {"value": value},
        )
    kind = match["kind"]
    if kind is not None and kind not in WO_KINDS:
        raise _error(
            "invalid_kind",
            _("“%(value)s”: %(kind)s is not a WO kind code; use A1, A2, A3, A4, A8 or A9."),
            {"value": value, "kind": kind},
        )
    if match["digits"] is not None:
        digits = match["digits"]
        split = {10: 4, 8: 2, 7: 2}.get(len(digits))
        if split is None:
            raise _error(
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
    year_error = _error(
        "invalid_year",
        _(
            "“%(value)s”: %(year)s is not a possible publication year; WO numbers have a "
            "4-digit year from 2004, a 2-digit year from 78 to 03 before."
        ),
        params,
    )
    serial_error = _error(
        "invalid_serial",
        _(
            "“%(value)s”: the serial number has the wrong length for the year %(year)s; it has 6 digits "
            "from July 2002 (WO 2010/003367) and 5 digits before (WO 99/12345)."
        ),
        params,
    )
    if len(year_text) == 4:
        year = int(year_text)
        if not FIRST_PCT_YEAR <= year <= _latest_year():
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


# --------------------------------------------------------------------------------------------
# Search box
# --------------------------------------------------------------------------------------------


def _closest_error(text: str) -> PatentNumberError | None:
    """The error of the family a text that parses as nothing most resembles."""
    cleaned = _clean(text)
    try:
        if cleaned.startswith("PCT"):
            parse_pct_application_number(text)
        elif cleaned.startswith("WO"):
            parse_wo_publication_number(text)
        elif re.fullmatch(r"CN(?:[0-9]{7}|[0-9]{9})", cleaned):
            # A publication number without its kind code, unless only the check is wrong.
            try:
                parse_application_number(text)
            except PatentNumberError as error:
                if error.code in ("invalid_check", "unexpected_check"):
                    return error
            parse_publication_number(text)
        elif re.fullmatch(r"(?:CN|ZL)?[0-9X" + _SEPARATORS + "]+", cleaned):
            parse_application_number(text)
        elif re.fullmatch(r"[A-Z]{2}[0-9]+[A-Z]?[0-9]?", cleaned):
            parse_publication_number(text)
    except PatentNumberError as error:
        return error
    return None


def identify_number(text: str) -> tuple[NumberKind, str]:
    """Recognise a number typed into a search box: ``(kind, canonical)``.

    Tries, in order, an application number (strict; the ``ZL`` patent-number form and a
    number without its check character included), a publication number, a PCT application
    number and a WO publication number. When none parses, raises ``PatentNumberError`` with
    code ``unrecognised_number``; its ``closest`` attribute then holds the error of the
    family the text most resembles (e.g. ``invalid_check`` with the expected character), or
    None. Blank input raises code ``empty``.
    """
    if _is_blank(text):
        raise PatentNumberError(
            "empty",
            _(
                "Enter a patent number, such as 201910209152.5, CN109918572B, "
                "PCT/CN2009/072663 or WO 2010/003367 A1."
            ),
        )
    try:
        return "application", parse_application_number(text).canonical
    except PatentNumberError:
        pass
    try:
        return "publication", parse_publication_number(text).canonical
    except PatentNumberError:
        pass
    try:
        return "pct", parse_pct_application_number(text).canonical
    except PatentNumberError:
        pass
    try:
        return "wo", parse_wo_publication_number(text).canonical
    except PatentNumberError:
        pass
    value = text.strip()
    params = {"value": value}
    raise PatentNumberError(
        "unrecognised_number",
        _interpolate(
            _(
                "“%(value)s” is not an application, publication, PCT or WO number that we "
                "recognise."
            ),
            params,
        ),
        params,
        closest=_closest_error(text),
    )
