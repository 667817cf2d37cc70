"""IPC normalisation and validation: docs/domain/ipc-symbols.md §2, every vector."""

import pytest
from django.utils import translation

from patents.reference.ipc import IpcSymbolError, normalise_ipc, parse_ipc, symbol_from_key

# input, canonical, key, level  (docs/domain/ipc-symbols.md §2, valid as IPC)
VALID = [
    ("H01M 10/0525", "H01M 10/0525", "H01M0010052500", "subgroup"),
    ("h01m10/0525", "H01M 10/0525", "H01M0010052500", "subgroup"),
    ("H01M 010/0525", "H01M 10/0525", "H01M0010052500", "subgroup"),
    ("H01M10/0525(2010.01)I", "H01M 10/0525", "H01M0010052500", "subgroup"),
    ("H01M 10/05250", "H01M 10/0525", "H01M0010052500", "subgroup"),
    ("A61F 5/58", "A61F 5/58", "A61F0005580000", "subgroup"),
    ("G06F 40/58", "G06F 40/58", "G06F0040580000", "subgroup"),
    ("A01B 1/00", "A01B 1/00", "A01B0001000000", "main_group"),
    ("H01M", "H01M", "H01M", "subclass"),
    ("H01", "H01", "H01", "class"),
    ("H", "H", "H", "section"),
]

# input, key, reason: invalid as IPC, valid as CPC (docs/domain/ipc-symbols.md §2)
CPC_ONLY = [
    ("Y02E 10/50", "Y02E0010500000"),
    ("H01L 2224/73265", "H01L2224732650"),
]

# input, code (docs/domain/ipc-symbols.md §2, invalid rows)
INVALID = [
    ("I01M 10/0525", "invalid_section"),
    ("H1M 10/0525", "invalid_class"),
    ("H01M 10/5", "invalid_subgroup"),
]


@pytest.mark.parametrize(("text", "canonical", "key", "level"), VALID)
def test_valid_symbols_normalise_to_the_canonical_form_and_key(text, canonical, key, level):
    symbol = parse_ipc(text)
    assert symbol.symbol == canonical
    assert symbol.key == key
    assert symbol.level == level
    assert normalise_ipc(text) == canonical


@pytest.mark.parametrize(("text", "key"), CPC_ONLY)
def test_cpc_only_symbols_are_refused_as_ipc_and_accepted_as_cpc(text, key):
    with pytest.raises(IpcSymbolError) as raised:
        parse_ipc(text)
    assert raised.value.code == "cpc_only"
    assert parse_ipc(text, scheme="cpc").key == key


@pytest.mark.parametrize(("text", "code"), INVALID)
def test_invalid_symbols_are_refused_with_their_reason(text, code):
    with pytest.raises(IpcSymbolError) as raised:
        parse_ipc(text)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Ｈ０１Ｍ　１０／０５２５", "H01M 10/0525"),  # full-width (NFKC)
        ("  h01m 10 / 0525 (2006.01) N ", "H01M 10/0525"),  # spaces, version, N
        ("H01M 10/0525 (2006.01)", "H01M 10/0525"),
        ("H01M10/00", "H01M 10/00"),
        ("G01N 33/487", "G01N 33/487"),
    ],
)
def test_other_accepted_spellings(text, canonical):
    assert normalise_ipc(text) == canonical


@pytest.mark.parametrize(
    "text", ["", "   ", "H01M/0525", "10/0525", "H01MX", "H01M 0/00", "H01M 10/1234567"]
)
def test_malformed_spellings_are_refused(text):
    with pytest.raises(IpcSymbolError):
        parse_ipc(text)


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "sections are A to H"), ("zh-hans", "部只能是 A 到 H")]
)
def test_messages_are_in_the_active_language(language, expected):
    with translation.override(language), pytest.raises(IpcSymbolError) as raised:
        parse_ipc("I01M 10/0525")
    assert expected in str(raised.value.message)


def test_keys_sort_in_scheme_order_and_convert_back():
    spellings = [
        "H01M 10/058",
        "H01M 10/0525",
        "H01M 10/05",
        "H01M 10/00",
        "H01M",
        "H01",
        "H",
        "H01M 10/052",
    ]
    keys = sorted(parse_ipc(text).key for text in spellings)
    assert [symbol_from_key(key) for key in keys] == [
        "H",
        "H01",
        "H01M",
        "H01M 10/00",
        "H01M 10/05",
        "H01M 10/052",
        "H01M 10/0525",
        "H01M 10/058",
    ]


def test_parent_by_syntax_stops_at_the_main_group():
    assert parse_ipc("H01M 10/0525").parent_key == "H01M0010000000"
    assert parse_ipc("H01M 10/00").parent_key == "H01M"
    assert parse_ipc("H01M").parent_key == "H01"
    assert parse_ipc("H01").parent_key == "H"
    assert parse_ipc("H").parent_key is None
