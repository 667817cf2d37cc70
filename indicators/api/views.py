"""``/api/v1/indicators/``: the city's indicators for a region and a year, a series of one
indicator over years, and both as CSV or XLSX. Public, read-only.

Thin: the FilterSet checks the query (400 naming the parameter), ``selectors`` computes,
the serializer renders; exports write the same rows through the tabular kit.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.filters import accepted_query_parameters, unknown_parameters_error
from conversion_db.api.throttling import AnonymousExportThrottle
from conversion_db.tabular import export
from conversion_db.tabular.files import FileFormat
from indicators.api import examples
from indicators.api.serializers import IndicatorReportSerializer, IndicatorSeriesSerializer
from indicators.definitions import DEFINITIONS, Indicator
from indicators.filtersets import IndicatorFilterSet, SeriesFilterSet
from indicators.selectors import IndicatorValue, indicator_report
from patents.api.bulk_serializers import ExportQuerySerializer
from patents.api.bulk_views import export_schema
from patents.models import Region

EXPORT_FORMATS = (FileFormat.CSV, FileFormat.XLSX)
EXPORT_COLUMNS = (
    "region",
    "year",
    "indicator",
    "label",
    "unit",
    "value",
    "records_counted",
    "population",
    "population_year",
    "official_value",
    "difference",
    "official_source_url",
    "official_reliability",
    "target_value",
    "target_deadline",
    "method",
    "source",
    "notes",
)
EXPORT_RULES = (
    " One row per indicator and year, with the first published figure (the most reliable "
    "one) and the nearest target. CSV is UTF-8 with a BOM; a cell starting with = + - @ is "
    "written with a ' in front. 每个指标每年一行，附公布值与目标。"
)
REPORT_DESCRIPTION = (
    "Every indicator of issue 17 for a region (any level: a province or city covers its "
    "districts) and a year: patents granted by type, valid and high-value invention patents "
    "at year end (and per 10,000 residents, with the population at the end of the year "
    "before and its source), PCT applications, licences and assignments recorded, pledges "
    "registered (count, amount, SME pledgors), inquiries answered with the median first "
    "response, deals concluded. Each value says how it was computed, how many records it "
    "counts and where its inputs come from, with the officially published figure beside it "
    "(and the difference) and the city's targets (and the gap). docs/indicators.md explains "
    "each one. 按地区和年度计算各项指标，并列出官方公布值、差额与目标。"
)
SERIES_DESCRIPTION = (
    "One indicator for a region over a range of years (at most 50), each year as in "
    "`/api/v1/indicators/`, with its published figure and targets. "
    "单项指标的逐年序列，附官方公布值与目标。"
)


def _cell(value: Any) -> str:
    return export.cell(value)


def export_rows(region: Region, values: list[IndicatorValue]) -> list[list[str]]:
    rows = []
    for item in values:
        official = item.official[0] if item.official else None
        target = min(item.targets, key=lambda t: t["deadline"]) if item.targets else None
        definition = DEFINITIONS[item.indicator]
        rows.append(
            [
                region.code,
                _cell(item.year),
                item.indicator.value,
                str(item.indicator.label),
                definition.unit.value,
                _cell(item.value),
                _cell(item.records_counted),
                _cell(item.population.population if item.population else None),
                _cell(item.population_year),
                _cell(official["value"] if official else None),
                _cell(official["difference"] if official else None),
                official["source_url"] if official else "",
                official["reliability"] if official else "",
                _cell(target["value"] if target else None),
                _cell(target["deadline"] if target else None),
                str(definition.method),
                str(definition.source),
                " ".join(item.notes),
            ]
        )
    return rows


class IndicatorViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    queryset = Region.objects.all()  # the FilterSets' model: the region asked about
    pagination_class = None
    filtered_actions = frozenset({"report", "report_export", "series", "series_export"})
    extra_query_parameters: dict[str, tuple[str, ...]] = {
        "report_export": ("file_format",),
        "series_export": ("file_format",),
    }

    @property
    def filterset_class(self) -> type[IndicatorFilterSet] | type[SeriesFilterSet]:
        if getattr(self, "action", None) in ("series", "series_export"):
            return SeriesFilterSet
        return IndicatorFilterSet

    def get_serializer_class(self) -> Any:
        if getattr(self, "action", None) == "series":
            return IndicatorSeriesSerializer
        return IndicatorReportSerializer

    def get_throttles(self) -> list[Any]:
        throttles: list[Any] = super().get_throttles()
        if str(getattr(self, "action", "")).endswith("export") and throttles:
            throttles.append(AnonymousExportThrottle())
        return throttles

    def query(self, request: Request) -> dict[str, Any]:
        """The cleaned query: unknown parameters and invalid values are a 400."""
        filterset_class = self.filterset_class
        accepted = accepted_query_parameters(self, filterset_class)
        unknown = set(request.query_params) - accepted
        if unknown:
            raise unknown_parameters_error(unknown, accepted)
        data = request.query_params.copy()
        data.pop("file_format", None)
        filterset = filterset_class(data=data, queryset=Region.objects.none(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        cleaned: dict[str, Any] = filterset.form.cleaned_data
        return cleaned

    def _report(self, request: Request) -> tuple[Region, int, list[IndicatorValue]]:
        query = self.query(request)
        region = Region.objects.get(code=query["region"])
        year: int = query["year"]
        return region, year, indicator_report(region, [year], list(Indicator))

    def _series(self, request: Request) -> tuple[Region, Indicator, list[IndicatorValue]]:
        query = self.query(request)
        region = Region.objects.get(code=query["region"])
        indicator = Indicator(query["indicator"])
        years = list(range(query["from"], query["to"] + 1))
        return region, indicator, indicator_report(region, years, [indicator])

    @extend_schema(
        summary="Indicators of a region for a year / 地区年度指标",
        description=REPORT_DESCRIPTION,
        tags=["indicators"],
        responses=IndicatorReportSerializer,
        examples=[examples.REPORT],
    )
    def report(self, request: Request) -> Response:
        region, year, values = self._report(request)
        body = IndicatorReportSerializer(
            {
                "region": region,
                "year": year,
                "reference_date": f"{year}-12-31",
                "indicators": values,
            }
        ).data
        return Response(body)

    @extend_schema(
        summary="One indicator over years / 指标年度序列",
        description=SERIES_DESCRIPTION,
        tags=["indicators"],
        responses=IndicatorSeriesSerializer,
        examples=[examples.SERIES],
    )
    def series(self, request: Request) -> Response:
        region, indicator, values = self._series(request)
        body = IndicatorSeriesSerializer(
            {"indicator": indicator, "region": region, "points": values}
        ).data
        return Response(body)

    def _file(self, request: Request, name: str, region: Region, values: list[Any]) -> Any:
        params = ExportQuerySerializer(
            data=request.query_params, formats=[f.value for f in EXPORT_FORMATS]
        )
        params.is_valid(raise_exception=True)
        file_format = FileFormat(params.validated_data["file_format"])
        rows = export_rows(region, values)
        response: HttpResponseBase
        if file_format == FileFormat.XLSX:
            response = HttpResponse(
                export.xlsx_bytes(rows, EXPORT_COLUMNS, "indicators"),
                content_type=export.CONTENT_TYPES[file_format],
            )
        else:
            response = StreamingHttpResponse(
                export.lines(rows, EXPORT_COLUMNS, file_format),
                content_type=export.CONTENT_TYPES[file_format],
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{file_format.value}"'
        return response

    @export_schema(
        summary="Export the indicators of a region for a year / 导出地区年度指标",
        description="The indicators `/api/v1/indicators/` answers, as CSV or XLSX.",
        formats=EXPORT_FORMATS,
        rules=EXPORT_RULES,
        tags=["indicators"],
    )
    def report_export(self, request: Request) -> Any:
        region, year, values = self._report(request)
        return self._file(request, f"indicators-{region.code}-{year}", region, values)

    @export_schema(
        summary="Export a series of one indicator / 导出指标年度序列",
        description="The series `/api/v1/indicators/series/` answers, as CSV or XLSX.",
        formats=EXPORT_FORMATS,
        rules=EXPORT_RULES,
        tags=["indicators"],
    )
    def series_export(self, request: Request) -> Any:
        region, indicator, values = self._series(request)
        first, last = values[0].year, values[-1].year
        name = f"indicator-{indicator.value}-{region.code}-{first}-{last}"
        return self._file(request, name, region, values)
