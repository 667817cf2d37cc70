"""Family members abroad (海外同族): a patent document of another office, as jurisdiction +
number + kind code (``US11295096B2``, ``EP3456789A1``, ``JP2020123456A``,
``WO2019123456A1``), and whether it is a granted patent (docs/domain/high-value-patents.md
§2, "Family members abroad").

- Accepted spellings: spaces, commas, slashes and dots inside the number, full-width
  characters, any letter case (``US 11,295,096 B2``, ``EP 3 456 789 A1``, ``WO 2019/123456 A1``).
  The canonical form has none of them: ``US11295096B2``; a WO number is canonical as
  ``parse_wo_publication_number`` gives it.
- The office is a WIPO ST.3 code: a country (ISO 3166-1 alpha-2) or a regional office
  (EP, WO, EA, AP, OA, GC ...). ``CN`` is refused: a Chinese document is not abroad.
- The number: digits, optionally after up to two letters some offices put in front
  (``USRE45678E``, ``USD912345S``, ``JPH06123456A``); the kind code is required (a letter
  and an optional digit), because only the kind says whether the member is granted.
- Granted: ``GRANT_KINDS`` by office (our table, from each office's kind-code list [U]);
  a kind an office does not list there is not a grant, and a WO document never is (an
  international application grants nothing). US documents before 2001 carried kind ``A``
  for a granted patent: a US ``A`` with at most 8 digits is a grant, a US publication
  (11 digits, year first) is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from patents.register.numbers.common import PatentNumberError, is_blank, normalise, number_error
from patents.register.numbers.international import parse_wo_publication_number

# WIPO ST.3: ISO 3166-1 alpha-2 countries and the regional and international offices.
COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - a table to read, not a list to edit
)
REGIONAL_OFFICES = frozenset({"AP", "BX", "EA", "EM", "EP", "GC", "OA", "WO", "XN", "XU", "XV"})
OFFICES = COUNTRIES | REGIONAL_OFFICES
# Kind codes that mean a granted patent, by office (docs/domain/high-value-patents.md §2).
GRANT_KINDS: dict[str, frozenset[str]] = {
    "US": frozenset({"B1", "B2", "E"}),  # utility patent; reissue (and legacy A: see below)
    "EP": frozenset({"B1", "B2", "B3", "B8", "B9"}),  # granted, amended, limited, corrections
    "JP": frozenset({"B1", "B2"}),
    "KR": frozenset({"B1"}),
    "TW": frozenset({"B"}),
    "HK": frozenset({"B"}),  # an HK standard patent (HK A is its request to record)
    "DE": frozenset({"B3", "B4", "C1", "C2", "C5"}),
    "GB": frozenset({"B", "B8"}),
    "FR": frozenset({"B1"}),
    "RU": frozenset({"C1", "C2"}),
    "EA": frozenset({"B1"}),
    "CA": frozenset({"C", "C1", "C2"}),
    "AU": frozenset({"B2", "B4"}),
    "IN": frozenset({"B"}),
    "SG": frozenset({"B"}),
    "IL": frozenset({"B"}),
    "MX": frozenset({"B"}),
    "BR": frozenset({"B1"}),
}
MAX_LENGTH = 24  # the stored member (Patent.foreign_family)
_MEMBER = re.compile(r"^(?P<office>[A-Z]{2})(?P<number>[A-Z]{0,2}\d{3,13})(?P<kind>[A-Z]\d?)$")
_INSIDE = re.compile(r"[,./\-]")


@dataclass(frozen=True)
class FamilyMember:
    office: str
    number: str
    kind: str
    canonical: str

    @property
    def is_grant(self) -> bool:
        if self.office == "US" and self.kind == "A" and len(self.number) <= 8:
            return True  # a US patent granted before 2001 (no published applications then)
        return self.kind in GRANT_KINDS.get(self.office, frozenset())


def parse_family_member(text: str) -> FamilyMember:
    """A family member abroad in any accepted spelling; ``PatentNumberError`` otherwise."""
    if is_blank(text):
        raise PatentNumberError("empty", _("Enter a family member abroad, such as US11295096B2."))
    value = text.strip()
    written = normalise(text)
    if written.startswith("WO"):
        try:
            wo = parse_wo_publication_number(written)
        except PatentNumberError as exc:
            raise number_error(
                "invalid_family_member",
                _("“%(value)s”: %(reason)s"),
                {"value": value, "reason": exc.message},
            ) from exc
        if wo.kind is None:
            raise _kind_required(value)
        return FamilyMember("WO", f"{wo.year}{wo.serial}", wo.kind, wo.canonical)
    match = _MEMBER.match(_INSIDE.sub("", written))
    if match is None:
        if _MEMBER.match(_INSIDE.sub("", written) + "A") is not None:
            raise _kind_required(value)
        raise number_error(
            "invalid_family_member",
            _(
                "“%(value)s” is not a family member abroad; write the office, the number and "
                "the kind code, e.g. US11295096B2, EP3456789A1, JP2020123456A."
            ),
            {"value": value},
        )
    office, number, kind = match["office"], match["number"], match["kind"]
    if office == "CN":
        raise number_error(
            "not_abroad",
            _("“%(value)s” is a Chinese document, not a family member abroad."),
            {"value": value},
        )
    if office not in OFFICES:
        raise number_error(
            "unknown_office",
            _("“%(value)s”: %(office)s is not a patent office code (WIPO ST.3)."),
            {"value": value, "office": office},
        )
    return FamilyMember(office, number, kind, f"{office}{number}{kind}")


def _kind_required(value: str) -> PatentNumberError:
    return number_error(
        "kind_required",
        _("“%(value)s” needs its kind code (e.g. B2 for a US grant, A1 for a publication)."),
        {"value": value},
    )
