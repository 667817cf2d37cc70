"""Chinese application numbers (申请号) and patent numbers (专利号), docs/domain/patent-numbers.md §1."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from patents.register.numbers.common import (
    SEPARATORS,
    PatentNumberError,
    PatentType,
    is_blank,
    latest_year,
    normalise,
    number_error,
)

# Application type digit -> (patent type, PCT national phase); docs/domain/patent-numbers.md §1.1.
APPLICATION_TYPES: dict[str, tuple[PatentType, bool]] = {
    "1": ("invention", False),
    "2": ("utility_model", False),
    "3": ("design", False),
    "8": ("invention", True),
    "9": ("utility_model", True),
}
_CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
FIRST_NEW_FORMAT_YEAR = 2003  # 12-digit numbers from 2003-10-01
FIRST_CN_PCT_YEAR = 1994  # China joined the PCT; type digits 8 and 9 from then


def check_character(digits: str) -> str:
    """Check character of 12 (or legacy 8) digits: weights 2..9 repeated, remainder mod 11.

    The remainder itself is the check (``X`` for 10), not its complement
    (docs/domain/patent-numbers.md §1.2).
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


def _application_syntax_error(value: str) -> PatentNumberError:
    return number_error(
        "invalid_syntax",
        _(
            "“%(value)s” is not an application number; write it like 201910209152.5 "
            "(12 digits, a dot and the check character)."
        ),
        {"value": value},
    )


def _application_length_error(value: str) -> PatentNumberError:
    return number_error(
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
    separators = [index for index, char in enumerate(body) if char in SEPARATORS]
    if len(separators) > 1:
        raise _application_syntax_error(value)
    if separators:
        # Never re-split across the separator (docs/domain/patent-numbers.md §1.3, rule 4).
        digits, check = body[: separators[0]], body[separators[0] + 1 :]
        if "X" in digits and re.fullmatch(r"[0-9X]+", digits):
            raise _misplaced_x(value)
        if not re.fullmatch(r"[0-9]+", digits):
            raise _application_syntax_error(value)
        if len(check) != 1 or check not in "0123456789X":
            raise number_error(
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
    return number_error(
        "invalid_syntax",
        _("“%(value)s”: X can only be the check character, after the 12 (or 8) digits."),
        {"value": value},
    )


def _application_year(digits: str, value: str) -> int:
    if len(digits) == 12:
        year = int(digits[:4])
        if not FIRST_NEW_FORMAT_YEAR <= year <= latest_year():
            raise number_error(
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
    raise number_error(
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
        raise number_error(
            "invalid_type",
            _(
                "“%(value)s”: %(digit)s is not an application type digit; it is 1 (invention), "
                "2 (utility model), 3 (design), 8 or 9 (PCT application in the national phase)."
            ),
            {"value": value, "digit": type_digit},
        )
    patent_type, pct = APPLICATION_TYPES[type_digit]
    if pct and year < FIRST_CN_PCT_YEAR:
        raise number_error(
            "invalid_type",
            _(
                "“%(value)s”: type digit %(digit)s (PCT national phase) did not exist before "
                "1994, when China joined the PCT."
            ),
            {"value": value, "digit": type_digit},
        )
    if legacy and year <= 1988:
        if given is not None:
            raise number_error(
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
            raise number_error(
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

    docs/domain/patent-numbers.md §1.3: NFKC, upper case, whitespace removed, one ``CN`` or
    ``ZL`` prefix removed; ``.``, ``。`` or ``·`` separate the check character; a missing
    check is computed, a wrong one refused; the year and type digit are validated.
    """
    if is_blank(text):
        raise _empty_application()
    value = text.strip()
    _prefix, body = _strip_prefix(normalise(text))
    return _parse_application_body(body, value)


# Google Patents: CN201910209152.5A, CN2011101443874A, CNU2008200522514U, CNB008164223A.
_GOOGLE_LEADING_KIND = re.compile(r"^[A-WYZ](?=[0-9])")
_GOOGLE_TRAILING_KIND = re.compile(r"(?<=[0-9X])[A-WYZ][0-9]?$")


def parse_application_number_lenient(text: str) -> ApplicationNumber:
    """Like ``parse_application_number``, also accepting Google Patents' spellings.

    For importers only (docs/domain/patent-numbers.md §1.5): the document-kind letter after
    ``CN`` and the trailing kind letter (optionally with its digit) are not part of CNIPA's
    number and are removed; the strict rules then apply, so a wrong check character is still
    refused.
    """
    if is_blank(text):
        raise _empty_application()
    value = text.strip()
    prefix, body = _strip_prefix(normalise(text))
    if prefix == "CN":
        body = _GOOGLE_LEADING_KIND.sub("", body)
    body = _GOOGLE_TRAILING_KIND.sub("", body)
    return _parse_application_body(body, value)
