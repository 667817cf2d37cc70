"""Endpoints of the indicators app under ``/api/v1/``."""

from django.urls import path

from indicators.api.views import IndicatorViewSet

urlpatterns = [
    path("indicators/", IndicatorViewSet.as_view({"get": "report"}), name="indicators"),
    path(
        "indicators/export/",
        IndicatorViewSet.as_view({"get": "report_export"}),
        name="indicators-export",
    ),
    path(
        "indicators/series/",
        IndicatorViewSet.as_view({"get": "series"}),
        name="indicators-series",
    ),
    path(
        "indicators/series/export/",
        IndicatorViewSet.as_view({"get": "series_export"}),
        name="indicators-series-export",
    ),
]
