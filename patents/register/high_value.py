"""High-value invention patents (高价值发明专利): docs/domain/high-value-patents.md §1.

Pure function, no database. ``evaluate_high_value(facts, on=..., pledge_threshold=...)``
returns one boolean per official category, ``is_high_value`` (any of them) and a
translated reason for each category met. Only invention patents in force on the
reference date qualify; a patent in the annual-fee grace period is still in force
(docs/domain/term-and-fees.md §2).

- Strategic emerging industry: any IPC symbol starts with one of ``sei_ipc_prefixes``.
  Both sides are compared without spaces, so ``H01M``, ``H01M 10/05`` and ``G06F40*``
  all work; a prefix that ends in main-group digits (``G06F 40``, ``G06F40*``) covers that
  main group and its subgroups only, not ``G06F 400/..``. The SEI-IPC concordance itself
  (docs/domain/industry-classifications.md §2: exclusions, keywords) is data for the caller;
  this module only matches prefixes.
- Foreign family grant: a family member **granted** abroad (an application is not enough).
- Maintained over 10 years: in patent year 11 or later on the reference date, i.e. on or
  after the 10th anniversary of the filing date (the 10-year period filing date ..
  anniversary - 1 day is complete).
- High pledge amount: only when a threshold is configured and the amount reaches it.
- Award: a State Science and Technology Award or a China Patent Award.

Holder region (Shanghai) and domestic-resident filters belong to the indicator, not here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format
from patents.reference.ipc import IpcSymbolError, normalise_ipc
from patents.register.terms import add_years, patent_year

Category = Literal[
    "strategic_emerging_industry",
    "foreign_family_grant",
    "maintained_over_10_years",
    "high_pledge_amount",
    "award",
]
CATEGORIES: tuple[Category, ...] = (
    "strategic_emerging_industry",
    "foreign_family_grant",
    "maintained_over_10_years",
    "high_pledge_amount",
    "award",
)
# The official category wording (docs/domain/high-value-patents.md §1), for report headings.
CATEGORY_LABELS: dict[Category, str | Promise] = {
    "strategic_emerging_industry": _("Invention patents in strategic emerging industries"),
    "foreign_family_grant": _("Invention patents with a patent right abroad in the same family"),
    "maintained_over_10_years": _("Invention patents maintained for more than 10 years"),
    "high_pledge_amount": _(
        "Invention patents that obtained a relatively high pledge-financing amount"
    ),
    "award": _(
        "Invention patents that won a State Science and Technology Award or a China Patent Award"
    ),
}
IN_FORCE_STATUSES = frozenset({"in_force", "in_grace_period"})
MAINTAINED_YEARS = 10
_MAIN_GROUP_PREFIX = re.compile(r"^[A-Z]\d\d[A-Z]\d+$")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class HighValueFacts:
    patent_type: str  # invention, utility_model, design
    legal_status: str  # pending, in_force, in_grace_period, lapsed, expired, ...
    filing_date: date
    ipc_codes: tuple[str, ...] = ()  # canonical display strings, e.g. "H01M 10/0525"
    has_foreign_grant: bool = False
    has_award: bool = False
    max_pledge_amount: Decimal | None = None  # yuan


@dataclass(frozen=True)
class HighValueResult:
    strategic_emerging_industry: bool = False
    foreign_family_grant: bool = False
    maintained_over_10_years: bool = False
    high_pledge_amount: bool = False
    award: bool = False
    # (category, translated explanation) for each category met, in CATEGORIES order
    reasons: tuple[tuple[Category, str | Promise], ...] = ()

    @property
    def is_high_value(self) -> bool:
        return any(getattr(self, category) for category in CATEGORIES)

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories met, in the official order."""
        return tuple(category for category in CATEGORIES if getattr(self, category))


def is_eligible(facts: HighValueFacts) -> bool:
    """Only invention patents in force (including the grace period) can be high-value."""
    return facts.patent_type == "invention" and facts.legal_status in IN_FORCE_STATUSES


def _compact(text: str) -> str:
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).upper()


def _compact_ipc(code: str) -> str:
    try:
        return _compact(normalise_ipc(code, scheme="cpc"))
    except IpcSymbolError:
        return _compact(code)


def _prefix_matches(code: str, prefix: str) -> bool:
    if _MAIN_GROUP_PREFIX.match(prefix):
        return code == prefix or code.startswith(f"{prefix}/")
    return code.startswith(prefix)


def match_sei_prefix(
    ipc_codes: tuple[str, ...], sei_ipc_prefixes: frozenset[str]
) -> tuple[str, str] | None:
    """First ``(ipc_code, prefix)`` where the code falls under the prefix, else ``None``."""
    prefixes = sorted(
        (compact, prefix)
        for prefix in sei_ipc_prefixes
        if (compact := _compact(prefix).rstrip("*"))
    )
    for code in ipc_codes:
        compact_code = _compact_ipc(code)
        for compact_prefix, prefix in prefixes:
            if _prefix_matches(compact_code, compact_prefix):
                return code, prefix.strip()
    return None


def maintained_over_10_years(filing_date: date, on: date) -> bool:
    """In patent year 11 or later on ``on``: more than 10 years since the filing date."""
    return on >= add_years(filing_date, MAINTAINED_YEARS)


def evaluate_high_value(
    facts: HighValueFacts,
    *,
    on: date,
    pledge_threshold: Decimal | None,
    sei_ipc_prefixes: frozenset[str] = frozenset(),
) -> HighValueResult:
    """Which high-value categories ``facts`` meets on the reference date ``on``."""
    if not is_eligible(facts):
        return HighValueResult()
    reasons: list[tuple[Category, str | Promise]] = []

    sei = match_sei_prefix(facts.ipc_codes, sei_ipc_prefixes)
    if sei is not None:
        reasons.append(
            (
                "strategic_emerging_industry",
                lazy_format(
                    _(
                        "Strategic emerging industry: IPC %(ipc)s falls under %(prefix)s in "
                        "the SEI–IPC concordance."
                    ),
                    ipc=sei[0],
                    prefix=sei[1],
                ),
            )
        )

    if facts.has_foreign_grant:
        reasons.append(
            (
                "foreign_family_grant",
                _("Patent right abroad: a member of the patent family is granted outside China."),
            )
        )

    maintained = maintained_over_10_years(facts.filing_date, on)
    if maintained:
        reasons.append(
            (
                "maintained_over_10_years",
                lazy_format(
                    _(
                        "Maintained for more than 10 years: filed on %(filing_date)s, in "
                        "patent year %(year)d on %(date)s."
                    ),
                    filing_date=facts.filing_date.isoformat(),
                    year=patent_year(facts.filing_date, on),
                    date=on.isoformat(),
                ),
            )
        )

    pledge = (
        pledge_threshold is not None
        and facts.max_pledge_amount is not None
        and facts.max_pledge_amount >= pledge_threshold
    )
    if pledge:
        reasons.append(
            (
                "high_pledge_amount",
                lazy_format(
                    _(
                        "High pledge financing: %(amount)s yuan reaches the threshold of "
                        "%(threshold)s yuan."
                    ),
                    amount=f"{facts.max_pledge_amount:,}",
                    threshold=f"{pledge_threshold:,}",
                ),
            )
        )

    if facts.has_award:
        reasons.append(
            ("award", _("Won a State Science and Technology Award or a China Patent Award."))
        )

    return HighValueResult(
        strategic_emerging_industry=sei is not None,
        foreign_family_grant=facts.has_foreign_grant,
        maintained_over_10_years=maintained,
        high_pledge_amount=pledge,
        award=facts.has_award,
        reasons=tuple(reasons),
    )
