"""The indicators the city tracks (沪府办发〔2024〕7号; DOMAIN §6, §9.3, §13): one code each,
its unit and the group of records it is computed from. Pure: no database.

A *group* is one aggregate query over one table (``indicators.compute``): every indicator
of a group comes out of the same query, for one year or a series of years.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    PATENTS_GRANTED = "patents_granted", _("Patents granted")
    INVENTIONS_GRANTED = "inventions_granted", _("Invention patents granted")
    UTILITY_MODELS_GRANTED = "utility_models_granted", _("Utility model patents granted")
    DESIGNS_GRANTED = "designs_granted", _("Design patents granted")
    VALID_INVENTIONS = "valid_inventions", _("Valid invention patents at year end")
    VALID_INVENTIONS_PER_10K = (
        "valid_inventions_per_10k",
        _("Valid invention patents per 10,000 residents"),
    )
    HIGH_VALUE_INVENTIONS = "high_value_inventions", _("High-value invention patents at year end")
    HIGH_VALUE_INVENTIONS_PER_10K = (
        "high_value_inventions_per_10k",
        _("High-value invention patents per 10,000 residents"),
    )
    PCT_APPLICATIONS = "pct_applications", _("PCT international applications")
    LICENCES_RECORDED = "licences_recorded", _("Licences recorded")
    LICENCES_AMOUNT = "licences_amount", _("Amount of licences recorded")
    ASSIGNMENTS_RECORDED = "assignments_recorded", _("Assignments recorded")
    ASSIGNMENTS_AMOUNT = "assignments_amount", _("Amount of assignments recorded")
    PLEDGES_REGISTERED = "pledges_registered", _("Pledges registered")
    PLEDGES_AMOUNT = "pledges_amount", _("Amount of pledge financing registered")
    PLEDGE_SME_PLEDGORS = "pledge_sme_pledgors", _("SMEs that pledged patents")
    INQUIRIES_ANSWERED = "inquiries_answered", _("Inquiries answered")
    INQUIRY_MEDIAN_RESPONSE_HOURS = (
        "inquiry_median_response_hours",
        _("Median time to the first response to an inquiry"),
    )
    DEALS_CONCLUDED = "deals_concluded", _("Deals concluded")
    DEALS_AMOUNT = "deals_amount", _("Amount of deals concluded")


class Unit(models.TextChoices):
    PATENTS = "patents", _("patents")
    PER_10K = "per_10k_residents", _("per 10,000 residents")
    APPLICATIONS = "applications", _("applications")
    RECORDS = "records", _("records")
    CNY = "cny", _("yuan")
    ENTERPRISES = "enterprises", _("enterprises")
    HOURS = "hours", _("hours")
    PERCENT = "percent", _("percent")
    PERSONS = "persons", _("persons")


class Group(models.TextChoices):
    """The tables an indicator is computed from (one aggregate query each)."""

    GRANTS = "grants", _("patents granted in the year")
    VALID = "valid", _("invention patents valid at year end")
    PCT = "pct", _("PCT numbers of the patents")
    LICENCES = "licences", _("licence records")
    PLEDGES = "pledges", _("pledges")
    INQUIRIES = "inquiries", _("inquiries")
    DEALS = "deals", _("deals")


@dataclass(frozen=True)
class Definition:
    indicator: Indicator
    unit: Unit
    group: Group
    per_10k_of: Indicator | None = None  # a ratio to the resident population
    method: str | Promise = ""
    source: str | Promise = ""


_PATENTS_SOURCE = _(
    "Patents in this database (imports, registrations and the seed), by the region of their "
    "first current holder; Chinese patents only (jurisdiction CN), soft-deleted records excluded."
)
_PER_10K = _(
    "The count divided by the resident population in 10,000s, rounded to one decimal. The "
    "population is the one at the end of the previous year (DOMAIN §6.2: the published "
    "Shanghai 2022 figure, 40.9, is reproduced only so), from the reference figures; "
    "without that figure the value is empty."
)

DEFINITIONS: dict[Indicator, Definition] = {
    definition.indicator: definition
    for definition in (
        Definition(
            Indicator.PATENTS_GRANTED,
            Unit.PATENTS,
            Group.GRANTS,
            method=_("Patents of every type whose grant date falls in the year."),
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.INVENTIONS_GRANTED,
            Unit.PATENTS,
            Group.GRANTS,
            method=_("Invention patents whose grant date falls in the year."),
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.UTILITY_MODELS_GRANTED,
            Unit.PATENTS,
            Group.GRANTS,
            method=_("Utility model patents whose grant date falls in the year."),
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.DESIGNS_GRANTED,
            Unit.PATENTS,
            Group.GRANTS,
            method=_("Design patents whose grant date falls in the year."),
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.VALID_INVENTIONS,
            Unit.PATENTS,
            Group.VALID,
            method=_(
                "Invention patents granted on or before 31 December that were in force then: "
                "in force or in the fee grace period now, or lapsed, expired or invalidated "
                "after that day (by the legal status date). A patent that ended without a "
                "legal status date is not counted."
            ),
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.VALID_INVENTIONS_PER_10K,
            Unit.PER_10K,
            Group.VALID,
            per_10k_of=Indicator.VALID_INVENTIONS,
            method=_PER_10K,
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.HIGH_VALUE_INVENTIONS,
            Unit.PATENTS,
            Group.VALID,
            method=_(
                "Valid invention patents at year end (as above) meeting at least one of the "
                "five CNIPA categories on 31 December: filed at least 10 years before (filing "
                "year at most the year minus 10); a family member granted abroad; a China "
                "Patent Award or State S&T Award recorded; the strategic-emerging-industry "
                "and high-pledge flags the register computed. Each patent counts once."
            ),
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.HIGH_VALUE_INVENTIONS_PER_10K,
            Unit.PER_10K,
            Group.VALID,
            per_10k_of=Indicator.HIGH_VALUE_INVENTIONS,
            method=_PER_10K,
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.PCT_APPLICATIONS,
            Unit.APPLICATIONS,
            Group.PCT,
            method=_(
                "Distinct PCT application numbers filed with the Chinese receiving office in "
                "the year (PCT/CN<year>/…) that patents of the region name. The database keeps "
                "no register of PCT filings: an application that has no patent here is "
                "missing, so this is a lower bound."
            ),
            source=_PATENTS_SOURCE,
        ),
        Definition(
            Indicator.LICENCES_RECORDED,
            Unit.RECORDS,
            Group.LICENCES,
            method=_(
                "Licence records (exclusive, sole, ordinary) with a recordation date in the "
                "year, by the region of the licensor. Demo records (source “demo”) excluded."
            ),
            source=_("Licence records of this database (API, import, deals)."),
        ),
        Definition(
            Indicator.LICENCES_AMOUNT,
            Unit.CNY,
            Group.LICENCES,
            method=_(
                "Sum of the amounts of those licence records; records without an amount add "
                "nothing (the records counted are those with an amount)."
            ),
            source=_("Licence records of this database (API, import, deals)."),
        ),
        Definition(
            Indicator.ASSIGNMENTS_RECORDED,
            Unit.RECORDS,
            Group.LICENCES,
            method=_(
                "Assignment records with a recordation date in the year, by the region of "
                "the assignor. Demo records excluded."
            ),
            source=_("Licence records of this database (API, import, deals)."),
        ),
        Definition(
            Indicator.ASSIGNMENTS_AMOUNT,
            Unit.CNY,
            Group.LICENCES,
            method=_("Sum of the amounts of those assignment records that have one."),
            source=_("Licence records of this database (API, import, deals)."),
        ),
        Definition(
            Indicator.PLEDGES_REGISTERED,
            Unit.RECORDS,
            Group.PLEDGES,
            method=_(
                "Pledges with a registration date in the year (whatever their status now), by "
                "the region of the pledgor. Demo pledges (DEMO-…) excluded. The official "
                "Shanghai figure counts patent and trademark pledges together: pledges of "
                "trademarks alone are not in this database."
            ),
            source=_("Pledges of this database (API, import)."),
        ),
        Definition(
            Indicator.PLEDGES_AMOUNT,
            Unit.CNY,
            Group.PLEDGES,
            method=_(
                "Sum of the secured amounts of those pledges. The official Shanghai figure "
                "includes trademark pledges."
            ),
            source=_("Pledges of this database (API, import)."),
        ),
        Definition(
            Indicator.PLEDGE_SME_PLEDGORS,
            Unit.ENTERPRISES,
            Group.PLEDGES,
            method=_(
                "Distinct pledgors of those pledges that are registered here as an enterprise "
                "whose size class is medium, small or micro. A pledgor without an enterprise "
                "profile is not counted."
            ),
            source=_("Pledges and enterprise profiles of this database."),
        ),
        Definition(
            Indicator.INQUIRIES_ANSWERED,
            Unit.RECORDS,
            Group.INQUIRIES,
            method=_(
                "Inquiries whose first response (reply or decline) was given in the year "
                "(Beijing time), by the region of the holder asked."
            ),
            source=_("Inquiries sent through this database."),
        ),
        Definition(
            Indicator.INQUIRY_MEDIAN_RESPONSE_HOURS,
            Unit.HOURS,
            Group.INQUIRIES,
            method=_(
                "Median of the time from sending to first response of those inquiries, in "
                "hours, rounded to one decimal."
            ),
            source=_("Inquiries sent through this database."),
        ),
        Definition(
            Indicator.DEALS_CONCLUDED,
            Unit.RECORDS,
            Group.DEALS,
            method=_(
                "Deals concluded through this database whose contract date falls in the year, "
                "by the region of the licensor."
            ),
            source=_("Deals of this database and their licence records."),
        ),
        Definition(
            Indicator.DEALS_AMOUNT,
            Unit.CNY,
            Group.DEALS,
            method=_("Sum of the amounts of those deals' licence records that have one."),
            source=_("Deals of this database and their licence records."),
        ),
    )
}

# Published (base) units: what a value as published is multiplied by to give the unit.
PUBLISHED_UNIT_FACTORS: dict[str, int] = {
    "件": 1,
    "万件": 10_000,
    "笔": 1,
    "万笔": 10_000,
    "亿元": 100_000_000,
    "元": 1,
    "人": 1,
    "万人": 10_000,
    "%": 1,
}


def per_10k(count: int, population: int) -> float:
    """``count`` per 10,000 residents, rounded to one decimal (DOMAIN §6.1)."""
    return round(count * 10_000 / population, 1)


def previous_year_end_population_year(year: int) -> int:
    """The year whose year-end population a per-10k value of ``year`` uses (DOMAIN §6.2)."""
    return year - 1
