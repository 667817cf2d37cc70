"""Valid identifiers for factory sequences: each passes the same checks as a real one.

The series are chosen apart from the numbers tests spell out (201910209152.5 and the like),
so a sequence never collides with a record a test names.
"""

from __future__ import annotations

from patents.register.numbers import check_character as application_check
from patents.register.uscc import ALPHABET, organisation_check_character
from patents.register.uscc import check_character as uscc_check


def application_number(n: int) -> str:
    """The n-th CN invention application number of 2023 in this series (``20231xxxxxxx.c``)."""
    digits = f"20231{n:07d}"
    return f"{digits}.{application_check(digits)}"


def publication_number(n: int) -> str:
    """The n-th CN invention publication (A) number in this series (``CN14xxxxxxxA``)."""
    return f"CN14{n:07d}A"


def uscc(n: int, *, region: str = "310115") -> str:
    """The n-th unified social credit code of an enterprise (``91`` + region + organisation
    code + check), valid under GB 32100 and with a valid GB 11714 organisation code."""
    body = "MA" + "".join(ALPHABET[(n // 31**i) % 31] for i in reversed(range(6)))
    organisation = body + (organisation_check_character(body) or "0")
    first17 = f"91{region}{organisation}"
    return first17 + uscc_check(first17)
