"""Chinese publication and grant numbers (公开号/公告号) and their kind codes,
docs/domain/patent-numbers.md §2."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from patents.register.numbers.common import (
    PatentNumberError,
    PatentType,
    is_blank,
    normalise,
    number_error,
)

PUBLICATION_TYPES: dict[str, PatentType] = {"1": "invention", "2": "utility_model", "3": "design"}


@dataclass(frozen=True)
class _KindInfo:
    patent_type: PatentType
    is_grant: bool
    document: str


def _build_current_kinds() -> dict[str, _KindInfo]:
    """Kind codes valid with 9-digit numbers (from July 2007),
    docs/domain/patent-numbers.md §2.2."""
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

# Kind codes of 7- and 8-digit numbers (before July 2007), docs/domain/patent-numbers.md §2.1-2.2.
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
    """Parse a Chinese publication or grant number such as ``CN109918572B``
    (docs/domain/patent-numbers.md §2.3)."""
    if is_blank(text):
        raise PatentNumberError("empty", _("Enter a publication number, such as CN109918572B."))
    value = text.strip()
    cleaned = normalise(text)
    if re.match(r"^[A-Z]{2}", cleaned) and not cleaned.startswith("CN"):
        raise number_error(
            "not_cn",
            _("“%(value)s” is not a Chinese publication number; it must start with CN."),
            {"value": value},
        )
    match = _PUBLICATION.match(cleaned)
    if match is None:
        raise number_error(
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
        raise number_error(
            "invalid_length",
            _(
                "“%(value)s” has the wrong number of digits: a Chinese publication number has "
                "9 digits (7 before July 2007)."
            ),
            {"value": value},
        )
    if kind is None:
        raise number_error(
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
            raise number_error(
                "invalid_kind",
                _(
                    "“%(value)s”: kind code %(kind)s was not used before July 2007, when "
                    "numbers had 7 or 8 digits; those documents use A, B, C, U, Y, S or D."
                ),
                {"value": value, "kind": kind},
            )
        raise number_error(
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
            raise number_error(
                "invalid_type",
                _(
                    "“%(value)s”: the type digit %(digit)s is not 1 (invention), "
                    "2 (utility model) or 3 (design)."
                ),
                {"value": value, "digit": type_digit},
            )
        if patent_type != info.patent_type:
            raise number_error(
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
