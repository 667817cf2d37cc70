"""The indicator report as JSON (``indicators.selectors.IndicatorValue``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from indicators.definitions import Indicator, Unit
from indicators.models import Reliability, Target


def _number(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=22, decimal_places=2, coerce_to_string=False, **kwargs
    )


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class PopulationSerializer(serializers.Serializer):
    population = serializers.IntegerField(help_text="Persons. / 常住人口（人）。")
    year = serializers.IntegerField(help_text="The year it refers to. / 所属年度。")
    kind = serializers.CharField(help_text="year_end or census. / 年末或普查。")
    as_of = serializers.DateField()
    source_url = serializers.CharField()
    source_as_stated = serializers.CharField()
    reliability = serializers.ChoiceField(choices=Reliability.choices)


class OfficialFigureSerializer(serializers.Serializer):
    region_name = serializers.CharField()
    name_as_published = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField(allow_null=True)
    value = _number(allow_null=True, help_text="In the indicator's unit. / 按指标单位换算。")
    value_as_published = serializers.CharField()
    unit_as_published = serializers.CharField()
    difference = _number(allow_null=True, help_text="Computed minus published. / 计算值减公布值。")
    source_url = serializers.CharField()
    source_as_stated = serializers.CharField()
    reliability = serializers.ChoiceField(choices=Reliability.choices)
    reliability_note = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    comparison = serializers.ChoiceField(choices=Target.Comparison.choices)
    value = _number()
    year = serializers.IntegerField()
    deadline = serializers.DateField()
    baseline_value = _number(allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    document = serializers.CharField()
    source_url = serializers.CharField()
    note = serializers.CharField()
    gap = _number(allow_null=True, help_text="Target minus computed. / 目标值减计算值。")


class IndicatorValueSerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=Indicator.choices)
    # DRF takes declared fields off the class; mypy sees Field.label and Field.source.
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    unit = serializers.SerializerMethodField()
    year = serializers.IntegerField()
    value = _number(
        allow_null=True, help_text="Empty when it cannot be computed. / 无法计算时为空。"
    )
    records_counted = serializers.IntegerField(
        allow_null=True, help_text="Records the value counts or sums. / 计入的记录数。"
    )
    population = PopulationSerializer(
        allow_null=True,
        help_text="Per-10,000 values: the population divided by (end of the previous year). "
        "/ 每万人口指标所用的上年末常住人口。",
    )
    population_year = serializers.IntegerField(allow_null=True)
    method = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()  # type: ignore[assignment]
    notes = serializers.ListField(child=serializers.CharField())
    official = OfficialFigureSerializer(many=True)
    targets = TargetSerializer(many=True)

    def get_label(self, value: Any) -> str:
        return str(value.indicator.label)

    def get_unit(self, value: Any) -> str:
        unit: Unit = value.definition.unit
        return unit.value

    def get_method(self, value: Any) -> str:
        return str(value.definition.method)

    def get_source(self, value: Any) -> str:
        return str(value.definition.source)


class IndicatorReportSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    year = serializers.IntegerField()
    reference_date = serializers.DateField(help_text="Stocks are counted on it. / 存量统计日。")
    indicators = IndicatorValueSerializer(many=True)


class IndicatorSeriesSerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=Indicator.choices)
    region = RegionRefSerializer()
    points = IndicatorValueSerializer(many=True)
