"""Patent term, term extension, annual-fee due dates, grace period and lapse.

docs/domain/term-and-fees.md. Pure functions on ``datetime.date``, no database.

- Term (5.1): invention 20 years, utility model 10, design 15 if filed on or after
  2021-06-01 else 10, counted from the actual Chinese filing date.
  ``termination_date = filing_date + term + term_extension_days`` (期满终止日, not moved
  for holidays) and ``last_day_in_force = termination_date - 1 day``.
- A date that does not exist in the target month (29 February in a common year, 31st in a
  30-day month) becomes the last day of that month (Rule 5).
- Patent years (5.2) run from the filing date; the fee for year k is due on
  ``filing_date + (k - 1) years``. The grace period is 6 months, with a late fee of 5 % of
  the year's fee per started month after the first ("one month late" means the same day
  number in the next month). Unpaid at the end of the grace period, the right terminates
  as from the due date.

Deadlines here are calendar dates: Rule 5 moves a fee deadline that falls on a statutory
holiday to the next working day, which needs a holiday calendar this module does not have.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format

PatentType = Literal["invention", "utility_model", "design"]
FeeStatus = Literal["on_time", "in_grace", "lapsed"]

PATENT_TYPES: tuple[PatentType, ...] = ("invention", "utility_model", "design")
DESIGN_15_YEARS_FROM = date(2021, 6, 1)  # Patent Law 2020 in force; design term 10 -> 15
GRACE_PERIOD_MONTHS = 6
LATE_FEE_PERCENT_PER_MONTH = 5
LATE_FEE_BANDS = (0, 5, 10, 15, 20, 25)  # paid up to 1, 2, ... 6 months late


class TermError(ValueError):
    """Arguments the term rules cannot apply to; ``code`` is stable, ``message`` translated."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


def add_months(start: date, months: int) -> date:
    """Same day number ``months`` later (or earlier), clamped to the end of the month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """Same day and month ``years`` later; 29 February becomes 28 February if needed."""
    return add_months(start, 12 * years)


def term_years(patent_type: str, filing_date: date) -> int:
    """Length of the term in years (docs/domain/term-and-fees.md §1)."""
    if patent_type == "invention":
        return 20
    if patent_type == "utility_model":
        return 10
    if patent_type == "design":
        return 15 if filing_date >= DESIGN_15_YEARS_FROM else 10
    raise TermError(
        "unknown_patent_type",
        lazy_format(
            _("“%(value)s” is not a patent type: use invention, utility_model or design."),
            value=patent_type,
        ),
    )


def termination_date(patent_type: str, filing_date: date, term_extension_days: int = 0) -> date:
    """Expiry-termination date (期满终止日): filing date + term + extension days."""
    if term_extension_days < 0:
        raise TermError(
            "negative_extension",
            _("A term extension is a number of days of zero or more."),
        )
    end = add_years(filing_date, term_years(patent_type, filing_date))
    return end + timedelta(days=term_extension_days)


def last_day_in_force(patent_type: str, filing_date: date, term_extension_days: int = 0) -> date:
    """Last day of the term: the day before the termination date."""
    return termination_date(patent_type, filing_date, term_extension_days) - timedelta(days=1)


def patent_year(filing_date: date, on: date) -> int:
    """Patent year that ``on`` falls in: full years since the filing date, plus 1."""
    if on < filing_date:
        raise TermError(
            "before_filing",
            lazy_format(
                _("%(date)s is before the filing date %(filing_date)s."),
                date=on.isoformat(),
                filing_date=filing_date.isoformat(),
            ),
        )
    years = on.year - filing_date.year
    if add_years(filing_date, years) > on:
        years -= 1
    return years + 1


def fee_due_date(filing_date: date, year_number: int) -> date:
    """Due date of the annual fee for patent year ``year_number``: the year's first day."""
    if year_number < 1:
        raise TermError(
            "invalid_year_number",
            lazy_format(
                _("Patent years are numbered from 1; %(value)d is not a patent year."),
                value=year_number,
            ),
        )
    return add_years(filing_date, year_number - 1)


def grace_period_end(due_date: date) -> date:
    """Last day on which a late fee can still be paid: due date + 6 months."""
    return add_months(due_date, GRACE_PERIOD_MONTHS)


@dataclass(frozen=True)
class FeePaymentStatus:
    """How an annual fee stands on a date, paid or not (docs/domain/term-and-fees.md §2).

    - ``on_time``: paid (or, if unpaid, still payable) on or before the due date, no late fee;
    - ``in_grace``: paid (or payable) within the 6-month grace period with
      ``late_fee_percent`` of the year's fee (0, 5, 10, 15, 20 or 25);
    - ``lapsed``: not paid within the grace period; the right terminates as from
      ``termination_date``, which is the due date.
    """

    status: FeeStatus
    due_date: date
    grace_period_end: date
    paid: bool
    late_fee_percent: int | None = None  # None when lapsed
    months_late: int | None = 0  # started months after the due date: 0 to 6, None if lapsed
    termination_date: date | None = None  # the due date, only when lapsed

    @property
    def in_force(self) -> bool:
        """A patent in the grace period is still in force; a lapsed one is not."""
        return self.status != "lapsed"


def classify_fee_payment(
    due_date: date, *, paid_on: date | None = None, on: date | None = None
) -> FeePaymentStatus:
    """Classify the payment made on ``paid_on``, or, unpaid, the position on ``on``.

    Give ``paid_on`` for a payment; give only ``on`` for a fee not paid by that date
    (an unpaid fee reads ``on_time`` up to the due date and ``in_grace`` with the band that
    would apply if paid that day). With both, a payment after ``on`` counts as unpaid on
    ``on``. A payment after the grace period does not save the right: it reads ``lapsed``.
    """
    if paid_on is not None and on is not None and paid_on > on:
        paid_on = None  # not yet paid on the reference date
    when = paid_on if paid_on is not None else on
    if when is None:
        raise TermError(
            "missing_date",
            _("Give the payment date, or the date on which the fee is still unpaid."),
        )
    grace_end = grace_period_end(due_date)
    paid = paid_on is not None
    if when <= due_date:
        return FeePaymentStatus(
            status="on_time",
            due_date=due_date,
            grace_period_end=grace_end,
            paid=paid,
            late_fee_percent=0,
        )
    for months_late in range(1, GRACE_PERIOD_MONTHS + 1):
        if when <= add_months(due_date, months_late):
            return FeePaymentStatus(
                status="in_grace",
                due_date=due_date,
                grace_period_end=grace_end,
                paid=paid,
                late_fee_percent=LATE_FEE_BANDS[months_late - 1],
                months_late=months_late,
            )
    return FeePaymentStatus(
        status="lapsed",
        due_date=due_date,
        grace_period_end=grace_end,
        paid=paid,
        late_fee_percent=None,
        months_late=None,
        termination_date=due_date,
    )
