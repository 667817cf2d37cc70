"""FilterSets of the reference schemes (IPC, regions), and the symbol and code filters the
other lists reuse: each filter documents itself in Chinese and English.

Invalid values are a 400 naming the parameter (django-filter validates the form before
filtering); nothing is silently ignored.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import QueryArrayWidget

from conversion_db.api.filters import (
    BooleanFilter,
    FilterSet,
    IntegerFilter,
    SearchTextFilter,
    form_error,
)
from patents.models import IpcClass, Region
from patents.reference import selectors
from patents.reference.ipc import IpcSymbol, IpcSymbolError, parse_ipc
from patents.reference.regions import RegionCodeError, normalise_region_code, region_code_prefix


class IpcSymbolFormField(forms.CharField):
    """A classification symbol in any accepted spelling, cleaned to an ``IpcSymbol``."""

    def clean(self, value: Any) -> IpcSymbol | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_ipc(value)
        except IpcSymbolError as exc:
            raise form_error(exc.message, exc.code) from None


class IpcSymbolFilter(django_filters.Filter):
    field_class = IpcSymbolFormField


class IpcSymbolsField(forms.Field):
    """One or more IPC symbols (repeated parameter or comma-separated), any level."""

    widget = QueryArrayWidget

    def clean(self, value: Any) -> list[str]:
        values = [v for v in (value or []) if str(v).strip()]
        symbols = []
        for raw in values:
            try:
                symbols.append(parse_ipc(str(raw)).symbol)
            except IpcSymbolError as exc:
                raise form_error(exc.message, exc.code) from None
        return symbols


class IpcSymbolsFilter(django_filters.Filter):
    field_class = IpcSymbolsField


class RegionCodeFormField(forms.CharField):
    """A region code in any accepted spelling, of a region in the regions list (current or
    historical): a well-formed code of no region is a 400, not an empty list."""

    def clean(self, value: Any) -> str | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            code = normalise_region_code(value)
        except RegionCodeError as exc:
            raise form_error(exc.message, exc.code) from None
        if not Region.objects.filter(code=code).exists():
            raise form_error(
                _("No region has the code “%(code)s”.") % {"code": code},
                "unknown_region",
            )
        return code


class RegionCodeFilter(django_filters.Filter):
    field_class = RegionCodeFormField


class IpcClassFilterSet(FilterSet):
    q = SearchTextFilter(
        method="filter_text",
        label=_("Title text"),
        help_text=(
            "Words in the Chinese or English title; every word must appear, as written or "
            "(English) by its stem: battery also finds Batteries (e.g. 锂离子电池, lithium battery). "
            "标题中的词，中英文均可，多个词须同时出现；英文按词干匹配。"
        ),
    )
    parent = IpcSymbolFilter(
        method="filter_parent",
        label=_("Parent symbol"),
        help_text=(
            "Direct children of this symbol, in scheme order (e.g. H01M, H01M 10/00). "
            "列出该分类号的直接下级。"
        ),
    )
    under = IpcSymbolFilter(
        method="filter_under",
        label=_("Subtree"),
        help_text=(
            "This symbol and everything below it (e.g. H01M matches H01M 10/0525). "
            "该分类号及其全部下级。"
        ),
    )
    level = django_filters.ChoiceFilter(
        choices=IpcClass.Level.choices,
        label=_("Level"),
        help_text="section, class, subclass, main_group or subgroup. 层级：部、大类、小类、大组、小组。",
    )
    tech_field = IntegerFilter(
        field_name="tech_field_id",
        min_value=1,
        max_value=35,
        label=_("Technology field"),
        help_text="WIPO technology field number, 1 to 35. WIPO 技术领域编号（1–35）。",
    )

    examples = {
        "q": "电池",
        "parent": "H01M",
        "under": "H01",
        "tech_field": 4,
    }

    class Meta:
        model = IpcClass
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.ipc_text_search(queryset, value)

    def filter_parent(self, queryset: QuerySet, name: str, value: IpcSymbol | None) -> QuerySet:
        return queryset.filter(parent_id=value.key) if value else queryset

    def filter_under(self, queryset: QuerySet, name: str, value: IpcSymbol | None) -> QuerySet:
        return selectors.ipc_subtree(queryset, value) if value else queryset


class RegionFilterSet(FilterSet):
    q = SearchTextFilter(
        method="filter_text",
        label=_("Name"),
        help_text="Part of the Chinese or English name (e.g. 浦东, Pudong). 名称的一部分，中英文均可。",
    )
    parent = RegionCodeFilter(
        method="filter_parent",
        label=_("Parent code"),
        help_text="Direct children of this region (e.g. 310100). 该行政区划的直接下级。",
    )
    under = RegionCodeFilter(
        method="filter_under",
        label=_("Within"),
        help_text=(
            "This region and everything below it (31 or 310000: all of Shanghai). "
            "该行政区划及其全部下级。"
        ),
    )
    level = django_filters.ChoiceFilter(
        choices=Region.Level.choices,
        label=_("Level"),
        help_text="province, city or district. 层级：省级、地级、县级。",
    )
    current = BooleanFilter(
        field_name="is_current",
        label=_("Current"),
        help_text=(
            "true: codes in force (NBS 2023); false: abolished or merged codes such as 闸北区 310108. "
            "true 为现行代码，false 为已撤销或合并的历史代码。"
        ),
    )

    examples = {
        "q": "浦东",
        "parent": "310100",
        "under": "310000",
        "current": True,
    }

    class Meta:
        model = Region
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(Q(name__icontains=term) | Q(name_en__icontains=term))
        return queryset

    def filter_parent(self, queryset: QuerySet, name: str, value: str | None) -> QuerySet:
        return queryset.filter(parent_id=value) if value else queryset

    def filter_under(self, queryset: QuerySet, name: str, value: str | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(code__startswith=region_code_prefix(value))
