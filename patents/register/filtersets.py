"""The patent list's filters (GET /api/v1/patents/ and /facets/): documented in zh and en."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from conversion_db.api.filters import (
    BooleanFilter,
    FilterSet,
    IntegerFilter,
    SearchTextFilter,
    form_error,
)
from patents.models import (
    EventType,
    Holder,
    Holding,
    LegalStatus,
    LegalStatusEvent,
    Patent,
    PatentType,
)
from patents.reference.filtersets import IpcSymbolsFilter, RegionCodeFilter
from patents.reference.regions import region_code_prefix
from patents.register import numbers
from patents.register.selectors import number_condition
from patents.search.ranking import (
    Orderings,
    RelevanceNeedsTextForm,
    best_by_engine,
    patent_text_search,
    within_rank_window,
)

PATENT_KEYSETS = {
    "relevance": ["-rank", "-id"],
    "-filing_date": ["-filing_sort", "-id"],
    "-grant_date": ["-grant_sort", "-id"],
    "expiry_date": ["expiry_sort", "id"],
}


class PatentNumberField(forms.CharField):
    def clean(self, value: Any) -> tuple[str, str] | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            return numbers.identify_number(value)
        except numbers.PatentNumberError as exc:
            closest = getattr(exc, "closest", None) or exc  # the kind of number it most resembles
            raise form_error(closest.message, closest.code) from None


class PatentNumberFilter(django_filters.Filter):
    field_class = PatentNumberField


class PatentFilterSet(FilterSet):
    ipc = IpcSymbolsFilter(
        method="filter_ipc",
        label=_("IPC"),
        help_text=(
            "IPC symbol at any level; a symbol matches everything below it (H01M matches H01M 10/0525). "
            "Repeat for OR. 任意层级的分类号，可重复（或）。"
        ),
    )
    patent_type = django_filters.MultipleChoiceFilter(
        choices=PatentType.choices,
        label=_("Patent type"),
        help_text="invention, utility_model, design; repeat for OR. 专利类型，可重复。",
    )
    legal_status = django_filters.MultipleChoiceFilter(
        choices=LegalStatus.choices,
        label=_("Legal status"),
        help_text="pending, in_force, in_grace_period, lapsed, expired, ...; repeat for OR. 法律状态，可重复。",
    )
    holder = IntegerFilter(
        method="filter_holder",
        min_value=1,
        label=_("Holder"),
        help_text="Holder id: patents it holds now or applied for. 权利人编号。",
    )
    holder_kind = django_filters.ChoiceFilter(
        choices=Holder.Kind.choices,
        method="filter_holder_kind",
        label=_("Holder kind"),
        help_text="university, research_institute, medical_institution, enterprise, ... 权利人类别。",
    )
    region = RegionCodeFilter(
        method="filter_region",
        label=_("Region"),
        help_text=(
            "Region of the current holder; a province or city code matches everything below it "
            "(31: Shanghai, 310115: Pudong). 当前权利人所在地区。"
        ),
    )
    filed_from = django_filters.DateFilter(
        field_name="filing_date",
        lookup_expr="gte",
        label=_("Filed from"),
        help_text="YYYY-MM-DD. 申请日起。",
    )
    filed_to = django_filters.DateFilter(
        field_name="filing_date",
        lookup_expr="lte",
        label=_("Filed to"),
        help_text="YYYY-MM-DD. 申请日止。",
    )
    granted_from = django_filters.DateFilter(
        field_name="grant_date",
        lookup_expr="gte",
        label=_("Granted from"),
        help_text="YYYY-MM-DD. 授权日起。",
    )
    granted_to = django_filters.DateFilter(
        field_name="grant_date",
        lookup_expr="lte",
        label=_("Granted to"),
        help_text="YYYY-MM-DD. 授权日止。",
    )
    high_value = BooleanFilter(
        field_name="is_high_value",
        label=_("High-value"),
        help_text="true: high-value invention patents only. 仅高价值发明专利。",
    )
    has_offer = BooleanFilter(
        field_name="has_offer",
        label=_("Has an offer"),
        help_text="true: with a published offer. 有已发布的许可。",
    )
    jurisdiction = django_filters.CharFilter(
        field_name="jurisdiction",
        max_length=2,
        min_length=2,
        label=_("Jurisdiction"),
        help_text="Two-letter office code, e.g. CN. 国家/地区代码。",
    )
    number = PatentNumberFilter(
        method="filter_number",
        label=_("Number"),
        help_text=(
            "Any spelling of an application, publication, grant, PCT or WO number "
            "(ZL 201910209152.5, CN109918572B, PCT/CN2009/072663). 任意写法的各类号码。"
        ),
    )
    # Declared last: django-filter applies filters in this order, and PostgreSQL evaluates
    # equally priced conditions in the order written, so the cheap column tests reject rows
    # before the text match reads (and decompresses) a row's search document.
    q = SearchTextFilter(
        method="filter_text",
        label=_("Text"),
        help_text=(
            "Words in the title, keywords, abstract or holder names, Chinese or English; every term "
            "must match (e.g. 锂离子电池, lithium battery). Patent boilerplate and demand phrasing "
            "(一种, 本发明, 我公司, 需要 ...) are ignored; only such words: 400 query_too_common. "
            "标题、关键词、摘要、权利人中的词，中英文均可；专利套语和需求用语不参与检索。"
        ),
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in PATENT_KEYSETS],
        method="filter_ordering",
        label=_("Ordering"),
        help_text=(
            "relevance (with q; the default then), -filing_date (default otherwise), -grant_date, "
            "expiry_date. 排序。"
        ),
    )

    #: True in RankedPatentFilterSet, the list ordered by relevance.
    rank_by_text = False

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Patents matching the text, with their rank; when listed by relevance, only the
        best matches by the search engine's score (``best_by_engine``), or without the
        engine the newest matches (the rank window of ``patents.search.ranking``)."""
        if self.rank_by_text:
            best = best_by_engine(queryset, value, self.form.cleaned_data)
            if best is not None:
                return best
        matches = patent_text_search(queryset, value)
        return within_rank_window(matches) if self.rank_by_text else matches

    def filter_ipc(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(ipc_index__overlap=value) if value else queryset

    def filter_holder(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(
            Exists(Holding.objects.filter(patent=OuterRef("pk"), holder_id=value))
        )

    def filter_holder_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(holder_kinds__contains=[value]) if value else queryset

    def filter_region(self, queryset: QuerySet, name: str, value: str | None) -> QuerySet:
        if not value:
            return queryset
        prefix = region_code_prefix(value)
        if len(prefix) == len(value):
            # A district: nothing is below it, and equality lets its own index answer.
            return queryset.filter(region_id=value)
        return queryset.filter(region__code__startswith=prefix)

    def filter_number(
        self, queryset: QuerySet, name: str, value: tuple[str, str] | None
    ) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(number_condition(*value))

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied by the paginator: see PATENT_ORDERINGS

    examples = {
        "q": "锂离子电池",
        "ipc": "H01M",
        "holder": 3,
        "region": "310115",
        "filed_from": "2019-01-01",
        "filed_to": "2023-12-31",
        "granted_from": "2021-01-01",
        "granted_to": "2024-12-31",
        "jurisdiction": "CN",
        "number": "ZL 201910209152.5",
        "high_value": True,
        "has_offer": True,
    }

    class Meta:
        model = Patent
        fields: list[str] = []
        form = RelevanceNeedsTextForm


class RankedPatentFilterSet(PatentFilterSet):
    """The patent list and export ordered by relevance: ``q`` also ranks (it is applied
    last, after every other filter, so the window holds the newest of all the matches)."""

    rank_by_text = True


PATENT_ORDERINGS = Orderings(
    PATENT_KEYSETS,
    default="-filing_date",
    filterset=PatentFilterSet,
    ranking_filterset=RankedPatentFilterSet,
)


class LegalEventFilterSet(FilterSet):
    """GET /api/v1/legal-events/: each filter served by an index of the events."""

    patent = IntegerFilter(
        field_name="patent_id", min_value=1, label=_("Patent"), help_text="Patent id. 专利 ID。"
    )
    event_type = django_filters.MultipleChoiceFilter(
        choices=EventType.choices,
        label=_("Event type"),
        help_text=(
            "grant, lapse, transfer, licence_recorded, pledge_registered ...; repeat for OR. "
            "事件类型，可重复。"
        ),
    )

    examples = {"patent": 120}

    class Meta:
        model = LegalStatusEvent
        fields: list[str] = []
