"""IPC (and CPC) classification symbols: parse, validate, normalise (docs/domain/ipc-symbols.md).

Pure functions, no database. ``parse_ipc("h01m10/0525")`` returns an ``IpcSymbol`` whose
``symbol`` is the canonical display ``H01M 10/0525`` and whose ``key`` is the sortable
14-character WIPO master-file key ``H01M0010052500``; any level is accepted (section,
class, subclass, main group, subgroup). Invalid input raises ``IpcSymbolError`` with a
stable ``code`` and a translated message naming the problem.

Whether a well-formed symbol exists in the scheme is a question for the scheme table
(``IpcClass``), not for this module.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Level = Literal["section", "class", "subclass", "main_group", "subgroup"]
Scheme = Literal["ipc", "cpc"]

# "(2006.01)" version indicator, optionally followed by I (inventive) or N (additional).
_VERSION = re.compile(r"\(\s*\d{4}\s*\.\s*\d{2}\s*\)\s*[IN]?$")
_PARTS = re.compile(
    r"^(?P<section>[A-Z])(?P<cls>\d*)(?P<subclass>[A-Z]?)(?:(?P<main>\d+)/(?P<sub>\d+))?$"
)
IPC_SECTIONS = "ABCDEFGH"
CPC_SECTIONS = "ABCDEFGHY"


class IpcSymbolError(ValueError):
    """A classification symbol that does not parse; ``code`` is stable, ``message`` translated."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IpcSymbol:
    section: str
    class_digits: str = ""
    subclass_letter: str = ""
    main_group: int | None = None
    subgroup: str | None = None  # at least two digits, no meaningless trailing zeros

    @property
    def level(self) -> Level:
        if self.subgroup is not None:
            return "main_group" if self.subgroup == "00" else "subgroup"
        if self.subclass_letter:
            return "subclass"
        if self.class_digits:
            return "class"
        return "section"

    @property
    def class_code(self) -> str:
        return f"{self.section}{self.class_digits}"

    @property
    def subclass(self) -> str:
        return f"{self.class_code}{self.subclass_letter}"

    @property
    def symbol(self) -> str:
        """Canonical display form: ``H``, ``H01``, ``H01M``, ``H01M 10/0525``."""
        if self.subgroup is None:
            return self.subclass
        return f"{self.subclass} {self.main_group}/{self.subgroup}"

    @property
    def key(self) -> str:
        """Sortable key: the display code above subclass level, the 14-character key below.

        Keys sort in scheme order: ``H`` < ``H01`` < ``H01M`` < ``H01M0010000000`` <
        ``H01M0010050000`` < ``H01M0010052500``.
        """
        if self.subgroup is None:
            return self.subclass
        return f"{self.subclass}{self.main_group:04d}{self.subgroup.ljust(6, '0')}"

    @property
    def main_group_key(self) -> str | None:
        """Key of the main group this symbol belongs to (itself for a main group)."""
        if self.main_group is None:
            return None
        return f"{self.subclass}{self.main_group:04d}000000"

    @property
    def parent_key(self) -> str | None:
        """Parent by syntax: section <- class <- subclass <- main group.

        A subgroup's parent depends on the dot depth in the scheme, not on the string;
        this returns its main group, the only parent the string alone can give.
        """
        level = self.level
        if level == "section":
            return None
        if level == "class":
            return self.section
        if level == "subclass":
            return self.class_code
        if level == "main_group":
            return self.subclass
        return self.main_group_key

    def __str__(self) -> str:
        return self.symbol


def _clean(text: str) -> str:
    cleaned = unicodedata.normalize("NFKC", text).upper().strip()
    cleaned = _VERSION.sub("", cleaned).strip()
    return re.sub(r"\s+", "", cleaned)


def parse_ipc(text: str, *, scheme: Scheme = "ipc") -> IpcSymbol:
    """Parse an IPC (default) or CPC symbol at any level; raise ``IpcSymbolError``."""
    if not isinstance(text, str) or not text.strip():
        raise IpcSymbolError("empty", _("Enter a classification symbol, such as H01M 10/0525."))
    cleaned = _clean(text)
    match = _PARTS.match(cleaned)
    if match is None:
        raise IpcSymbolError(
            "invalid_syntax",
            _(
                "“%(value)s” is not a classification symbol; write it like H01M 10/0525, H01M or H01."
            )
            % {"value": text.strip()},
        )
    section, digits, letter = match["section"], match["cls"], match["subclass"]
    main, sub = match["main"], match["sub"]

    sections = IPC_SECTIONS if scheme == "ipc" else CPC_SECTIONS
    if section not in sections:
        if section == "Y" and scheme == "ipc":
            raise IpcSymbolError(
                "cpc_only", _("Section Y exists only in CPC, not in the IPC; use an IPC symbol.")
            )
        raise IpcSymbolError(
            "invalid_section",
            _("“%(section)s” is not a section: sections are A to H.") % {"section": section},
        )
    if (digits or letter or main) and len(digits) != 2:
        raise IpcSymbolError(
            "invalid_class", _("A class is the section and two digits, such as H01.")
        )
    if main is not None and not letter:
        raise IpcSymbolError(
            "invalid_syntax", _("A group needs its subclass letter, such as H01M 10/0525.")
        )
    if main is None or sub is None:
        return IpcSymbol(section=section, class_digits=digits, subclass_letter=letter)

    main_group = int(main)
    if len(main) > 4 or main_group == 0:
        raise IpcSymbolError(
            "invalid_main_group",
            _("A main group is a number from 1 to 9999, such as 10 in H01M 10/00."),
        )
    if scheme == "ipc" and main_group > 999:
        raise IpcSymbolError(
            "cpc_only",
            _("Main groups of four digits are CPC indexing codes (2000 series), not IPC."),
        )
    if len(sub) < 2 or len(sub) > 6:
        raise IpcSymbolError(
            "invalid_subgroup",
            _("A subgroup has 2 to 6 digits after the slash, such as /0525 or /00."),
        )
    subgroup = sub.rstrip("0").ljust(2, "0")
    return IpcSymbol(
        section=section,
        class_digits=digits,
        subclass_letter=letter,
        main_group=main_group,
        subgroup=subgroup,
    )


def normalise_ipc(text: str, *, scheme: Scheme = "ipc") -> str:
    """Canonical display form of an IPC symbol (``H01M 10/0525``); raise ``IpcSymbolError``."""
    return parse_ipc(text, scheme=scheme).symbol


def symbol_from_key(key: str) -> str:
    """Display symbol for a stored key (the inverse of ``IpcSymbol.key``)."""
    if len(key) != 14:
        return key
    main = int(key[4:8])
    subgroup = key[8:].rstrip("0").ljust(2, "0")
    return f"{key[:4]} {main}/{subgroup}"
