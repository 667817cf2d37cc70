"""The indicators computed from the database: one aggregate query per group of indicators
(``definitions.Group``), for one year or a series of years, over one region and
everything below it.

Every query is bounded and served by an index of ``indicators`` migration 0002: the
patents granted in the years (by grant date), the region's invention patents (by region),
the region's patents with a PCT number, licence records by recordation date, pledges by
registration date, inquiries by first response, deals by contract date. A series of years
costs the same number of queries as one year: the years are groups (``GROUP BY``) or
``FILTER`` clauses of the same query.

Region: a patent's region is its first current holder's (``Patent.region``); a licence's,
pledge's, inquiry's and deal's is its licensor's, pledgor's or addressed holder's. A
province (310000) or city (310100) code selects everything below it, as the patent list's
``region`` filter does; a district selects itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import ExtractYear, Substr

from enterprises.models import Deal, Enterprise, Inquiry
from enterprises.models.enterprises import SizeClass
from indicators.definitions import Group, Indicator
from patents.models import LicenceRecord, Patent, Pledge
from patents.models.licensing import LicenceKind
from patents.models.patents import LegalStatus, PatentType
from patents.reference.regions import region_code_prefix
from patents.register.high_value import IN_FORCE_STATUSES, MAINTAINED_YEARS

SME_SIZE_CLASSES = (SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO)
IN_FORCE = sorted(IN_FORCE_STATUSES)  # in force, or in the annual-fee grace period
ENDED_WITH_A_DATE = (LegalStatus.LAPSED, LegalStatus.EXPIRED, LegalStatus.INVALIDATED)
DEMO_LICENCE_SOURCE = "demo"  # patents.seeding.demo.DEMO_SOURCE
DEMO_PLEDGE_PREFIX = "DEMO-"  # the demo layer's pledge registration numbers
HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


class Median(Aggregate):
    """PostgreSQL's continuous median of a column."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Computed:
    """One indicator's value for one year, and the number of records it counts."""

    value: Decimal | None
    records: int
    notes: tuple[str, ...] = field(default_factory=tuple)


Values = dict[tuple[Indicator, int], Computed]


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def region_condition(code: str, path: str) -> Q:
    """Rows of the region ``code`` and below, ``path`` leading to the region's code column."""
    prefix = region_code_prefix(code)
    if len(prefix) == len(code):
        return Q(**{path: code})
    return Q(**{f"{path}__startswith": prefix})


def _count(value: int) -> Computed:
    return Computed(Decimal(value), value)


def _amount(total: Decimal | None, records: int) -> Computed:
    return Computed((total or Decimal(0)).quantize(HUNDREDTH), records)


def _span(years: Sequence[int]) -> tuple[datetime.date, datetime.date]:
    return datetime.date(min(years), 1, 1), year_end(max(years))


def valid_at(year: int) -> Q:
    """An invention patent in force on 31 December of ``year`` (``definitions``)."""
    end = year_end(year)
    return Q(grant_date__lte=end) & (
        Q(legal_status__in=IN_FORCE)
        | Q(legal_status__in=ENDED_WITH_A_DATE, legal_status_date__gt=end)
    )


def high_value_at(year: int) -> Q:
    """Valid at the end of ``year`` and meeting a high-value category then (DOMAIN §6.1).

    Maintained over 10 years is ``high_value.maintained_over_10_years`` on 31 December:
    the 10th anniversary of any filing date in year - 10 falls on or before it, of any
    later one after it. Foreign grant and award are read from the patent (the stored
    ``hv_*`` flags are cleared once a patent is no longer in force, so they cannot say
    whether a since-lapsed patent qualified on a past year end); the strategic-industry
    and pledge categories only exist as the register's flags."""
    return valid_at(year) & (
        Q(filing_date__lte=year_end(year - MAINTAINED_YEARS))
        | Q(has_foreign_grant=True)
        | ~Q(awards="")
        | Q(hv_strategic_emerging=True)
        | Q(hv_high_pledge=True)
    )


def _patents(code: str) -> QuerySet[Patent]:
    return Patent.objects.filter(region_condition(code, "region__code"), jurisdiction="CN")


def grants(code: str, years: Sequence[int]) -> Values:
    first, last = _span(years)
    rows = (
        _patents(code)
        .filter(grant_date__gte=first, grant_date__lte=last)
        .annotate(year=ExtractYear("grant_date"))
        .values("year", "patent_type")
        .annotate(n=Count("*"))
        .order_by()
    )
    by_type: dict[tuple[int, str], int] = {(r["year"], r["patent_type"]): r["n"] for r in rows}
    values: Values = {}
    for year in years:
        counts = {kind: by_type.get((year, kind), 0) for kind in PatentType.values}
        values[(Indicator.PATENTS_GRANTED, year)] = _count(sum(counts.values()))
        values[(Indicator.INVENTIONS_GRANTED, year)] = _count(counts[PatentType.INVENTION])
        values[(Indicator.UTILITY_MODELS_GRANTED, year)] = _count(counts[PatentType.UTILITY_MODEL])
        values[(Indicator.DESIGNS_GRANTED, year)] = _count(counts[PatentType.DESIGN])
    return values


def valid(code: str, years: Sequence[int]) -> Values:
    aggregates: dict[str, Any] = {}
    for year in years:
        # count(region_id): never null here, and in the index (count(*) takes no FILTER).
        aggregates[f"valid_{year}"] = Count("region", filter=valid_at(year))
        aggregates[f"high_value_{year}"] = Count("region", filter=high_value_at(year))
    totals = (
        _patents(code)
        .filter(patent_type=PatentType.INVENTION, grant_date__lte=year_end(max(years)))
        .aggregate(**aggregates)
    )
    values: Values = {}
    for year in years:
        values[(Indicator.VALID_INVENTIONS, year)] = _count(totals[f"valid_{year}"])
        values[(Indicator.HIGH_VALUE_INVENTIONS, year)] = _count(totals[f"high_value_{year}"])
    return values


def pct(code: str, years: Sequence[int]) -> Values:
    filed = Q()
    for year in years:
        filed |= Q(pct_application_number__startswith=f"PCT/CN{year}/")
    rows = (
        _patents(code)
        .exclude(pct_application_number="")
        .filter(filed)
        .annotate(year=Substr("pct_application_number", 7, 4))
        .values("year")
        .annotate(n=Count("pct_application_number", distinct=True), patents=Count("*"))
        .order_by()
    )
    found = {int(r["year"]): r for r in rows}
    values: Values = {}
    for year in years:
        row = found.get(year, {"n": 0, "patents": 0})
        values[(Indicator.PCT_APPLICATIONS, year)] = Computed(Decimal(row["n"]), row["patents"])
    return values


def licences(code: str, years: Sequence[int]) -> Values:
    first, last = _span(years)
    rows = (
        LicenceRecord.objects.filter(
            region_condition(code, "licensor__region__code"),
            recordation_date__gte=first,
            recordation_date__lte=last,
        )
        .exclude(source=DEMO_LICENCE_SOURCE)
        .annotate(
            year=ExtractYear("recordation_date"),
            assignment=Case(When(kind=LicenceKind.ASSIGNMENT, then=True), default=False),
        )
        .values("year", "assignment")
        .annotate(n=Count("*"), amount=Sum("amount_cny"), with_amount=Count("amount_cny"))
        .order_by()
    )
    found = {(r["year"], r["assignment"]): r for r in rows}
    empty = {"n": 0, "amount": None, "with_amount": 0}
    values: Values = {}
    for year in years:
        for assignment, count, amount in (
            (False, Indicator.LICENCES_RECORDED, Indicator.LICENCES_AMOUNT),
            (True, Indicator.ASSIGNMENTS_RECORDED, Indicator.ASSIGNMENTS_AMOUNT),
        ):
            row = found.get((year, assignment), empty)
            values[(count, year)] = _count(row["n"])
            values[(amount, year)] = _amount(row["amount"], row["with_amount"])
    return values


def pledges(code: str, years: Sequence[int]) -> Values:
    first, last = _span(years)
    sme = Enterprise.objects.filter(holder=OuterRef("pledgor"), size_class__in=SME_SIZE_CLASSES)
    rows = (
        Pledge.objects.filter(
            region_condition(code, "pledgor__region__code"),
            registration_date__gte=first,
            registration_date__lte=last,
        )
        .exclude(registration_number__startswith=DEMO_PLEDGE_PREFIX)
        .annotate(year=ExtractYear("registration_date"))
        .values("year")
        .annotate(
            n=Count("*"),
            amount=Sum("secured_amount_cny"),
            smes=Count(Case(When(Exists(sme), then=F("pledgor_id"))), distinct=True),
            sme_pledges=Count(Case(When(Exists(sme), then=F("id")))),
        )
        .order_by()
    )
    found = {r["year"]: r for r in rows}
    values: Values = {}
    for year in years:
        row = found.get(year, {"n": 0, "amount": None, "smes": 0, "sme_pledges": 0})
        values[(Indicator.PLEDGES_REGISTERED, year)] = _count(row["n"])
        values[(Indicator.PLEDGES_AMOUNT, year)] = _amount(row["amount"], row["n"])
        values[(Indicator.PLEDGE_SME_PLEDGORS, year)] = Computed(
            Decimal(row["smes"]), row["sme_pledges"]
        )
    return values


def inquiries(code: str, years: Sequence[int]) -> Values:
    zone = ZoneInfo(settings.TIME_ZONE)
    first = datetime.datetime(min(years), 1, 1, tzinfo=zone)
    after = datetime.datetime(max(years) + 1, 1, 1, tzinfo=zone)
    rows = (
        Inquiry.objects.filter(
            region_condition(code, "holder__region__code"),
            responded_at__gte=first,
            responded_at__lt=after,
        )
        .annotate(year=ExtractYear("responded_at"))
        .values("year")
        .annotate(n=Count("*"), median=Median("response_seconds"))
        .order_by()
    )
    found = {r["year"]: r for r in rows}
    values: Values = {}
    for year in years:
        row = found.get(year, {"n": 0, "median": None})
        values[(Indicator.INQUIRIES_ANSWERED, year)] = _count(row["n"])
        median = row["median"]
        values[(Indicator.INQUIRY_MEDIAN_RESPONSE_HOURS, year)] = Computed(
            None
            if median is None
            else (Decimal(str(median)) / 3600).quantize(TENTH, rounding=ROUND_HALF_UP),
            row["n"],
        )
    return values


def deals(code: str, years: Sequence[int]) -> Values:
    first, last = _span(years)
    rows = (
        Deal.objects.filter(
            region_condition(code, "holder__region__code"),
            licence_record__contract_date__gte=first,
            licence_record__contract_date__lte=last,
        )
        .annotate(year=ExtractYear("licence_record__contract_date"))
        .values("year")
        .annotate(
            n=Count("*"),
            amount=Sum("licence_record__amount_cny"),
            with_amount=Count("licence_record__amount_cny"),
        )
        .order_by()
    )
    found = {r["year"]: r for r in rows}
    values: Values = {}
    for year in years:
        row = found.get(year, {"n": 0, "amount": None, "with_amount": 0})
        values[(Indicator.DEALS_CONCLUDED, year)] = _count(row["n"])
        values[(Indicator.DEALS_AMOUNT, year)] = _amount(row["amount"], row["with_amount"])
    return values


GROUPS = {
    Group.GRANTS: grants,
    Group.VALID: valid,
    Group.PCT: pct,
    Group.LICENCES: licences,
    Group.PLEDGES: pledges,
    Group.INQUIRIES: inquiries,
    Group.DEALS: deals,
}


def compute(code: str, years: Sequence[int], groups: Iterable[Group]) -> Values:
    """The indicators of ``groups`` for the region ``code`` in each of ``years``."""
    values: Values = {}
    for group in groups:
        values.update(GROUPS[group](code, years))
    return values
