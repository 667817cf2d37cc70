"""What every number parser shares: the error, the cleaning of typed text, the year limit.

``normalise`` is the first step of docs/domain/patent-numbers.md §1.3 for every kind of
number: NFKC (full-width digits and dots), upper case, no whitespace at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Literal

from django.utils.functional import Promise

PatentType = Literal["invention", "utility_model", "design"]
NumberKind = Literal["application", "publication", "pct", "wo"]

SEPARATORS = ".。·"  # full stop, ideographic full stop (U+3002), middle dot (U+00B7)
_WHITESPACE = re.compile(r"\s+")


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


def number_error(
    code: str, message: str | Promise, params: Mapping[str, object]
) -> PatentNumberError:
    """A ``PatentNumberError`` whose message has ``params`` filled in."""
    return PatentNumberError(code, interpolate(message, params), params)


def interpolate(message: str | Promise, params: Mapping[str, object]) -> str | Promise:
    return message % dict(params) if params else message


def latest_year() -> int:
    """The current year somewhere on Earth (UTC+14): the latest year a number may carry."""
    return (datetime.now(UTC) + timedelta(hours=14)).year


def normalise(text: str) -> str:
    """NFKC (full-width digits and dots), upper case, no whitespace at all."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).upper())


def is_blank(text: object) -> bool:
    """Nothing to parse: not a string, or only whitespace."""
    return not isinstance(text, str) or not text.strip()
