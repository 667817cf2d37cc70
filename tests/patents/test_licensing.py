"""Licensing rules (patents.licensing.rules): every vector of docs/domain/ (licensing)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from patents.licensing.rules import (
    LicenceFact,
    OpenLicenceTerms,
    PatentFacts,
    Period,
    PledgeFact,
    effective_fee_reduction,
    new_licence_check,
    open_licence_eligibility,
    pledge_check,
    recordation_check,
    recordation_deadline,
)

ON = date(2025, 1, 1)
GRANTED = PatentFacts(patent_type="invention", granted=True, expiry_date=date(2035, 5, 1))
TERMS = OpenLicenceTerms(
    pricing_mode="royalty_net_sales",
    royalty_rate=Decimal("3"),
    period=Period(date(2025, 1, 1), date(2030, 12, 31)),
)


def eligibility(patent=GRANTED, terms=TERMS):
    return open_licence_eligibility(patent, terms, on=ON)


# --- open licence declarations (docs/domain/open-licensing.md §2) -------------------------
def test_a_granted_invention_with_royalty_terms_is_eligible():
    result = eligibility()
    assert result.ok
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("patent", "terms", "code"),
    [
        (replace(GRANTED, granted=False), TERMS, "not_granted"),
        (
            replace(
                GRANTED,
                licences=[LicenceFact("exclusive", Period(date(2024, 7, 1), date(2026, 6, 30)))],
            ),
            TERMS,
            "exclusive_licence_in_force",
        ),
        (
            replace(GRANTED, licences=[LicenceFact("sole", Period(date(2024, 1, 1)))]),
            TERMS,
            "exclusive_licence_in_force",
        ),
        (replace(GRANTED, pledges=[PledgeFact()]), TERMS, "pledged_without_consent"),
        (replace(GRANTED, proceedings_suspended=True), TERMS, "proceedings_suspended"),
        (replace(GRANTED, fee_status="in_grace_period"), TERMS, "annual_fee_unpaid"),
        (replace(GRANTED, patent_type="utility_model"), TERMS, "evaluation_report_missing"),
        (replace(GRANTED, patent_type="design"), TERMS, "evaluation_report_missing"),
        (GRANTED, replace(TERMS, pricing_mode=None), "royalty_terms_missing"),
        (GRANTED, replace(TERMS, royalty_rate=None), "royalty_terms_missing"),
        (GRANTED, replace(TERMS, period=None), "licence_period_missing"),
        (
            GRANTED,
            replace(TERMS, period=Period(date(2025, 1, 1), date(2036, 1, 1))),
            "period_beyond_term",
        ),
        (replace(GRANTED, co_owners=2, co_owners_consenting=1), TERMS, "co_owner_consent_missing"),
    ],
)
def test_each_blocking_situation_is_refused_with_its_code(patent, terms, code):
    result = eligibility(patent, terms)
    assert result.codes == [code]


def test_an_ordinary_licence_or_a_consenting_pledgee_does_not_block():
    patent = replace(
        GRANTED,
        licences=[LicenceFact("ordinary", Period(date(2024, 1, 1), date(2027, 1, 1)))],
        pledges=[PledgeFact(pledgee_consents_to_licensing=True)],
    )
    assert eligibility(patent).ok


def test_an_exclusive_licence_that_ended_does_not_block():
    ended = LicenceFact("exclusive", Period(date(2020, 1, 1), date(2024, 6, 30)))
    assert eligibility(replace(GRANTED, licences=[ended])).ok


def test_a_utility_model_with_its_evaluation_report_is_eligible():
    assert eligibility(replace(GRANTED, patent_type="utility_model", has_evaluation_report=True)).ok


def test_every_blocking_reason_is_reported_at_once():
    patent = replace(
        GRANTED,
        granted=False,
        patent_type="design",
        fee_status="in_grace_period",
        pledges=[PledgeFact()],
    )
    result = eligibility(patent, replace(TERMS, pricing_mode=None, period=None))
    assert set(result.codes) == {
        "not_granted",
        "pledged_without_consent",
        "annual_fee_unpaid",
        "evaluation_report_missing",
        "royalty_terms_missing",
        "licence_period_missing",
    }
    assert all(problem.basis for problem in result.errors)


def test_a_fixed_fee_above_cnipa_guidance_is_a_warning_not_an_error():
    terms = OpenLicenceTerms(
        pricing_mode="lump_sum", fixed_fee=Decimal("30000000"), period=TERMS.period
    )
    result = eligibility(terms=terms)
    assert result.ok
    assert [w.code for w in result.warnings] == ["fixed_fee_above_guidance"]


def test_a_royalty_rate_above_guidance_is_a_warning():
    result = eligibility(terms=replace(TERMS, royalty_rate=Decimal("25")))
    assert result.ok
    assert [w.code for w in result.warnings] == ["royalty_rate_above_guidance"]
    profit = replace(TERMS, pricing_mode="royalty_profit", royalty_rate=Decimal("25"))
    assert eligibility(terms=profit).warnings == ()


def test_messages_are_translated_when_shown():
    problem = eligibility(replace(GRANTED, granted=False)).errors[0]
    with translation.override("en"):
        assert str(problem.message) == "Only a granted patent can be declared for open licensing."
    with translation.override("zh-hans"):
        assert "授权" in str(problem.message)


# --- Art. 51 and overlaps (docs/domain/licences-and-recordation.md §1) -------------------
UNDER_OPEN_LICENCE = replace(GRANTED, open_licence_in_force=True)
PERIOD = Period(date(2025, 3, 1), date(2028, 2, 28))


@pytest.mark.parametrize("kind", ["exclusive", "sole"])
def test_no_exclusive_or_sole_licence_while_an_open_licence_is_in_force(kind):
    assert new_licence_check(UNDER_OPEN_LICENCE, kind, PERIOD, on=ON).codes == [
        "open_licence_in_force"
    ]


def test_an_ordinary_licence_may_be_granted_under_an_open_licence():
    assert new_licence_check(UNDER_OPEN_LICENCE, "ordinary", PERIOD, on=ON).ok


def test_withdrawing_the_open_licence_keeps_licences_granted_under_it():
    granted_before = LicenceFact("ordinary", Period(date(2024, 1, 1), date(2029, 1, 1)))
    withdrawn = replace(GRANTED, open_licence_in_force=False, licences=[granted_before])
    assert granted_before.active
    assert new_licence_check(withdrawn, "ordinary", PERIOD, on=ON).ok


@pytest.mark.parametrize(
    ("existing", "new", "conflict"),
    [
        ("exclusive", "ordinary", True),
        ("sole", "ordinary", True),
        ("ordinary", "exclusive", True),
        ("ordinary", "ordinary", False),
    ],
)
def test_overlapping_licences(existing, new, conflict):
    patent = replace(
        GRANTED, licences=[LicenceFact(existing, Period(date(2024, 1, 1), date(2026, 1, 1)))]
    )
    assert (not new_licence_check(patent, new, PERIOD, on=ON).ok) is conflict


def test_licences_that_do_not_overlap_do_not_conflict():
    patent = replace(
        GRANTED, licences=[LicenceFact("exclusive", Period(date(2020, 1, 1), date(2025, 2, 28)))]
    )
    assert new_licence_check(patent, "exclusive", PERIOD, on=ON).ok


# --- recordation (docs/domain/licences-and-recordation.md §2) ---------------------------
def test_recordation_within_three_months_boundary_inclusive():
    assert recordation_deadline(date(2025, 1, 10)) == date(2025, 4, 10)
    on_time = recordation_check(
        GRANTED, "ordinary", PERIOD, effective=date(2025, 1, 10), requested=date(2025, 4, 10)
    )
    assert on_time.ok
    assert on_time.warnings == ()
    late = recordation_check(
        GRANTED, "ordinary", PERIOD, effective=date(2025, 1, 10), requested=date(2025, 4, 11)
    )
    assert late.ok
    assert [w.code for w in late.warnings] == ["recordation_late"]


@pytest.mark.parametrize(
    ("patent", "period", "code"),
    [
        (GRANTED, Period(date(2025, 1, 1), date(2040, 12, 31)), "period_beyond_term"),
        (replace(GRANTED, fee_status="in_grace_period"), PERIOD, "annual_fee_unpaid"),
        (
            replace(
                GRANTED,
                licences=[LicenceFact("exclusive", Period(date(2024, 1, 1), date(2027, 1, 1)))],
            ),
            PERIOD,
            "conflicting_licence",
        ),
        (replace(GRANTED, pledges=[PledgeFact()]), PERIOD, "pledged_without_consent"),
        (replace(GRANTED, terminated=True), PERIOD, "patent_terminated"),
    ],
)
def test_recordation_refusals(patent, period, code):
    result = recordation_check(
        patent, "ordinary", period, effective=date(2025, 1, 10), requested=date(2025, 2, 1)
    )
    assert result.codes == [code]


# --- pledges (docs/domain/pledges.md §2) ------------------------------------------------
def test_a_pledge_inside_the_term_by_the_holder_of_record_is_accepted():
    assert pledge_check(GRANTED, debt_end=date(2030, 1, 1), pledgor_is_holder_of_record=True).ok


@pytest.mark.parametrize(
    ("patent", "debt_end", "holder", "code"),
    [
        (GRANTED, date(2036, 1, 1), True, "debt_beyond_term"),
        (replace(GRANTED, pledges=[PledgeFact()]), date(2030, 1, 1), True, "already_pledged"),
        (
            replace(GRANTED, fee_status="in_grace_period"),
            date(2030, 1, 1),
            True,
            "annual_fee_unpaid",
        ),
        (GRANTED, date(2030, 1, 1), False, "pledgor_not_holder"),
        (
            replace(GRANTED, co_owners=2, co_owners_consenting=1),
            date(2030, 1, 1),
            True,
            "co_owner_consent_missing",
        ),
    ],
)
def test_pledge_refusals(patent, debt_end, holder, code):
    result = pledge_check(patent, debt_end=debt_end, pledgor_is_holder_of_record=holder)
    assert result.codes == [code]


# --- fee reduction (docs/domain/open-licensing.md §2) ------------------------------------
def test_fee_reductions_do_not_stack():
    assert effective_fee_reduction(Decimal("85"), open_licence=True) == Decimal("85")
    assert effective_fee_reduction(Decimal("0"), open_licence=True) == Decimal("15")
    assert effective_fee_reduction(Decimal("70"), open_licence=False) == Decimal("70")


def test_a_conflict_names_the_existing_licence_kind_in_the_readers_language():
    patent = replace(GRANTED, licences=[LicenceFact("exclusive", Period(date(2024, 1, 1)))])
    problem = new_licence_check(patent, "ordinary", PERIOD, on=ON).errors[0]
    with translation.override("en"):
        assert str(problem.message) == "It overlaps an existing exclusive licence from 2024-01-01."
    with translation.override("zh-hans"):
        assert str(problem.message) == "与自 2024-01-01 起的现有独占许可在期限上重叠。"
