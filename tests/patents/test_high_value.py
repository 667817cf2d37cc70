"""High-value invention patents: docs/domain/high-value-patents.md §1, every vector."""

import pickle
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.functional import Promise

from patents.register.high_value import (
    CATEGORIES,
    CATEGORY_LABELS,
    HighValueFacts,
    HighValueResult,
    evaluate_high_value,
    match_sei_prefix,
)

ON = date(2023, 12, 31)
SEI = frozenset({"H01M 10/05", "G06F40*", "G06N 3/04"})
BASE = HighValueFacts(
    patent_type="invention",
    legal_status="in_force",
    filing_date=date(2020, 5, 1),
    ipc_codes=("A01B 1/00",),
    has_foreign_grant=False,
    has_award=False,
    max_pledge_amount=None,
)
ALL = replace(
    BASE,
    filing_date=date(2012, 3, 1),
    ipc_codes=("H01M 10/0525",),
    has_foreign_grant=True,
    has_award=True,
    max_pledge_amount=Decimal("5000000"),
)


def evaluate(facts, **kwargs):
    kwargs.setdefault("on", ON)
    kwargs.setdefault("pledge_threshold", Decimal("1000000"))
    kwargs.setdefault("sei_ipc_prefixes", SEI)
    return evaluate_high_value(facts, **kwargs)


# facts, high-value?, categories met (docs/domain/high-value-patents.md §1)
VECTORS = [
    pytest.param(
        replace(BASE, ipc_codes=("H01M 10/0525",)),
        True,
        ("strategic_emerging_industry",),
        id="in force, IPC in the SEI table: cat 1",
    ),
    pytest.param(
        replace(BASE, has_foreign_grant=True),
        True,
        ("foreign_family_grant",),
        id="in force, US family member granted: cat 2",
    ),
    pytest.param(
        replace(BASE, has_foreign_grant=False),
        False,
        (),
        id="in force, only a PCT application: not cat 2",
    ),
    pytest.param(
        replace(BASE, filing_date=date(2012, 3, 1)),
        True,
        ("maintained_over_10_years",),
        id="filed 2012-03-01, in force 2023-12-31: cat 3",
    ),
    pytest.param(
        replace(BASE, filing_date=date(2014, 1, 2)),
        False,
        (),
        id="filed 2014-01-02, in force 2023-12-31: not cat 3",
    ),
    pytest.param(
        replace(ALL, patent_type="utility_model"),
        False,
        (),
        id="utility model meeting every condition: never",
    ),
    pytest.param(
        replace(ALL, patent_type="design"),
        False,
        (),
        id="design meeting every condition: never",
    ),
    pytest.param(
        replace(ALL, legal_status="lapsed"),
        False,
        (),
        id="invention lapsed for non-payment: never",
    ),
]


@pytest.mark.parametrize(("facts", "high_value", "categories"), VECTORS)
def test_domain_vectors(facts, high_value, categories):
    result = evaluate(facts)
    assert result.is_high_value is high_value
    assert result.categories == categories
    assert tuple(category for category, _ in result.reasons) == categories


@pytest.mark.parametrize(
    ("status", "eligible"),
    [
        ("pending", False),
        ("in_force", True),
        ("in_grace_period", True),  # still in force (docs/domain/term-and-fees.md §2)
        ("lapsed", False),
        ("expired", False),
        ("invalidated", False),
        ("withdrawn", False),
        ("rejected", False),
    ],
)
def test_only_patents_in_force_qualify(status, eligible):
    result = evaluate(replace(ALL, legal_status=status))
    assert result.is_high_value is eligible
    assert result.categories == (CATEGORIES if eligible else ())


def test_every_category_at_once_in_the_official_order():
    result = evaluate(ALL)
    assert result == HighValueResult(
        strategic_emerging_industry=True,
        foreign_family_grant=True,
        maintained_over_10_years=True,
        high_pledge_amount=True,
        award=True,
        reasons=result.reasons,
    )
    assert [category for category, _ in result.reasons] == list(CATEGORIES)


def test_nothing_met_is_not_high_value():
    result = evaluate(BASE)
    assert result == HighValueResult()
    assert not result.is_high_value
    assert result.reasons == ()


@pytest.mark.parametrize(
    ("filing", "on", "maintained"),
    [
        (date(2012, 3, 1), date(2023, 12, 31), True),
        (date(2014, 1, 2), date(2023, 12, 31), False),
        (date(2014, 1, 2), date(2024, 1, 1), False),  # last day of year 10
        (date(2014, 1, 2), date(2024, 1, 2), True),  # first day of year 11
        (date(2008, 2, 29), date(2018, 2, 27), False),
        (date(2008, 2, 29), date(2018, 2, 28), True),
        (date(2030, 1, 1), date(2023, 12, 31), False),  # reference date before filing
    ],
)
def test_maintained_over_10_years_boundary(filing, on, maintained):
    result = evaluate(replace(BASE, filing_date=filing), on=on)
    assert result.maintained_over_10_years is maintained


@pytest.mark.parametrize(
    ("amount", "threshold", "met"),
    [
        (Decimal("1000000"), Decimal("1000000"), True),  # reaches it
        (Decimal("1000000.01"), Decimal("1000000"), True),
        (Decimal("999999.99"), Decimal("1000000"), False),
        (None, Decimal("1000000"), False),
        (Decimal("99999999"), None, False),  # no threshold configured: never
        (None, None, False),
    ],
)
def test_pledge_category_needs_a_configured_threshold(amount, threshold, met):
    result = evaluate(replace(BASE, max_pledge_amount=amount), pledge_threshold=threshold)
    assert result.high_pledge_amount is met
    assert result.is_high_value is met


def test_award_category():
    result = evaluate(replace(BASE, has_award=True))
    assert result.award
    assert result.categories == ("award",)


@pytest.mark.parametrize(
    ("codes", "prefixes", "match"),
    [
        (("H01M 10/0525",), {"H01M"}, ("H01M 10/0525", "H01M")),
        (("H01M 10/0525",), {"H01M 10/05"}, ("H01M 10/0525", "H01M 10/05")),
        (("H01M 10/0525",), {"H01M 10/0525"}, ("H01M 10/0525", "H01M 10/0525")),
        (("H01M 10/0525",), {"H01"}, ("H01M 10/0525", "H01")),
        (("H01M 10/0525",), {"H"}, ("H01M 10/0525", "H")),
        (("H01M 10/0525",), {"H01M 10"}, ("H01M 10/0525", "H01M 10")),  # main group
        (("H01M 10/0525",), {"H01M 1"}, None),  # main group 1 is not main group 10
        (("H01M 10/0525",), {"H01M10/05*"}, ("H01M 10/0525", "H01M10/05*")),
        (("G06F 40/58",), {"G06F40*"}, ("G06F 40/58", "G06F40*")),
        (("G06F 4/00",), {"G06F40*"}, None),
        (("H01M 10/0525",), {"H01M 10/06"}, None),
        (("H01M 10/0525",), {"H01L"}, None),
        (("H01M 10/0525",), set(), None),
        (("H01M 10/0525",), {"", "  "}, None),
        ((), {"H01M"}, None),
        (("A01B 1/00", "G06N 3/04"), {"G06N 3/04"}, ("G06N 3/04", "G06N 3/04")),
        (("h01m10/0525",), {"h01m 10/05"}, ("h01m10/0525", "h01m 10/05")),  # not canonical
        (("H01M 10/0525",), {"Ｈ０１Ｍ"}, ("H01M 10/0525", "Ｈ０１Ｍ")),  # full width
        (("not an IPC",), {"H01M"}, None),
    ],
)
def test_sei_prefix_matching(codes, prefixes, match):
    assert match_sei_prefix(codes, frozenset(prefixes)) == match
    result = evaluate(replace(BASE, ipc_codes=codes), sei_ipc_prefixes=frozenset(prefixes))
    assert result.strategic_emerging_industry is (match is not None)


def test_no_sei_prefixes_means_no_sei_category():
    result = evaluate_high_value(
        replace(BASE, ipc_codes=("H01M 10/0525",)), on=ON, pledge_threshold=None
    )
    assert not result.strategic_emerging_industry
    assert not result.is_high_value


def test_reasons_explain_each_category_in_english():
    result = evaluate(ALL)
    with translation.override("en"):
        messages = {category: str(message) for category, message in result.reasons}
    assert messages == {
        "strategic_emerging_industry": (
            "Strategic emerging industry: IPC H01M 10/0525 falls under H01M 10/05 in the "
            "SEI–IPC concordance."
        ),
        "foreign_family_grant": (
            "Patent right abroad: a member of the patent family is granted outside China."
        ),
        "maintained_over_10_years": (
            "Maintained for more than 10 years: filed on 2012-03-01, in patent year 12 on "
            "2023-12-31."
        ),
        "high_pledge_amount": (
            "High pledge financing: 5,000,000 yuan reaches the threshold of 1,000,000 yuan."
        ),
        "award": "Won a State Science and Technology Award or a China Patent Award.",
    }
    assert all(isinstance(message, Promise) for _, message in result.reasons)


def test_category_labels_cover_every_category():
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert all(isinstance(label, Promise) for label in CATEGORY_LABELS.values())


def test_facts_and_result_are_frozen():
    with pytest.raises(AttributeError):
        BASE.legal_status = "lapsed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        evaluate(ALL).award = False


def test_reasons_survive_pickling_and_stay_lazy():
    result = pickle.loads(pickle.dumps(evaluate(ALL)))  # noqa: S301 - our own data
    with translation.override("en"):
        assert str(result.reasons[2][1]).startswith("Maintained for more than 10 years")
