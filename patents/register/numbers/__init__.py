"""Chinese patent numbers, PCT and WO numbers: parse, validate, normalise.

The rules, with examples and sources: docs/domain/patent-numbers.md.

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

Decisions of ours ("Our choice" in that page) made here:

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

from patents.register.numbers.application import (
    ApplicationNumber,
    check_character,
    parse_application_number,
    parse_application_number_lenient,
)
from patents.register.numbers.common import NumberKind, PatentNumberError, PatentType
from patents.register.numbers.family import FamilyMember, parse_family_member
from patents.register.numbers.identify import identify_number
from patents.register.numbers.international import (
    PctApplicationNumber,
    WoPublicationNumber,
    parse_pct_application_number,
    parse_wo_publication_number,
)
from patents.register.numbers.publication import PublicationNumber, parse_publication_number

__all__ = [
    "ApplicationNumber",
    "FamilyMember",
    "NumberKind",
    "PatentNumberError",
    "PatentType",
    "PctApplicationNumber",
    "PublicationNumber",
    "WoPublicationNumber",
    "check_character",
    "identify_number",
    "parse_application_number",
    "parse_application_number_lenient",
    "parse_family_member",
    "parse_pct_application_number",
    "parse_publication_number",
    "parse_wo_publication_number",
]
