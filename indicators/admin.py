"""Reference figures for operators: resident populations, published figures and targets,
each with its source and reliability, and the history of every change. ``manage.py seed``
loads them (``indicators.seeding``); operators correct or add rows here."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import PublishedFigure, ResidentPopulation, Target


class ReferenceFigureAdmin(SimpleHistoryAdmin):
    # A source address typed without a scheme is read as https (Django 6's default).
    formfield_overrides: ClassVar[dict[type[models.Field], dict[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }


@admin.register(ResidentPopulation)
class ResidentPopulationAdmin(ReferenceFigureAdmin):
    list_display = ["region", "year", "kind", "as_of", "population", "reliability"]
    list_filter = ["kind", "reliability"]
    list_select_related = ["region"]
    search_fields = ["region__code", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ReferenceFigureAdmin):
    list_display = [
        "region_name",
        "year",
        "name_as_published",
        "value_as_published",
        "unit_as_published",
        "indicator",
        "reliability",
    ]
    list_filter = ["indicator", "reliability", "year"]
    list_select_related = ["region"]
    search_fields = ["name_as_published", "region_name", "source_url"]
    autocomplete_fields = ["region"]


@admin.register(Target)
class TargetAdmin(ReferenceFigureAdmin):
    list_display = ["region", "indicator", "comparison", "value", "year", "deadline", "document"]
    list_filter = ["indicator"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
