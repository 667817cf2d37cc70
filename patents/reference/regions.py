"""Administrative division codes (GB/T 2260): parse the spellings users send."""

from __future__ import annotations

import re
import unicodedata

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RegionCodeError(ValueError):
    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


def normalise_region_code(text: str) -> str:
    """Six-digit code from ``310115``, ``31`` (province), ``3101`` (city) or a 9/12-digit code.

    Statistical codes (``310115000000``) and street codes (``310115005``) keep their
    first six digits when the rest only refines them.
    """
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not re.fullmatch(r"\d+", cleaned):
        raise RegionCodeError(
            "invalid_region_code",
            _("“%(value)s” is not a region code: use six digits, such as 310115.")
            % {"value": text},
        )
    if len(cleaned) == 2:
        return cleaned + "0000"
    if len(cleaned) == 4:
        return cleaned + "00"
    if len(cleaned) in (6, 9, 12):
        return cleaned[:6]
    raise RegionCodeError(
        "invalid_region_code",
        _("“%(value)s” is not a region code: use six digits, such as 310115.") % {"value": text},
    )


def region_code_prefix(code: str) -> str:
    """Prefix shared by a six-digit code and everything below it (31, 3101 or 310115)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
