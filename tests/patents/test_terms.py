"""Patent term, annual fees, grace period and lapse: docs/domain/term-and-fees.md, every vector."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.functional import Promise

from patents.register.terms import (
    FeePaymentStatus,
    TermError,
    add_months,
    classify_fee_payment,
    fee_due_date,
    grace_period_end,
    last_day_in_force,
    patent_year,
    term_years,
    termination_date,
)

# filing date, type, extension days, termination date, last day in force
# (docs/domain/term-and-fees.md §1)
TERM = [
    (date(1999, 9, 6), "utility_model", 0, date(2009, 9, 6), date(2009, 9, 5)),
    (date(2014, 8, 26), "invention", 0, date(2034, 8, 26), date(2034, 8, 25)),
    (date(2021, 5, 31), "design", 0, date(2031, 5, 31), date(2031, 5, 30)),
    (date(2021, 6, 1), "design", 0, date(2036, 6, 1), date(2036, 5, 31)),
    (date(2008, 2, 29), "invention", 0, date(2028, 2, 29), date(2028, 2, 28)),
    (date(2012, 2, 29), "utility_model", 0, date(2022, 2, 28), date(2022, 2, 27)),
    (date(2015, 3, 10), "invention", 100, date(2035, 6, 18), date(2035, 6, 17)),
]

# due date 2002-06-03 (filing 1997-06-03, year 6), payment date, status, late fee %
# (docs/domain/term-and-fees.md §2)
DUE = date(2002, 6, 3)
PAID = [
    (date(2002, 6, 3), "on_time", 0),
    (date(2002, 7, 3), "in_grace", 0),
    (date(2002, 7, 4), "in_grace", 5),
    (date(2002, 8, 3), "in_grace", 5),
    (date(2002, 8, 4), "in_grace", 10),
    (date(2002, 12, 3), "in_grace", 25),
]

# filing date, date, patent year (docs/domain/term-and-fees.md §2)
PATENT_YEAR = [
    (date(1997, 6, 3), date(2002, 6, 2), 5),
    (date(1997, 6, 3), date(2002, 6, 3), 6),
    (date(1999, 6, 1), date(1999, 6, 1), 1),
    (date(1999, 6, 1), date(2000, 5, 31), 1),
    (date(1999, 6, 1), date(2000, 6, 1), 2),
    (date(1999, 6, 1), date(2001, 5, 31), 2),
    (date(2008, 2, 29), date(2009, 2, 27), 1),
    (date(2008, 2, 29), date(2009, 2, 28), 2),  # Rule 5: last day of February
    (date(2008, 2, 29), date(2012, 2, 28), 4),
    (date(2008, 2, 29), date(2012, 2, 29), 5),
]


@pytest.mark.parametrize(("filing", "patent_type", "extension", "termination", "last_day"), TERM)
def test_termination_date_and_last_day_in_force(
    filing, patent_type, extension, termination, last_day
):
    assert termination_date(patent_type, filing, extension) == termination
    assert termination_date(patent_type, filing, term_extension_days=extension) == termination
    assert last_day_in_force(patent_type, filing, extension) == last_day


@pytest.mark.parametrize(
    ("patent_type", "filing", "years"),
    [
        ("invention", date(2014, 8, 26), 20),
        ("utility_model", date(1999, 9, 6), 10),
        ("design", date(2021, 5, 31), 10),
        ("design", date(2021, 6, 1), 15),
        ("design", date(2000, 1, 1), 10),
        ("invention", date(2025, 1, 1), 20),
    ],
)
def test_term_years(patent_type, filing, years):
    assert term_years(patent_type, filing) == years


@pytest.mark.parametrize(("paid_on", "status", "late_fee"), PAID)
def test_payment_is_classified_by_the_grace_bands(paid_on, status, late_fee):
    result = classify_fee_payment(DUE, paid_on=paid_on)
    assert result.status == status
    assert result.late_fee_percent == late_fee
    assert result.paid
    assert result.in_force
    assert result.termination_date is None
    assert result.due_date == DUE
    assert result.grace_period_end == date(2002, 12, 3)


def test_unpaid_after_the_grace_period_lapses_as_from_the_due_date():
    assert classify_fee_payment(DUE, on=date(2002, 12, 4)) == FeePaymentStatus(
        status="lapsed",
        due_date=DUE,
        grace_period_end=date(2002, 12, 3),
        paid=False,
        late_fee_percent=None,
        months_late=None,
        termination_date=date(2002, 6, 3),
    )
    assert not classify_fee_payment(DUE, on=date(2002, 12, 4)).in_force


def test_guidelines_example_year_6_fee_due_date():
    assert fee_due_date(date(1997, 6, 3), 6) == DUE
    assert fee_due_date(date(1997, 6, 3), 1) == date(1997, 6, 3)


@pytest.mark.parametrize(("filing", "on", "year"), PATENT_YEAR)
def test_patent_year(filing, on, year):
    assert patent_year(filing, on) == year


@pytest.mark.parametrize(
    ("paid_on", "status", "late_fee", "months_late"),
    [
        (date(2002, 1, 1), "on_time", 0, 0),  # early payment
        (date(2002, 6, 4), "in_grace", 0, 1),
        (date(2002, 9, 3), "in_grace", 10, 3),
        (date(2002, 9, 4), "in_grace", 15, 4),
        (date(2002, 10, 3), "in_grace", 15, 4),
        (date(2002, 10, 4), "in_grace", 20, 5),
        (date(2002, 11, 3), "in_grace", 20, 5),
        (date(2002, 11, 4), "in_grace", 25, 6),
        (date(2002, 12, 4), "lapsed", None, None),  # paid too late: does not save the right
    ],
)
def test_every_band_boundary(paid_on, status, late_fee, months_late):
    result = classify_fee_payment(DUE, paid_on=paid_on)
    assert (result.status, result.late_fee_percent, result.months_late) == (
        status,
        late_fee,
        months_late,
    )


@pytest.mark.parametrize(
    ("on", "status", "late_fee"),
    [
        (date(2002, 6, 3), "on_time", 0),  # still payable without a late fee
        (date(2002, 7, 3), "in_grace", 0),
        (date(2002, 7, 4), "in_grace", 5),
        (date(2002, 12, 3), "in_grace", 25),
        (date(2002, 12, 4), "lapsed", None),
    ],
)
def test_unpaid_fee_on_a_date(on, status, late_fee):
    result = classify_fee_payment(DUE, on=on)
    assert (result.status, result.late_fee_percent, result.paid) == (status, late_fee, False)


def test_payment_after_the_reference_date_counts_as_unpaid_then():
    result = classify_fee_payment(DUE, paid_on=date(2002, 8, 1), on=date(2002, 7, 10))
    assert (result.status, result.late_fee_percent, result.paid) == ("in_grace", 5, False)
    result = classify_fee_payment(DUE, paid_on=date(2002, 8, 1), on=date(2002, 8, 1))
    assert (result.status, result.late_fee_percent, result.paid) == ("in_grace", 5, True)


def test_month_ends_are_clamped_from_the_due_day():
    due = date(2003, 8, 31)
    assert grace_period_end(due) == date(2004, 2, 29)
    assert classify_fee_payment(due, paid_on=date(2003, 9, 30)).late_fee_percent == 0
    assert classify_fee_payment(due, paid_on=date(2003, 10, 1)).late_fee_percent == 5
    assert classify_fee_payment(due, paid_on=date(2003, 10, 31)).late_fee_percent == 5
    assert classify_fee_payment(due, paid_on=date(2003, 11, 1)).late_fee_percent == 10
    assert classify_fee_payment(due, paid_on=date(2004, 2, 29)).status == "in_grace"
    assert classify_fee_payment(due, on=date(2004, 3, 1)).status == "lapsed"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2002, 6, 3), 1, date(2002, 7, 3)),
        (date(2002, 1, 31), 1, date(2002, 2, 28)),
        (date(2004, 1, 31), 1, date(2004, 2, 29)),
        (date(2002, 8, 31), 6, date(2003, 2, 28)),
        (date(2002, 12, 15), 1, date(2003, 1, 15)),
        (date(2003, 1, 15), -1, date(2002, 12, 15)),
        (date(2008, 2, 29), 12, date(2009, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_fee_due_dates_for_a_29_february_filing():
    assert fee_due_date(date(2008, 2, 29), 2) == date(2009, 2, 28)
    assert fee_due_date(date(2008, 2, 29), 5) == date(2012, 2, 29)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: term_years("plant_variety", date(2020, 1, 1)), "unknown_patent_type"),
        (lambda: termination_date("invention", date(2020, 1, 1), -1), "negative_extension"),
        (lambda: patent_year(date(2020, 1, 2), date(2020, 1, 1)), "before_filing"),
        (lambda: fee_due_date(date(2020, 1, 1), 0), "invalid_year_number"),
        (lambda: classify_fee_payment(DUE), "missing_date"),
    ],
)
def test_errors_have_stable_codes_and_lazy_messages(call, code):
    with pytest.raises(TermError) as raised:
        call()
    assert raised.value.code == code
    assert isinstance(raised.value.message, Promise)
    assert isinstance(raised.value, ValueError)


def test_error_message_is_translated_when_shown():
    with pytest.raises(TermError) as raised:
        term_years("plant_variety", date(2020, 1, 1))
    with translation.override("en"):
        assert str(raised.value.message) == (
            "“plant_variety” is not a patent type: use invention, utility_model or design."
        )
    with translation.override("zh-hans"):
        assert str(raised.value.message).startswith("“plant_variety”不是专利类型")


def test_result_is_frozen():
    result = classify_fee_payment(DUE, paid_on=DUE)
    with pytest.raises(AttributeError):
        result.status = "lapsed"  # type: ignore[misc]
