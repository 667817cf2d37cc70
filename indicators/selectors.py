"""The indicator report: computed values (``compute``) beside the population they are
divided by, the officially published figures and the targets (``models``).

``indicator_report(region, years, indicators)`` answers both ``GET /api/v1/indicators/``
(every indicator, one year) and ``.../series/`` (one indicator, many years) with a fixed
number of queries: one per group of indicators asked for, plus one each for the
populations, the published figures and the targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from indicators.compute import TENTH, Computed, compute
from indicators.definitions import DEFINITIONS, Indicator, previous_year_end_population_year
from indicators.models import PublishedFigure, Reliability, ResidentPopulation, Target
from patents.models import Region

RELIABILITY_ORDER: dict[str, int] = {
    Reliability.OFFICIAL: 0,
    Reliability.REPOST: 1,
    Reliability.UNVERIFIED: 2,
}


@dataclass
class IndicatorValue:
    indicator: Indicator
    year: int
    value: Decimal | None
    records_counted: int | None
    population: ResidentPopulation | None
    population_year: int | None
    notes: list[str] = field(default_factory=list)
    official: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def definition(self) -> Any:
        return DEFINITIONS[self.indicator]


def _difference(computed: Decimal | None, other: Decimal | None) -> Decimal | None:
    if computed is None or other is None:
        return None
    return computed - other


def _notes(indicator: Indicator) -> list[str]:
    """What is known to be missing from a value, in the request's language."""
    if indicator in (Indicator.HIGH_VALUE_INVENTIONS, Indicator.HIGH_VALUE_INVENTIONS_PER_10K):
        return [
            _(
                "The strategic-emerging-industry category is not computed yet: the SEI–IPC "
                "concordance (DOMAIN §12.2) is not loaded, so no patent is high-value by it."
            ),
            _(
                "The high-pledge category needs HIGH_VALUE_PLEDGE_THRESHOLD (no public "
                "threshold); without it no patent is high-value by it."
            ),
            _(
                "Holders are not checked for being domestic residents; the region is the "
                "first current holder's."
            ),
        ]
    if indicator == Indicator.PCT_APPLICATIONS:
        return [
            _(
                "The data model has no PCT filings of their own: only PCT numbers that "
                "patents in the database name are counted (a lower bound)."
            )
        ]
    if indicator in (
        Indicator.PLEDGES_REGISTERED,
        Indicator.PLEDGES_AMOUNT,
        Indicator.PLEDGE_SME_PLEDGORS,
    ):
        return [
            _(
                "The official figure counts patent and trademark pledges together; this one "
                "counts the pledges of patents recorded here."
            )
        ]
    return []


def _per_10k(count: Decimal | None, population: ResidentPopulation | None) -> Decimal | None:
    if count is None or population is None:
        return None
    return (count * 10_000 / population.population).quantize(TENTH, rounding=ROUND_HALF_UP)


def _official(figure: PublishedFigure, computed: Decimal | None) -> dict[str, Any]:
    return {
        "region_name": figure.region_name,
        "name_as_published": figure.name_as_published,
        "year": figure.year,
        "as_of": figure.as_of,
        "value": figure.value,
        "value_as_published": figure.value_as_published,
        "unit_as_published": figure.unit_as_published,
        "difference": _difference(computed, figure.value),
        "source_url": figure.source_url,
        "source_as_stated": figure.source_as_stated,
        "reliability": figure.reliability,
        "reliability_note": figure.reliability_note,
    }


def _target(target: Target, computed: Decimal | None) -> dict[str, Any]:
    return {
        "comparison": target.comparison,
        "value": target.value,
        "year": target.year,
        "deadline": target.deadline,
        "baseline_value": target.baseline_value,
        "baseline_year": target.baseline_year,
        "document": target.document,
        "source_url": target.source_url,
        "note": target.note,
        "gap": _difference(target.value, computed),
    }


def indicator_report(
    region: Region, years: Sequence[int], indicators: Sequence[Indicator]
) -> list[IndicatorValue]:
    """Each of ``indicators`` for each of ``years`` (year by year, in the order given)."""
    groups = {DEFINITIONS[indicator].group for indicator in indicators}
    computed = compute(region.code, years, sorted(groups))

    populations: dict[int, ResidentPopulation] = {}
    if any(DEFINITIONS[i].per_10k_of for i in indicators):
        wanted = [previous_year_end_population_year(year) for year in years]
        for row in ResidentPopulation.objects.filter(
            region=region, kind=ResidentPopulation.Kind.YEAR_END, year__in=wanted
        ):
            populations[row.year] = row

    figures: dict[tuple[str, int], list[PublishedFigure]] = {}
    for figure in PublishedFigure.objects.filter(
        region=region, year__in=years, indicator__in=indicators
    ):
        figures.setdefault((figure.indicator, figure.year), []).append(figure)
    targets: dict[str, list[Target]] = {}
    for target in Target.objects.filter(region=region, indicator__in=indicators):
        targets.setdefault(target.indicator, []).append(target)

    report = []
    for year in years:
        for indicator in indicators:
            definition = DEFINITIONS[indicator]
            population: ResidentPopulation | None = None
            population_year: int | None = None
            notes = _notes(indicator)
            if definition.per_10k_of is not None:
                base = computed[(definition.per_10k_of, year)]
                population_year = previous_year_end_population_year(year)
                population = populations.get(population_year)
                value = _per_10k(base.value, population)
                records: int | None = base.records
                if population is None:
                    notes.append(
                        _(
                            "No resident population of %(region)s at the end of %(year)d is "
                            "recorded, so the value per 10,000 residents is not computed."
                        )
                        % {"region": region.name, "year": population_year}
                    )
            else:
                result: Computed = computed[(indicator, year)]
                value, records = result.value, result.records
            official = sorted(
                figures.get((indicator, year), []),
                key=lambda f: (f.value is None, RELIABILITY_ORDER.get(f.reliability, 9), f.pk),
            )
            report.append(
                IndicatorValue(
                    indicator=indicator,
                    year=year,
                    value=value,
                    records_counted=records,
                    population=population,
                    population_year=population_year,
                    notes=notes,
                    official=[_official(figure, value) for figure in official],
                    targets=[
                        _target(target, value)
                        for target in targets.get(indicator, [])
                        if target.year >= year
                    ],
                )
            )
    return report
