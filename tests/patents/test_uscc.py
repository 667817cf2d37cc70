"""Unified social credit codes: docs/domain/uscc.md, every example in §3."""

import pytest
from django.utils import translation
from django.utils.functional import Promise

from patents.register.uscc import (
    ALPHABET,
    WEIGHTS,
    Uscc,
    UsccError,
    check_character,
    normalise_uscc,
    organisation_check_character,
    parse_uscc,
)

# input, canonical (docs/domain/uscc.md §3, valid rows)
VALID = [
    ("12100000425006117P", "12100000425006117P"),  # Fudan University
    ("914403001922038216", "914403001922038216"),
    ("9144030071526726XG", "9144030071526726XG"),
    ("91440300708461136T", "91440300708461136T"),
    ("91110108551385082Q", "91110108551385082Q"),
    ("9112011656269768XB", "9112011656269768XB"),
    ("91310000631696382C", "91310000631696382C"),
    ("91310115MA1K3BTP2B", "91310115MA1K3BTP2B"),
    ("9144030071526726xg", "9144030071526726XG"),  # lower case
    ("91 440300 71526726X G", "9144030071526726XG"),  # spaces
    ("Y1310115MA1K3BTP2M", "Y1310115MA1K3BTP2M"),  # synthetic, authority Y
]

# input, code, text the message must contain (docs/domain/uscc.md §3, invalid rows)
INVALID = [
    ("914403001922038217", "invalid_check", "“6”"),
    ("12100000425006117Q", "invalid_check", "“P”"),
    ("91110108717809965C", "invalid_check", "“J”"),  # Baidu mock data
    ("9133010057462616XH", "invalid_check", "“9”"),  # Alibaba Cloud mock data
    ("9111000060003IOZSV", "invalid_character", "IOZSV"),
    ("12345", "invalid_length", "has 5"),
    ("12100000425010480Y", "invalid_check", "“N”"),  # the remembered SJTU code: wrong
]


@pytest.mark.parametrize(("text", "canonical"), VALID)
def test_valid_codes_normalise_to_the_canonical_form(text, canonical):
    assert normalise_uscc(text) == canonical
    assert parse_uscc(text).code == canonical


@pytest.mark.parametrize(("text", "canonical"), VALID)
def test_valid_codes_also_pass_the_gb_11714_organisation_check(text, canonical):
    uscc = parse_uscc(text, check_organisation_code=True)
    assert uscc.organisation_code_is_valid
    assert normalise_uscc(text, check_organisation_code=True) == canonical


@pytest.mark.parametrize(("text", "code", "fragment"), INVALID)
def test_invalid_codes_are_refused_with_their_reason(text, code, fragment):
    with translation.override("en"):
        with pytest.raises(UsccError) as raised:
            normalise_uscc(text)
        assert raised.value.code == code
        assert fragment in str(raised.value.message)  # lazy: read in the active language
    assert isinstance(raised.value, ValueError)


def test_fudan_check_arithmetic_matches_domain():
    code = "12100000425006117P"
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(code[:17], WEIGHTS, strict=True)
    )
    assert total == 659
    assert total % 31 == 8
    assert check_character(code[:17]) == "P"
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)


def test_parse_splits_the_fields():
    assert parse_uscc("12100000425006117P") == Uscc(
        code="12100000425006117P",
        authority="1",
        category="2",
        region_code="100000",
        organisation_code="425006117",
    )
    pudong = parse_uscc("91310115MA1K3BTP2B")
    assert (pudong.authority, pudong.category, pudong.region_code) == ("9", "1", "310115")
    assert pudong.organisation_code == "MA1K3BTP2"
    assert pudong.province_code == "310000"
    assert pudong.check_character == "B"
    assert str(pudong) == "91310115MA1K3BTP2B"
    assert parse_uscc("12100000425006117P").organisation_code_display == "42500611-7"


@pytest.mark.parametrize("authority", list("123456789ANY"))
def test_every_authority_is_accepted(authority):
    body = f"{authority}1310115MA1K3BTP2"
    code = body + check_character(body)
    assert normalise_uscc(code) == code
    assert parse_uscc(code).authority == authority


@pytest.mark.parametrize("authority", ["0", "B", "C", "M", "X"])
def test_other_first_characters_are_refused(authority):
    body = f"{authority}1310115MA1K3BTP2"
    code = body + check_character(body)
    with pytest.raises(UsccError) as raised:
        parse_uscc(code)
    assert raised.value.code == "invalid_authority"
    assert f"“{authority}”" in str(raised.value.message)


def test_village_collective_n2_is_accepted():
    body = "N2310115MA1K3BTP2"
    code = body + check_character(body)
    assert parse_uscc(code.lower()).authority == "N"


@pytest.mark.parametrize(
    "text",
    [
        "９１４４０３００１９２２０３８２１６",  # full-width digits (NFKC)
        "\t914403001922038216\n",
        "9144 0300 1922 0382 16",
        "914403001922038216\u3000",  # ideographic space
    ],
)
def test_other_accepted_spellings(text):
    assert normalise_uscc(text) == "914403001922038216"


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_input_is_refused(text):
    with pytest.raises(UsccError) as raised:
        parse_uscc(text)
    assert raised.value.code == "empty"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("9144030019220382166", "invalid_length"),
        ("91440300192203821", "invalid_length"),
        ("91440300-1922038216", "invalid_length"),  # the length is checked first
        ("9144030019220-8216", "invalid_character"),
        ("91440300192203821O", "invalid_character"),
    ],
)
def test_malformed_codes_are_refused(text, code):
    with pytest.raises(UsccError) as raised:
        parse_uscc(text)
    assert raised.value.code == code


def test_gb_11714_check_is_optional():
    # A synthetic code whose GB 32100 check is right but whose organisation code is not.
    body = "9131000063169638" + "3"
    code = body + check_character(body)
    uscc = parse_uscc(code)
    assert not uscc.organisation_code_is_valid
    with translation.override("en"), pytest.raises(UsccError) as raised:
        parse_uscc(code, check_organisation_code=True)
    assert raised.value.code == "invalid_organisation_code"
    assert "“2”" in str(raised.value.message)


def test_gb_11714_check_character():
    assert organisation_check_character("42500611") == "7"
    assert organisation_check_character("71526726") == "X"
    assert organisation_check_character("MA1K3BTP") == "2"
    assert organisation_check_character("4250061") is None
    assert organisation_check_character("4250061!") is None


def test_baidu_mock_code_is_refused_on_the_main_check_even_when_strict():
    with pytest.raises(UsccError) as raised:
        parse_uscc("91110108717809965C", check_organisation_code=True)
    assert raised.value.code == "invalid_check"
    assert not Uscc(
        code="91110108717809965J",
        authority="9",
        category="1",
        region_code="110108",
        organisation_code="717809965",
    ).organisation_code_is_valid


def test_uscc_is_frozen():
    uscc = parse_uscc("914403001922038216")
    with pytest.raises(AttributeError):
        uscc.code = "x"  # type: ignore[misc]


def test_messages_are_lazy_and_follow_the_active_language():
    with pytest.raises(UsccError) as raised:
        parse_uscc("914403001922038217")
    message = raised.value.message
    assert isinstance(message, Promise)
    with translation.override("en"):
        assert str(message) == (
            "“914403001922038217” is not a valid unified social credit code: the last "
            "character should be “6”, not “7”. Check for a typo."
        )
    with translation.override("zh-hans"):
        assert "6" in str(message)
