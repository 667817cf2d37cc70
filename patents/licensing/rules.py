"""Licensing rules: open-licence declarations, licences and recordation, pledges.

docs/domain/open-licensing.md, licences-and-recordation.md and pledges.md state the rules.

Pure functions over plain facts, no database: the services gather the facts of a patent
(its grant, term, fee status, recorded licences, pledges, co-owners' consent) and ask
these functions. Each check returns **every** blocking reason at once, each with a stable
``code``, the legal basis and a message translated when shown (``en``, ``zh-hans``), plus
warnings that do not block (amounts above CNIPA's guidance, a late recordation).

Decisions of ours ("Our choice" in those pages) made here:

- "Annual fees not paid as required" includes the fee grace period (open-licensing.md §2).
- A licence period or a debt period may not end after the patent's expiry (open-licensing.md
  §2, licences-and-recordation.md §2, pledges.md §2).
- Periods overlap when they share a day; an open-ended period (no end) runs to the
  patent's expiry.
- The 3-month recordation deadline is inclusive of the same day three months later
  (2025-01-10 -> 2025-04-10 is on time).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conversion_db.i18n import lazy_format
from patents.register.terms import add_months

LicenceKind = Literal["exclusive", "sole", "ordinary"]
FeeStatus = Literal["paid", "in_grace_period", "lapsed"]
PricingMode = Literal[
    "lump_sum", "royalty_net_sales", "royalty_profit", "entry_fee_royalty", "negotiable"
]

EXCLUSIVE_KINDS = frozenset({"exclusive", "sole"})
LICENCE_KIND_LABELS = {
    "exclusive": pgettext_lazy("licence kind", "exclusive"),
    "sole": pgettext_lazy("licence kind", "sole"),
    "ordinary": pgettext_lazy("licence kind", "ordinary"),
}
# CNIPA's 2024 guidance for open licences (docs/domain/open-licensing.md §1): warnings, not errors.
GUIDANCE_MAX_FIXED_FEE = Decimal("20000000")
GUIDANCE_MAX_RATE_NET_SALES = Decimal("20")
GUIDANCE_MAX_RATE_PROFIT = Decimal("40")
OPEN_LICENCE_FEE_REDUCTION = Decimal("15")  # percent off annual fees (财税〔2024〕23号)
RECORDATION_MONTHS = 3


@dataclass(frozen=True)
class Problem:
    code: str
    basis: str  # the legal basis, e.g. "Implementing Rules 86 (1)"
    message: str | Promise


@dataclass(frozen=True)
class CheckResult:
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.errors]


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None = None  # None: until the patent expires

    def overlaps(self, other: Period, *, until: date | None) -> bool:
        own_end = self.end or until or date.max
        other_end = other.end or until or date.max
        return self.start <= other_end and other.start <= own_end


@dataclass(frozen=True)
class LicenceFact:
    """A licence in force or recorded on the patent."""

    kind: LicenceKind
    period: Period
    active: bool = True  # False once terminated or cancelled


@dataclass(frozen=True)
class PledgeFact:
    active: bool = True
    pledgee_consents_to_licensing: bool = False


@dataclass(frozen=True)
class PatentFacts:
    """What the rules need to know of one patent."""

    patent_type: str  # invention, utility_model, design
    granted: bool
    expiry_date: date | None
    fee_status: FeeStatus = "paid"
    proceedings_suspended: bool = False  # ownership dispute or court preservation
    has_evaluation_report: bool = False  # utility models and designs (Art. 50)
    licences: Sequence[LicenceFact] = ()
    pledges: Sequence[PledgeFact] = ()
    co_owners: int = 1
    co_owners_consenting: int = 1
    open_licence_in_force: bool = False
    terminated: bool = False  # lapsed, expired or invalidated


@dataclass(frozen=True)
class OpenLicenceTerms:
    pricing_mode: PricingMode | None
    period: Period | None
    fixed_fee: Decimal | None = None  # CNY: lump sum or entry fee
    royalty_rate: Decimal | None = None  # percent, on net sales or on profit per the mode


@dataclass
class _Collector:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, code: str, basis: str, message: str | Promise) -> None:
        self.errors.append(Problem(code, basis, message))

    def warn(self, code: str, basis: str, message: str | Promise) -> None:
        self.warnings.append(Problem(code, basis, message))

    def result(self) -> CheckResult:
        return CheckResult(tuple(self.errors), tuple(self.warnings))


def _active_exclusive(patent: PatentFacts, on: date) -> list[LicenceFact]:
    return [
        licence
        for licence in patent.licences
        if licence.active
        and licence.kind in EXCLUSIVE_KINDS
        and licence.period.start <= on <= (licence.period.end or patent.expiry_date or date.max)
    ]


def _common_state(found: _Collector, patent: PatentFacts) -> None:
    """Grounds shared by declarations, recordations and pledges."""
    if patent.terminated:
        found.error(
            "patent_terminated",
            "Recordation Measures 12 (1)",
            _("The patent has lapsed, expired or been invalidated."),
        )
    if patent.fee_status != "paid":
        found.error(
            "annual_fee_unpaid",
            "Implementing Rules 86 (3)",
            _("An annual fee is unpaid (the patent is in the grace period or has lapsed)."),
        )
    if patent.proceedings_suspended:
        found.error(
            "proceedings_suspended",
            "Implementing Rules 86 (2)",
            _("Proceedings are suspended (ownership dispute or court preservation)."),
        )
    if patent.co_owners_consenting < patent.co_owners:
        found.error(
            "co_owner_consent_missing",
            "Patent Law 14",
            lazy_format(
                _("Every co-owner must consent: %(missing)d consent(s) missing."),
                missing=patent.co_owners - patent.co_owners_consenting,
            ),
        )


def _period_within_term(
    found: _Collector, patent: PatentFacts, period: Period, code: str, basis: str
) -> None:
    if patent.expiry_date and period.end and period.end > patent.expiry_date:
        found.error(
            code,
            basis,
            lazy_format(
                _("The period ends on %(end)s, after the patent expires on %(expiry)s."),
                end=period.end.isoformat(),
                expiry=patent.expiry_date.isoformat(),
            ),
        )


def open_licence_eligibility(
    patent: PatentFacts, terms: OpenLicenceTerms, *, on: date
) -> CheckResult:
    """Whether a patent may be declared for open licensing on ``on``
    (docs/domain/open-licensing.md §2)."""
    found = _Collector()
    if not patent.granted:
        found.error(
            "not_granted",
            "Implementing Rules 85",
            _("Only a granted patent can be declared for open licensing."),
        )
    if _active_exclusive(patent, on):
        found.error(
            "exclusive_licence_in_force",
            "Implementing Rules 86 (1)",
            _("An exclusive or sole licence is in force."),
        )
    if any(p.active and not p.pledgee_consents_to_licensing for p in patent.pledges):
        found.error(
            "pledged_without_consent",
            "Implementing Rules 86 (4)",
            _("The patent is pledged and the pledgee's consent is not on file."),
        )
    _common_state(found, patent)
    if patent.patent_type in ("utility_model", "design") and not patent.has_evaluation_report:
        found.error(
            "evaluation_report_missing",
            "Patent Law 50",
            _("A utility model or design needs a patent evaluation report."),
        )
    if terms.pricing_mode in (None, "negotiable") or not _has_standard(terms):
        found.error(
            "royalty_terms_missing",
            "Implementing Rules 85 (3)",
            _("State the royalty payment method and standard (amount or rate)."),
        )
    if terms.period is None:
        found.error(
            "licence_period_missing",
            "Implementing Rules 85 (4)",
            _("State the licence period."),
        )
    else:
        _period_within_term(
            found, patent, terms.period, "period_beyond_term", "Recordation Measures 12 (4)"
        )
    _guidance_warnings(found, terms)
    return found.result()


def _has_standard(terms: OpenLicenceTerms) -> bool:
    if terms.pricing_mode == "lump_sum":
        return terms.fixed_fee is not None
    if terms.pricing_mode in ("royalty_net_sales", "royalty_profit"):
        return terms.royalty_rate is not None
    if terms.pricing_mode == "entry_fee_royalty":
        return terms.fixed_fee is not None and terms.royalty_rate is not None
    return False


def _guidance_warnings(found: _Collector, terms: OpenLicenceTerms) -> None:
    if terms.fixed_fee is not None and terms.fixed_fee > GUIDANCE_MAX_FIXED_FEE:
        found.warn(
            "fixed_fee_above_guidance",
            "CNIPA 2024 guidance",
            _("The fixed fee is above the 20 million yuan CNIPA recommends for open licences."),
        )
    limit = {
        "royalty_net_sales": GUIDANCE_MAX_RATE_NET_SALES,
        "royalty_profit": GUIDANCE_MAX_RATE_PROFIT,
        "entry_fee_royalty": GUIDANCE_MAX_RATE_NET_SALES,
    }.get(terms.pricing_mode or "")
    if limit is not None and terms.royalty_rate is not None and terms.royalty_rate > limit:
        found.warn(
            "royalty_rate_above_guidance",
            "CNIPA 2024 guidance",
            lazy_format(
                _("The royalty rate is above the %(limit)s%% CNIPA recommends for open licences."),
                limit=limit,
            ),
        )


def new_licence_check(
    patent: PatentFacts, kind: LicenceKind, period: Period, *, on: date
) -> CheckResult:
    """Whether a new licence (or an offer of one) of ``kind`` over ``period`` may be made:
    Art. 51 (no exclusive or sole licence under an open licence) and the overlap rules of
    docs/domain/licences-and-recordation.md §1 (an exclusive or sole licence excludes every
    other licence)."""
    found = _Collector()
    if kind in EXCLUSIVE_KINDS and patent.open_licence_in_force:
        found.error(
            "open_licence_in_force",
            "Patent Law 51",
            _("An open licence is in force: only ordinary licences can be granted."),
        )
    for licence in patent.licences:
        if not licence.active or not licence.period.overlaps(period, until=patent.expiry_date):
            continue
        if licence.kind in EXCLUSIVE_KINDS or kind in EXCLUSIVE_KINDS:
            found.error(
                "conflicting_licence",
                "Recordation Measures 12 (10)",
                lazy_format(
                    _("It overlaps an existing %(kind)s licence from %(start)s."),
                    kind=LICENCE_KIND_LABELS[licence.kind],
                    start=licence.period.start.isoformat(),
                ),
            )
            break
    _period_within_term(found, patent, period, "period_beyond_term", "Recordation Measures 12 (4)")
    return found.result()


def recordation_check(
    patent: PatentFacts,
    kind: LicenceKind,
    period: Period,
    *,
    effective: date,
    requested: date,
) -> CheckResult:
    """Whether CNIPA would record a licence contract
    (docs/domain/licences-and-recordation.md §2)."""
    conflicts = new_licence_check(patent, kind, period, on=requested)
    found = _Collector(list(conflicts.errors), list(conflicts.warnings))
    _common_state(found, patent)
    if any(p.active and not p.pledgee_consents_to_licensing for p in patent.pledges):
        found.error(
            "pledged_without_consent",
            "Recordation Measures 12 (9)",
            _("The patent is pledged and the pledgee's consent is not on file."),
        )
    if requested > add_months(effective, RECORDATION_MONTHS):
        found.warn(
            "recordation_late",
            "Implementing Rules 15",
            _("Recorded more than 3 months after the contract took effect."),
        )
    return found.result()


# A recordation number as CNIPA issues it. Its format is not established
# (docs/domain/licences-and-recordation.md §2; numbers seen in practice are a letter and
# digits, e.g. X2023310000123, but no official definition was found), so only what is
# certain is checked: letters, digits and hyphens, 6 to 40 characters, at least one digit;
# full-width characters, spaces and case are normalised as for patent numbers.
RECORDATION_NUMBER = re.compile(r"(?=.*[0-9])[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]")


def normalise_recordation_number(text: str) -> str:
    """NFKC (full-width letters and digits), upper case, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).upper().split())


def recordation_details_check(
    number: str, recorded_on: date | None, *, effective: date | None, today: date
) -> dict[str, list[Problem]]:
    """The recordation number and date a party enters once CNIPA has recorded a contract,
    by field: a number of the accepted form, a date neither before the contract took effect
    nor in the future. (A late recordation is a warning of ``recordation_check``.)"""
    found: dict[str, list[Problem]] = {"recordation_number": [], "recordation_date": []}
    if not number:
        found["recordation_number"].append(
            Problem("required", "Implementing Rules 15", _("Give the recordation number."))
        )
    elif not RECORDATION_NUMBER.fullmatch(number):
        found["recordation_number"].append(
            Problem(
                "invalid_recordation_number",
                "Implementing Rules 15",
                _(
                    "A recordation number has 6 to 40 letters, digits or hyphens, with at "
                    "least one digit, e.g. X2023310000123."
                ),
            )
        )
    if recorded_on is None:
        found["recordation_date"].append(
            Problem("required", "Implementing Rules 15", _("Give the recordation date."))
        )
    elif recorded_on > today:
        found["recordation_date"].append(
            Problem("future", "Implementing Rules 15", _("This date is in the future."))
        )
    elif effective is not None and recorded_on < effective:
        found["recordation_date"].append(
            Problem(
                "before_contract",
                "Implementing Rules 15",
                _("A contract is recorded after it is concluded: this date is before it."),
            )
        )
    return {key: problems for key, problems in found.items() if problems}


def recordation_deadline(effective: date) -> date:
    """The last day to record a licence contract: 3 months after it takes effect."""
    return add_months(effective, RECORDATION_MONTHS)


def pledge_check(
    patent: PatentFacts, *, debt_end: date, pledgor_is_holder_of_record: bool
) -> CheckResult:
    """Whether a pledge may be registered (docs/domain/pledges.md §2)."""
    found = _Collector()
    if not patent.granted:
        found.error("not_granted", "Pledge Measures", _("Only a granted patent can be pledged."))
    if not pledgor_is_holder_of_record:
        found.error(
            "pledgor_not_holder",
            "Pledge Measures",
            _("The pledgor is not the patentee of record."),
        )
    if any(p.active for p in patent.pledges):
        found.error(
            "already_pledged",
            "Pledge Measures",
            _("The patent is already pledged and the pledge is in force."),
        )
    _common_state(found, patent)
    _period_within_term(
        found, patent, Period(date.min, debt_end), "debt_beyond_term", "Pledge Measures"
    )
    return found.result()


def effective_fee_reduction(existing_reduction: Decimal, *, open_licence: bool) -> Decimal:
    """Annual-fee reduction in percent: reductions do not stack, the best one applies."""
    return max(existing_reduction, OPEN_LICENCE_FEE_REDUCTION if open_licence else Decimal(0))
