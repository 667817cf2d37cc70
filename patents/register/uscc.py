"""Unified social credit codes (统一社会信用代码, GB 32100-2015):
docs/domain/uscc.md.

Pure functions, no database. ``normalise_uscc(" 9144030071526726xg ")`` returns the
canonical 18-character code ``9144030071526726XG``; ``parse_uscc`` returns a ``Uscc``
that splits it into authority, category, region code and organisation code. Invalid
input raises ``UsccError`` with a stable ``code`` and a translated ``message`` naming the
problem (for a wrong check character, the character that was expected).

Registration authorities ``A``, ``N`` and ``Y`` are accepted (python-stdnum refuses them,
so this module does not use it).

The GB 11714 check on positions 9-17 (the old organisation code) is **not** enforced by
default: it is not part of the GB 32100 check, and although it held for every real code
tested (docs/domain/uscc.md §2), refusing a real holder's code on an empirical rule would block
data entry. Pass ``check_organisation_code=True`` to enforce it, or read
``Uscc.organisation_code_is_valid``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, Z, S, V
AUTHORITIES = "123456789ANY"
LENGTH = 18
# w_i = 3^(i-1) mod 31 for i = 1..17
WEIGHTS = tuple(pow(3, i, 31) for i in range(LENGTH - 1))
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANISATION_BODY = re.compile(r"^[0-9A-Z]{8}$")
_WHITESPACE = re.compile(r"\s+")
_VALUES = {char: value for value, char in enumerate(ALPHABET)}


class UsccError(ValueError):
    """A code that is not a valid USCC; ``code`` is stable, ``message`` translated."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Uscc:
    code: str  # canonical: 18 characters, upper case
    authority: str  # position 1: registration authority (1-9, A, N, Y)
    category: str  # position 2: organisation category within the authority
    region_code: str  # positions 3-8: GB/T 2260 division of the registering authority
    organisation_code: str  # positions 9-17: GB 11714 body (8) + its own check (1)

    @property
    def check_character(self) -> str:
        return self.code[-1]

    @property
    def province_code(self) -> str:
        """Province-level division, e.g. ``310000`` for any Shanghai code ``31xxxx``."""
        return f"{self.region_code[:2]}0000"

    @property
    def organisation_code_display(self) -> str:
        """The organisation code as printed on old certificates: ``42500611-7``."""
        return f"{self.organisation_code[:8]}-{self.organisation_code[8]}"

    @property
    def organisation_code_is_valid(self) -> bool:
        """Whether positions 9-17 pass the GB 11714 check (not required by GB 32100)."""
        expected = organisation_check_character(self.organisation_code[:8])
        return expected is not None and expected == self.organisation_code[8]

    def __str__(self) -> str:
        return self.code


def check_character(first17: str) -> str:
    """GB 32100 check character for the first 17 characters (docs/domain/uscc.md §2)."""
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check_character(body: str) -> str | None:
    """GB 11714 check character for an 8-character organisation-code body.

    ``None`` when the body has characters outside 0-9 and A-Z.
    """
    if not _ORGANISATION_BODY.match(body):
        return None
    total = sum(
        int(char, 36) * weight for char, weight in zip(body, ORGANISATION_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def _clean(text: str) -> str:
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).strip()).upper()


def parse_uscc(text: str, *, check_organisation_code: bool = False) -> Uscc:
    """Parse and validate a USCC; raise ``UsccError``."""
    if not isinstance(text, str) or not text.strip():
        raise UsccError(
            "empty",
            _("Enter a unified social credit code of 18 characters, such as 914403001922038216."),
        )
    code = _clean(text)
    if len(code) != LENGTH:
        raise UsccError(
            "invalid_length",
            lazy_format(
                _("A unified social credit code has 18 characters; “%(value)s” has %(length)d."),
                value=code,
                length=len(code),
            ),
        )
    bad = "".join(dict.fromkeys(char for char in code if char not in _VALUES))
    if bad:
        raise UsccError(
            "invalid_character",
            lazy_format(
                _(
                    "“%(characters)s” cannot appear in a unified social credit code: it uses "
                    "digits and capital letters except I, O, S, V and Z."
                ),
                characters=bad,
            ),
        )
    if code[0] not in AUTHORITIES:
        raise UsccError(
            "invalid_authority",
            lazy_format(
                _(
                    "“%(authority)s” is not a registration authority: the first character "
                    "must be 1 to 9, A, N or Y."
                ),
                authority=code[0],
            ),
        )
    expected = check_character(code[:-1])
    if code[-1] != expected:
        raise UsccError(
            "invalid_check",
            lazy_format(
                _(
                    "“%(value)s” is not a valid unified social credit code: the last "
                    "character should be “%(expected)s”, not “%(actual)s”. Check for a typo."
                ),
                value=code,
                expected=expected,
                actual=code[-1],
            ),
        )
    uscc = Uscc(
        code=code,
        authority=code[0],
        category=code[1],
        region_code=code[2:8],
        organisation_code=code[8:17],
    )
    if check_organisation_code and not uscc.organisation_code_is_valid:
        raise UsccError(
            "invalid_organisation_code",
            lazy_format(
                _(
                    "Characters 9 to 17 of “%(value)s” are not a valid organisation code "
                    "(GB 11714): its check character should be “%(expected)s”."
                ),
                value=code,
                expected=organisation_check_character(code[8:16]) or "?",
            ),
        )
    return uscc


def normalise_uscc(text: str, *, check_organisation_code: bool = False) -> str:
    """Canonical form of a USCC (18 characters, upper case); raise ``UsccError``."""
    return parse_uscc(text, check_organisation_code=check_organisation_code).code
