"""The parameters of ``GET /api/v1/indicators/`` and ``.../series/`` (and their exports).

The FilterSets validate the query (unknown parameters, a region no one has, a year out of
range, ``to`` before ``from`` are 400s naming the parameter); they filter nothing
themselves: the view hands the cleaned values to ``indicators.selectors``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.api.filters import FilterSet, IntegerFilter
from indicators.definitions import Indicator
from patents.models import Region
from patents.reference.filtersets import RegionCodeFilter

FIRST_YEAR = 1985  # the Patent Law took effect on 1 April 1985
MAX_SERIES_YEARS = 50


def _last_year() -> int:
    return timezone.localdate().year


class IndicatorQueryForm(forms.Form):
    """Years up to the current one; a series runs forward and spans at most 50 years."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        last = _last_year()
        for name in ("year", "from", "to"):
            value = data.get(name)
            if value is not None and value > last:
                self.add_error(
                    name,
                    ValidationError(
                        _("Enter a year up to %(last)d.") % {"last": last}, code="max_value"
                    ),
                )
        first, to = data.get("from"), data.get("to")
        if first is not None and to is not None and "to" not in self.errors:
            if to < first:
                self.add_error(
                    "to",
                    ValidationError(
                        _("The last year comes before the first (%(first)d).") % {"first": first},
                        code="invalid_range",
                    ),
                )
            elif to - first + 1 > MAX_SERIES_YEARS:
                self.add_error(
                    "to",
                    ValidationError(
                        _("A series spans at most %(limit)d years.") % {"limit": MAX_SERIES_YEARS},
                        code="too_many_years",
                    ),
                )
        return data


def _unfiltered(queryset: QuerySet, name: str, value: Any) -> QuerySet:
    return queryset


def _region() -> RegionCodeFilter:
    return RegionCodeFilter(
        method=_unfiltered,
        required=True,
        label=_("Region"),
        help_text=(
            "Region code at any level: a province (310000) or a city (310100) covers every "
            "district below it, a district (310115) itself. Required. "
            "行政区划代码，省、市级含下辖各区；必填。"
        ),
    )


class IndicatorFilterSet(FilterSet):
    region = _region()
    year = IntegerFilter(
        method=_unfiltered,
        required=True,
        min_value=FIRST_YEAR,
        label=_("Year"),
        help_text=(
            "Calendar year (1985 to the current year): flows are counted in it, stocks at its "
            "end, per-10,000 values use the population at the end of the year before. "
            "Required. 统计年度；存量按年末计算，每万人口指标用上年末常住人口；必填。"
        ),
    )

    examples: ClassVar[dict[str, Any]] = {"region": "310000", "year": 2023}

    class Meta:
        model = Region
        fields: list[str] = []
        form = IndicatorQueryForm


class SeriesFilterSet(FilterSet):
    indicator = django_filters.ChoiceFilter(
        method=_unfiltered,
        required=True,
        choices=Indicator.choices,
        label=_("Indicator"),
        help_text=(
            "The indicator's code, e.g. high_value_inventions_per_10k, valid_inventions, "
            "pct_applications, pledges_amount. Required. 指标代码；必填。"
        ),
    )
    region = _region()
    # ``from`` is a Python keyword: the filters are declared under their parameter names.
    locals()["from"] = IntegerFilter(
        method=_unfiltered,
        required=True,
        min_value=FIRST_YEAR,
        label=_("From year"),
        help_text="First year of the series (1985 or later). Required. 起始年度；必填。",
    )
    to = IntegerFilter(
        method=_unfiltered,
        required=True,
        min_value=FIRST_YEAR,
        label=_("To year"),
        help_text=(
            "Last year of the series, at most 50 years after the first and not after the "
            "current year. Required. 截止年度，最多 50 年；必填。"
        ),
    )

    examples: ClassVar[dict[str, Any]] = {
        "indicator": "high_value_inventions_per_10k",
        "region": "310000",
        "from": 2021,
        "to": 2023,
    }

    class Meta:
        model = Region
        fields: list[str] = []
        form = IndicatorQueryForm
