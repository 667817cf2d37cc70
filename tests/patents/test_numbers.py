"""Patent, PCT and WO numbers: docs/domain/patent-numbers.md, every vector table."""

from datetime import date

import pytest
from django.utils import translation

from patents.register.numbers import (
    ApplicationNumber,
    PatentNumberError,
    check_character,
    identify_number,
    parse_application_number,
    parse_application_number_lenient,
    parse_pct_application_number,
    parse_publication_number,
    parse_wo_publication_number,
)

# --------------------------------------------------------------------------------------------
# 1.3 Verified real examples: number, type digit, weighted sum mod 11 = check
# --------------------------------------------------------------------------------------------

REAL_APPLICATIONS = [
    ("201910209152.5", "1"),
    ("201610920041.1", "1"),
    ("201811490544.5", "1"),
    ("201110144387.4", "1"),
    ("201310011109.0", "1"),
    ("201010161644.0", "1"),
    ("201710701159.X", "1"),
    ("200710308494.X", "1"),
    ("201710601862.3", "1"),
    ("201620289943.5", "2"),
    ("200820052251.4", "2"),
    ("202022032707.4", "2"),
    ("200880015234.6", "8"),
    ("201611077199.3", "1"),
    ("95115608.X", "1"),
    ("00118657.4", "1"),
    ("00816422.3", "8"),
    ("97101765.4", "1"),
    ("200810133074.7", "1"),  # priority of PCT/CN2009/072663 (docs/domain/patent-numbers.md §3)
]


@pytest.mark.parametrize(("number", "type_digit"), REAL_APPLICATIONS)
def test_real_application_numbers_are_valid_and_canonical(number, type_digit):
    parsed = parse_application_number(number)
    digits, check = number.split(".")
    assert parsed.canonical == number
    assert parsed.check == check
    assert parsed.type_digit == type_digit
    assert parsed.legacy is (len(digits) == 8)
    assert parsed.digits == digits
    assert parsed.compact == digits + check
    assert check_character(digits) == check
    assert str(parsed) == number


@pytest.mark.parametrize(
    ("digits", "check"),
    [("201910209152", "5"), ("201310011109", "0"), ("201710701159", "X"), ("95115608", "X")],
)
def test_the_check_is_the_remainder_not_its_complement(digits, check):
    assert check_character(digits) == check


# --------------------------------------------------------------------------------------------
# 1.4 Parsing and normalisation
# --------------------------------------------------------------------------------------------

# input, canonical, year, patent_type, pct_national_phase, legacy
VALID_APPLICATIONS = [
    ("201910209152.5", "201910209152.5", 2019, "invention", False, False),
    ("CN201910209152.5", "201910209152.5", 2019, "invention", False, False),
    ("ZL201910209152.5", "201910209152.5", 2019, "invention", False, False),
    ("CN 2019 1 0209152.5", "201910209152.5", 2019, "invention", False, False),
    ("２０１９１０２０９１５２．５", "201910209152.5", 2019, "invention", False, False),
    ("201910209152", "201910209152.5", 2019, "invention", False, False),
    ("2019102091525", "201910209152.5", 2019, "invention", False, False),
    ("201710701159.x", "201710701159.X", 2017, "invention", False, False),
    ("200880015234.6", "200880015234.6", 2008, "invention", True, False),
    ("202330123456.7", "202330123456.7", 2023, "design", False, False),  # synthetic
    ("95115608.X", "95115608.X", 1995, "invention", False, True),
    ("00816422.3", "00816422.3", 2000, "invention", True, True),
    # Other spellings the recommended parser accepts.
    ("CN 201910209152.5", "201910209152.5", 2019, "invention", False, False),
    ("ZL 201910209152.5", "201910209152.5", 2019, "invention", False, False),
    ("zl201910209152.5", "201910209152.5", 2019, "invention", False, False),
    ("201910209152。5", "201910209152.5", 2019, "invention", False, False),
    ("201910209152·5", "201910209152.5", 2019, "invention", False, False),
    ("  2019 1020 9152 . 5 ", "201910209152.5", 2019, "invention", False, False),
    ("201710701159X", "201710701159.X", 2017, "invention", False, False),
    ("201620289943.5", "201620289943.5", 2016, "utility_model", False, False),
    ("202290123456", "202290123456.5", 2022, "utility_model", True, False),  # synthetic
    ("95115608X", "95115608.X", 1995, "invention", False, True),
    ("00118657", "00118657.4", 2000, "invention", False, True),  # legacy, check computed
    ("03100001", "03100001.0", 2003, "invention", False, True),  # last legacy year
    ("200310000001", "200310000001.8", 2003, "invention", False, False),  # first new year
]


@pytest.mark.parametrize(
    ("text", "canonical", "year", "patent_type", "pct", "legacy"), VALID_APPLICATIONS
)
def test_valid_application_numbers_normalise(text, canonical, year, patent_type, pct, legacy):
    parsed = parse_application_number(text)
    assert parsed.canonical == canonical
    assert parsed.year == year
    assert parsed.patent_type == patent_type
    assert parsed.pct_national_phase is pct
    assert parsed.legacy is legacy
    assert parsed.patent_number == f"ZL{canonical}"


def test_patent_number_is_zl_plus_the_application_number():
    parsed = parse_application_number("ZL 201910209152.5")
    assert parsed == parse_application_number("201910209152.5")
    assert parsed.patent_number == "ZL201910209152.5"
    assert isinstance(parsed, ApplicationNumber)


@pytest.mark.parametrize(
    ("text", "canonical", "year", "type_digit"),
    [("85100001", "85100001", 1985, "1"), ("88200123", "88200123", 1988, "2")],
)
def test_1985_to_1988_numbers_have_no_check_character(text, canonical, year, type_digit):
    parsed = parse_application_number(text)
    assert parsed.canonical == canonical
    assert parsed.check is None
    assert parsed.year == year
    assert parsed.type_digit == type_digit
    assert parsed.legacy is True


# input, code, params that must be part of the error
INVALID_APPLICATIONS = [
    ("201910209152.4", "invalid_check", {"expected": "5", "given": "4"}),
    ("201711469835.X", "invalid_check", {"expected": "1"}),
    ("201820953320.X", "invalid_check", {"expected": "2"}),
    ("201930100001.X", "invalid_check", {"expected": "7"}),
    ("201940209152.1", "invalid_type", {"digit": "4"}),
    ("199910209152.7", "invalid_year", {"year": 1999}),
    ("20191020915.5", "invalid_length", {}),
    ("2019102091X2.5", "invalid_syntax", {}),
    # "89103229.2" is published in a history article, but the algorithm gives 0
    # (docs/domain/patent-numbers.md §1.2).
    ("89103229.2", "invalid_check", {"expected": "0"}),
    # More reasons from the recommended parser.
    ("2019102091524", "invalid_check", {"expected": "5"}),
    ("2019102091", "invalid_length", {}),
    ("20191020915255", "invalid_length", {}),
    ("201910209152.", "invalid_syntax", {}),
    ("201910209152.55", "invalid_syntax", {}),
    ("2019.10209152.5", "invalid_syntax", {}),
    ("201910209152-5", "invalid_syntax", {}),
    ("US201910209152.5", "invalid_syntax", {}),
    ("CN201910209152.5A", "invalid_syntax", {}),  # Google's notation: importers only
    ("X201910209152", "invalid_syntax", {}),
    ("85100001.X", "unexpected_check", {}),  # 1985-1988: no check character
    ("851000014", "unexpected_check", {}),
    ("10100001.1", "invalid_year", {"year": "10"}),
    ("84100001", "invalid_year", {"year": "84"}),
    ("93800001", "invalid_type", {"digit": "8"}),  # PCT national phase only from 1994
    ("00418657", "invalid_type", {"digit": "4"}),
    ("201950209152", "invalid_type", {"digit": "5"}),
]


@pytest.mark.parametrize(("text", "code", "params"), INVALID_APPLICATIONS)
def test_invalid_application_numbers_are_refused_with_their_reason(text, code, params):
    with pytest.raises(PatentNumberError) as raised:
        parse_application_number(text)
    assert raised.value.code == code
    for key, expected in params.items():
        assert raised.value.params[key] == expected


def test_a_future_year_is_refused():
    future = f"{date.today().year + 2}10209152"
    with pytest.raises(PatentNumberError) as raised:
        parse_application_number(future)
    assert raised.value.code == "invalid_year"


@pytest.mark.parametrize("text", ["", "   ", "CN", "ZL "])
def test_blank_application_numbers(text):
    with pytest.raises(PatentNumberError) as raised:
        parse_application_number(text)
    assert raised.value.code in {"empty", "invalid_syntax"}


def test_blank_is_reported_as_empty():
    with pytest.raises(PatentNumberError) as raised:
        parse_application_number(" ")
    assert raised.value.code == "empty"


# --------------------------------------------------------------------------------------------
# 1.5 Google Patents forms: the importer strips them, the user-facing parser does not
# --------------------------------------------------------------------------------------------

GOOGLE_FORMS = [
    ("CN201910209152.5A", "201910209152.5"),
    ("CN201910209152A", "201910209152.5"),
    ("CN2011101443874A", "201110144387.4"),
    ("CNU2008200522514U", "200820052251.4"),
    ("CNB008164223A", "00816422.3"),
    ("CN201710701159XA", "201710701159.X"),  # an X check survives the stripping
    ("CN 201620289943.5 U", "201620289943.5"),
    ("CN85100001A", "85100001"),
]


@pytest.mark.parametrize(("text", "canonical"), GOOGLE_FORMS)
def test_lenient_parser_strips_google_kind_letters(text, canonical):
    assert parse_application_number_lenient(text).canonical == canonical
    with pytest.raises(PatentNumberError):
        parse_application_number(text)


@pytest.mark.parametrize(
    ("text", "canonical"), [(text, canonical) for text, canonical, *_ in VALID_APPLICATIONS]
)
def test_lenient_parser_accepts_what_the_strict_one_accepts(text, canonical):
    assert parse_application_number_lenient(text).canonical == canonical


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CN201910209152.4A", "invalid_check"),
        ("CNB008164224A", "invalid_check"),
        ("CN201940209152.1A", "invalid_type"),
        ("CN20191020915.5A", "invalid_length"),
        ("", "empty"),
    ],
)
def test_lenient_parser_keeps_the_strict_rules(text, code):
    with pytest.raises(PatentNumberError) as raised:
        parse_application_number_lenient(text)
    assert raised.value.code == code


# --------------------------------------------------------------------------------------------
# 2. Publication and grant numbers
# --------------------------------------------------------------------------------------------

# input, canonical, number, kind, patent_type, is_grant
# (docs/domain/patent-numbers.md §2.3, then §2.1-2.2)
VALID_PUBLICATIONS = [
    ("CN106484685A", "CN106484685A", "106484685", "A", "invention", False),
    ("CN109918572B", "CN109918572B", "109918572", "B", "invention", True),
    ("CN 109918572 B", "CN109918572B", "109918572", "B", "invention", True),
    ("CN205571076U", "CN205571076U", "205571076", "U", "utility_model", True),
    ("CN201220659Y", "CN201220659Y", "201220659", "Y", "utility_model", True),
    ("CN1157005C", "CN1157005C", "1157005", "C", "invention", True),
    ("CN310035959S", "CN310035959S", "310035959", "S", "design", True),
    # Same 9-digit number for the A and B of one invention (docs/domain/patent-numbers.md §2.1).
    ("CN109918572A", "CN109918572A", "109918572", "A", "invention", False),
    ("CN102285377A", "CN102285377A", "102285377", "A", "invention", False),
    ("CN102285377B", "CN102285377B", "102285377", "B", "invention", True),
    ("CN101686758B", "CN101686758B", "101686758", "B", "invention", True),
    ("CN101324645B", "CN101324645B", "101324645", "B", "invention", True),
    # Kind codes of docs/domain/patent-numbers.md §2.2 and the era rule for is_grant.
    ("cn106484685a8", "CN106484685A8", "106484685", "A8", "invention", False),
    ("CN106484685A9", "CN106484685A9", "106484685", "A9", "invention", False),
    ("CN109918572B8", "CN109918572B8", "109918572", "B8", "invention", True),
    ("CN109918572B9", "CN109918572B9", "109918572", "B9", "invention", True),
    ("CN109918572C1", "CN109918572C1", "109918572", "C1", "invention", False),
    ("CN109918572C7", "CN109918572C7", "109918572", "C7", "invention", False),
    ("CN101000001C", "CN101000001C", "101000001", "C", "invention", True),  # legacy C, 9 digits
    ("CN205571076U8", "CN205571076U8", "205571076", "U8", "utility_model", True),
    ("CN205571076U9", "CN205571076U9", "205571076", "U9", "utility_model", True),
    ("CN205571076Y1", "CN205571076Y1", "205571076", "Y1", "utility_model", False),
    ("CN205571076Y7", "CN205571076Y7", "205571076", "Y7", "utility_model", False),
    ("CN310035959S1", "CN310035959S1", "310035959", "S1", "design", False),
    ("CN310035959S7", "CN310035959S7", "310035959", "S7", "design", False),
    ("CN310035959S9", "CN310035959S9", "310035959", "S9", "design", True),
    ("CN300123456D", "CN300123456D", "300123456", "D", "design", True),  # legacy D
    # 7-digit numbers: legacy codes, is_grant from the era (docs/domain/patent-numbers.md §2.1-2.2).
    ("CN1030001A", "CN1030001A", "1030001", "A", "invention", False),
    ("CN1030001B", "CN1030001B", "1030001", "B", "invention", False),  # examined (审定)
    ("CN2030001U", "CN2030001U", "2030001", "U", "utility_model", False),
    ("CN2512345Y", "CN2512345Y", "2512345", "Y", "utility_model", True),
    ("CN3003001S", "CN3003001S", "3003001", "S", "design", False),
    ("CN3123456D", "CN3123456D", "3123456", "D", "design", True),
    # 1985-1988 one-number system: the 8-digit application number is the document number.
    ("CN85100001A", "CN85100001A", "85100001", "A", "invention", False),
    ("CN88200123U", "CN88200123U", "88200123", "U", "utility_model", False),
    ("ＣＮ１０９９１８５７２Ｂ", "CN109918572B", "109918572", "B", "invention", True),
]


@pytest.mark.parametrize(
    ("text", "canonical", "number", "kind", "patent_type", "is_grant"), VALID_PUBLICATIONS
)
def test_valid_publication_numbers(text, canonical, number, kind, patent_type, is_grant):
    parsed = parse_publication_number(text)
    assert parsed.canonical == canonical
    assert parsed.number == number
    assert parsed.kind == kind
    assert parsed.patent_type == patent_type
    assert parsed.is_grant is is_grant
    assert parsed.legacy is (len(number) != 9)
    assert str(parsed) == canonical


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("CN106484685A", "invention application publication"),
        ("CN109918572B", "invention patent grant"),
        ("CN205571076U", "utility model grant"),
        ("CN310035959S", "design grant"),
        ("CN109918572C1", "invention claims re-published after partial invalidation"),
        ("CN1157005C", "invention patent grant (legacy kind code C)"),
        ("CN201220659Y", "utility model grant (legacy kind code Y)"),
        ("CN1030001B", "examined invention application (legacy, 1985-1992)"),
    ],
)
def test_publication_documents_are_described(text, document):
    assert parse_publication_number(text).document == document


# input, code
INVALID_PUBLICATIONS = [
    ("CN106484685U", "kind_type_mismatch"),
    ("CN10648468A", "invalid_length"),
    ("US10648468B2", "not_cn"),
    # More reasons.
    ("CN109918572", "missing_kind"),
    ("CN109918572E", "invalid_kind"),
    ("CN109918572C8", "invalid_kind"),
    ("CN109918572Y8", "invalid_kind"),
    ("CN1157005C1", "invalid_kind"),  # modern code on a 7-digit number
    ("CN1157005A8", "invalid_kind"),
    ("CN205571076B", "kind_type_mismatch"),
    ("CN205571076C1", "kind_type_mismatch"),
    ("CN310035959U", "kind_type_mismatch"),
    ("CN109918572S", "kind_type_mismatch"),
    ("CN109918572Y", "kind_type_mismatch"),
    ("CN205571076D", "kind_type_mismatch"),
    ("CN310035959C", "kind_type_mismatch"),
    ("CN85100001U", "kind_type_mismatch"),
    ("CN409918572A", "invalid_type"),
    ("CN85800001A", "invalid_type"),
    ("CN123456A", "invalid_length"),
    ("CN1099185721B", "invalid_length"),
    ("EP1234567A1", "not_cn"),
    ("WO2010003367A1", "not_cn"),
    ("109918572B", "invalid_syntax"),
    ("CN109918572BB", "invalid_syntax"),
    ("CN1099-18572B", "invalid_syntax"),
    ("", "empty"),
]


@pytest.mark.parametrize(("text", "code"), INVALID_PUBLICATIONS)
def test_invalid_publication_numbers_are_refused_with_their_reason(text, code):
    with pytest.raises(PatentNumberError) as raised:
        parse_publication_number(text)
    assert raised.value.code == code


# --------------------------------------------------------------------------------------------
# 3. PCT application numbers and WO publication numbers
# --------------------------------------------------------------------------------------------

# input, canonical, office, year, serial, legacy
VALID_PCT = [
    ("PCT/CN2009/072663", "PCT/CN2009/072663", "CN", 2009, "072663", False),
    ("pct/cn2023/123456", "PCT/CN2023/123456", "CN", 2023, "123456", False),
    ("PCT/CN 2023/123456", "PCT/CN2023/123456", "CN", 2023, "123456", False),
    ("PCT/CN99/00123", "PCT/CN99/00123", "CN", 1999, "00123", True),
    # More spellings.
    ("PCT/IB2004/000001", "PCT/IB2004/000001", "IB", 2004, "000001", False),
    ("ＰＣＴ／ＣＮ２００９／０７２６６３", "PCT/CN2009/072663", "CN", 2009, "072663", False),
    ("PCT/US03/12345", "PCT/US03/12345", "US", 2003, "12345", True),
    ("PCT/EP78/00001", "PCT/EP78/00001", "EP", 1978, "00001", True),
    ("PCT/CN1999/000123", "PCT/CN99/00123", "CN", 1999, "00123", True),  # normalised spelling
]


@pytest.mark.parametrize(("text", "canonical", "office", "year", "serial", "legacy"), VALID_PCT)
def test_valid_pct_application_numbers(text, canonical, office, year, serial, legacy):
    parsed = parse_pct_application_number(text)
    assert parsed.canonical == canonical
    assert parsed.office == office
    assert parsed.year == year
    assert parsed.serial == serial
    assert parsed.legacy is legacy
    assert str(parsed) == canonical


INVALID_PCT = [
    ("PCT/CN2023/12345", "invalid_serial"),
    ("PCT/C2023/123456", "invalid_office"),
    # More reasons.
    ("PCT/CN99/000123", "invalid_serial"),
    ("PCT/CN1999/123456", "invalid_serial"),  # pre-2004 serials had 5 digits
    ("PCT/CN05/12345", "invalid_year"),  # from 2004 the year has four digits
    ("PCT/CN77/12345", "invalid_year"),
    ("PCT/CN1977/012345", "invalid_year"),
    ("PCT/CN209/072663", "invalid_year"),
    ("PCT/CHN2009/072663", "invalid_office"),
    ("PCT/CN2009072663", "invalid_syntax"),
    ("CN2009/072663", "invalid_syntax"),
    ("PCT/CN2009/072663A1", "invalid_syntax"),
    ("", "empty"),
]


@pytest.mark.parametrize(("text", "code"), INVALID_PCT)
def test_invalid_pct_application_numbers_are_refused_with_their_reason(text, code):
    with pytest.raises(PatentNumberError) as raised:
        parse_pct_application_number(text)
    assert raised.value.code == code


def test_a_pct_year_in_the_future_is_refused():
    with pytest.raises(PatentNumberError) as raised:
        parse_pct_application_number(f"PCT/CN{date.today().year + 2}/000001")
    assert raised.value.code == "invalid_year"


# input, canonical, display, year, serial, kind, legacy
VALID_WO = [
    ("WO2010003367A1", "WO2010003367A1", "WO 2010/003367 A1", 2010, "003367", "A1", False),
    ("WO 2024/123456 A1", "WO2024123456A1", "WO 2024/123456 A1", 2024, "123456", "A1", False),
    # More spellings and kinds.
    ("WO 2004/123456", "WO2004123456", "WO 2004/123456", 2004, "123456", None, False),
    ("WO/2010/003367", "WO2010003367", "WO 2010/003367", 2010, "003367", None, False),
    ("wo2010003367a2", "WO2010003367A2", "WO 2010/003367 A2", 2010, "003367", "A2", False),
    ("WO2010003367A3", "WO2010003367A3", "WO 2010/003367 A3", 2010, "003367", "A3", False),
    ("WO2010003367A4", "WO2010003367A4", "WO 2010/003367 A4", 2010, "003367", "A4", False),
    ("WO2010003367A8", "WO2010003367A8", "WO 2010/003367 A8", 2010, "003367", "A8", False),
    ("WO2010003367A9", "WO2010003367A9", "WO 2010/003367 A9", 2010, "003367", "A9", False),
    # History (docs/domain/patent-numbers.md §3): WOyynnnnn until 2002-06-30, WOyynnnnnn
    # until 2003-12-31.
    ("WO9912345A1", "WO1999012345A1", "WO 1999/012345 A1", 1999, "012345", "A1", True),
    ("WO 99/12345 A1", "WO1999012345A1", "WO 1999/012345 A1", 1999, "012345", "A1", True),
    ("WO7800001", "WO1978000001", "WO 1978/000001", 1978, "000001", None, True),
    ("WO0212345A2", "WO2002012345A2", "WO 2002/012345 A2", 2002, "012345", "A2", True),
    ("WO02123456A1", "WO2002123456A1", "WO 2002/123456 A1", 2002, "123456", "A1", True),
    ("WO 03/123456 A1", "WO2003123456A1", "WO 2003/123456 A1", 2003, "123456", "A1", True),
    ("WO1999012345A1", "WO1999012345A1", "WO 1999/012345 A1", 1999, "012345", "A1", True),
]


@pytest.mark.parametrize(
    ("text", "canonical", "display", "year", "serial", "kind", "legacy"), VALID_WO
)
def test_valid_wo_publication_numbers(text, canonical, display, year, serial, kind, legacy):
    parsed = parse_wo_publication_number(text)
    assert parsed.canonical == canonical
    assert parsed.display == display
    assert parsed.year == year
    assert parsed.serial == serial
    assert parsed.kind == kind
    assert parsed.legacy is legacy
    assert str(parsed) == canonical


INVALID_WO = [
    ("WO2024/123456A5", "invalid_kind"),
    ("WO2024/12345", "invalid_serial"),
    # More reasons.
    ("WO2024123456B1", "invalid_kind"),
    ("WO202412345", "invalid_length"),
    ("WO20241234567", "invalid_length"),
    ("WO99123456", "invalid_serial"),  # 1999: 5-digit serials
    ("WO0312345", "invalid_serial"),  # 2003: 6-digit serials
    ("WO 99/123456", "invalid_serial"),
    ("WO1999123456", "invalid_serial"),
    ("WO0512345", "invalid_year"),  # from 2004 the year has four digits
    ("WO7712345", "invalid_year"),
    ("WO 205/123456", "invalid_year"),
    ("WO1977012345", "invalid_year"),
    ("W02010003367A1", "invalid_syntax"),  # digit zero for the letter O
    ("WO2010-003367", "invalid_syntax"),
    ("", "empty"),
]


@pytest.mark.parametrize(("text", "code"), INVALID_WO)
def test_invalid_wo_publication_numbers_are_refused_with_their_reason(text, code):
    with pytest.raises(PatentNumberError) as raised:
        parse_wo_publication_number(text)
    assert raised.value.code == code


def test_the_real_pct_and_wo_pair_are_different_numbers():
    pct = parse_pct_application_number("PCT/CN2009/072663")
    wo = parse_wo_publication_number("WO2010003367A1")
    assert (pct.year, pct.serial) == (2009, "072663")
    assert (wo.year, wo.serial) == (2010, "003367")


# --------------------------------------------------------------------------------------------
# Search box
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("201910209152.5", "application", "201910209152.5"),
        ("ZL 201910209152.5", "application", "201910209152.5"),
        ("CN201910209152.5", "application", "201910209152.5"),
        ("201910209152", "application", "201910209152.5"),  # check computed
        ("95115608.x", "application", "95115608.X"),
        ("85100001", "application", "85100001"),
        ("CN109918572B", "publication", "CN109918572B"),
        ("cn 1157005 c", "publication", "CN1157005C"),
        ("CN85100001A", "publication", "CN85100001A"),
        ("PCT/CN2009/072663", "pct", "PCT/CN2009/072663"),
        ("PCT/CN99/00123", "pct", "PCT/CN99/00123"),
        ("WO 2010/003367 A1", "wo", "WO2010003367A1"),
        ("WO2010003367", "wo", "WO2010003367"),
    ],
)
def test_identify_number(text, kind, canonical):
    assert identify_number(text) == (kind, canonical)


@pytest.mark.parametrize(
    ("text", "closest"),
    [
        ("201910209152.4", "invalid_check"),
        ("ZL201940209152.1", "invalid_type"),
        ("CN109918572", "missing_kind"),
        ("CN1157005", "missing_kind"),
        ("CN951156084", "invalid_check"),
        ("CN106484685U", "kind_type_mismatch"),
        ("US10648468B2", "not_cn"),
        ("PCT/C2023/123456", "invalid_office"),
        ("WO2024/123456A5", "invalid_kind"),
        ("lithium battery", None),
        ("H01M 10/0525", None),
    ],
)
def test_identify_number_refuses_unrecognised_text_and_names_the_closest_reason(text, closest):
    with pytest.raises(PatentNumberError) as raised:
        identify_number(text)
    assert raised.value.code == "unrecognised_number"
    found = raised.value.closest
    assert (found.code if found else None) == closest


def test_identify_number_refuses_blank_input():
    with pytest.raises(PatentNumberError) as raised:
        identify_number("  ")
    assert raised.value.code == "empty"


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------


def test_a_wrong_check_message_names_the_value_and_the_expected_character():
    with translation.override("en"), pytest.raises(PatentNumberError) as raised:
        parse_application_number(" 201910209152.4 ")
    message = str(raised.value.message)
    assert "“201910209152.4”" in message
    assert "for these digits it is 5" in message
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_application_number, "20191020915.5"),
        (parse_application_number, "2019102091X2.5"),
        (parse_application_number, "199910209152.7"),
        (parse_application_number, "201940209152.1"),
        (parse_application_number, "85100001.X"),
        (parse_publication_number, "CN106484685U"),
        (parse_publication_number, "CN10648468A"),
        (parse_publication_number, "US10648468B2"),
        (parse_publication_number, "CN1157005C1"),
        (parse_pct_application_number, "PCT/C2023/123456"),
        (parse_pct_application_number, "PCT/CN2023/12345"),
        (parse_wo_publication_number, "WO2024/123456A5"),
        (parse_wo_publication_number, "WO2024/12345"),
        (identify_number, "lithium battery"),
    ],
)
def test_messages_name_the_offending_value(parse, text):
    with translation.override("en"), pytest.raises(PatentNumberError) as raised:
        parse(text)
    assert f"“{text}”" in str(raised.value.message)


def test_kind_type_mismatch_message_names_the_type():
    with translation.override("en"), pytest.raises(PatentNumberError) as raised:
        parse_publication_number("CN106484685U")
    assert "1 means invention" in str(raised.value.message)
    assert "kind code U" in str(raised.value.message)
