"""The licensing lists' filters, documented in zh and en: offers (GET /api/v1/offers/ and
/facets/), licence records, pledges, and the feed of offer events."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from conversion_db.api.filters import (
    BooleanFilter,
    FilterSet,
    IntegerFilter,
    IsoDateTimeFilter,
    SearchTextFilter,
)
from patents.licensing.selectors import FEED_EVENTS, OfferHistory, offered_patents_condition
from patents.models import (
    Holder,
    LicenceKind,
    LicenceRecord,
    LicensingOffer,
    OfferPatent,
    OfferStatus,
    OfferType,
    PatentType,
    Pledge,
    PledgeStatus,
    PricingMode,
)
from patents.reference.filtersets import IpcSymbolsFilter, RegionCodeFilter
from patents.reference.regions import region_code_prefix
from patents.search.ranking import (
    Orderings,
    RelevanceNeedsTextForm,
    offers_ranked_by_text,
    patent_text_search,
)

OFFER_KEYSETS = {
    "relevance": ["-rank", "-id"],
    "-published_at": ["-published_sort", "-id"],
    "price": ["price_sort", "id"],
}


class OfferFilterSet(FilterSet):
    q = SearchTextFilter(
        method="filter_text",
        label=_("Text"),
        help_text=(
            "Words of the offered patents (title, keywords, abstract), Chinese or English; "
            "every term must match; patent boilerplate and demand phrasing (一种, 我公司, "
            "需要 ...) are ignored. Ordered by relevance, the offers of the 1,000 most "
            "recently registered matching patents are ranked by their best patent; other "
            "orderings and the facets take every match. 许可专利中的词。"
        ),
    )
    offer_type = django_filters.MultipleChoiceFilter(
        choices=OfferType.choices,
        label=_("Offer type"),
        help_text="exclusive, sole, ordinary, open_licence, assignment, equity_contribution; repeat for OR. 许可方式。",
    )
    pricing_mode = django_filters.MultipleChoiceFilter(
        choices=PricingMode.choices,
        label=_("Pricing mode"),
        help_text="lump_sum, royalty_net_sales, royalty_profit, entry_fee_royalty, negotiable. 定价方式。",
    )
    price_min = django_filters.NumberFilter(
        field_name="lump_sum_cny",
        lookup_expr="gte",
        min_value=0,
        label=_("Price from (CNY)"),
        help_text="Lump sum or entry fee at least this (CNY). 一次性费用下限（元）。",
    )
    price_max = django_filters.NumberFilter(
        field_name="lump_sum_cny",
        lookup_expr="lte",
        min_value=0,
        label=_("Price up to (CNY)"),
        help_text="Lump sum or entry fee at most this (CNY). 一次性费用上限（元）。",
    )
    royalty_rate_max = django_filters.NumberFilter(
        field_name="royalty_rate",
        lookup_expr="lte",
        min_value=0,
        max_value=100,
        label=_("Royalty rate up to (%)"),
        help_text="Royalty rate at most this percentage. 提成比例上限（%）。",
    )
    holder = IntegerFilter(
        field_name="holder_id", min_value=1, label=_("Holder"), help_text="Holder id. 权利人编号。"
    )
    holder_kind = django_filters.ChoiceFilter(
        choices=Holder.Kind.choices,
        field_name="holder__kind",
        label=_("Holder kind"),
        help_text="university, research_institute, enterprise, ... 权利人类别。",
    )
    region = RegionCodeFilter(
        method="filter_region",
        label=_("Region"),
        help_text="Region of the holder; a province or city matches everything below it. 权利人地区。",
    )
    ipc = IpcSymbolsFilter(
        method="filter_ipc",
        label=_("IPC"),
        help_text="An offered patent's IPC at any level (H01M matches H01M 10/0525); repeat for OR. 分类号。",
    )
    patent_type = django_filters.MultipleChoiceFilter(
        choices=PatentType.choices,
        method="filter_patent_type",
        label=_("Patent type"),
        help_text="An offered patent's type. 专利类型。",
    )
    high_value = BooleanFilter(
        method="filter_high_value",
        label=_("High-value"),
        help_text="true: offers with a high-value invention patent. 含高价值发明专利。",
    )
    term_years_min = IntegerFilter(
        method="filter_term_years",
        min_value=0,
        max_value=30,
        label=_("Licence term at least (years)"),
        help_text="Offers whose licence term lasts at least this many years. 许可期限下限（年）。",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=OfferStatus.choices,
        label=_("Status"),
        help_text="Your own offers by status (the public sees published offers only). 状态。",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in OFFER_KEYSETS],
        method="filter_ordering",
        label=_("Ordering"),
        help_text=(
            "relevance (with q; the default then), -published_at (newest, the default "
            "otherwise) or price (lowest first). 排序。"
        ),
    )

    def _patents(self, queryset: QuerySet, **conditions: Any) -> QuerySet:
        return queryset.filter(
            Exists(OfferPatent.objects.filter(offer=OuterRef("pk"), **conditions))
        )

    #: True in RankedOfferFilterSet, the list ordered by relevance.
    rank_by_text = False

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Offers with a matching patent; when listed by relevance, ranked by their best
        matching patent over patent search's window (``patents.search.ranking``)."""
        if self.rank_by_text:
            user = getattr(self.request, "user", None)
            return offers_ranked_by_text(queryset, value, offered=offered_patents_condition(user))
        items = OfferPatent.objects.filter(offer=OuterRef("pk"))
        return queryset.filter(Exists(patent_text_search(items, value, path="patent__")))

    def filter_ipc(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return self._patents(queryset, patent__ipc_index__overlap=value) if value else queryset

    def filter_patent_type(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return self._patents(queryset, patent__patent_type__in=value) if value else queryset

    def filter_high_value(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        having = self._patents(LicensingOffer.objects.all(), patent__is_high_value=True)
        return (
            queryset.filter(pk__in=having.values("pk"))
            if value
            else queryset.exclude(pk__in=having.values("pk"))
        )

    def filter_region(self, queryset: QuerySet, name: str, value: str | None) -> QuerySet:
        return (
            queryset.filter(holder__region__code__startswith=region_code_prefix(value))
            if value
            else queryset
        )

    def filter_term_years(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        table = LicensingOffer._meta.db_table
        at_least = RawSQL(f'"{table}"."term_start" + make_interval(years => %s)', [value])  # noqa: S611
        return queryset.filter(term_start__isnull=False, term_end__gte=at_least)

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied by the paginator: see OFFER_ORDERINGS

    examples = {
        "q": "锂离子电池",
        "holder": 3,
        "region": "310000",
        "ipc": "H01M",
        "price_min": 100000,
        "price_max": 500000,
        "royalty_rate_max": 5,
        "term_years_min": 3,
        "high_value": True,
    }

    class Meta:
        model = LicensingOffer
        fields: list[str] = []
        form = RelevanceNeedsTextForm


class RankedOfferFilterSet(OfferFilterSet):
    """The offer list and export ordered by relevance: ``q`` also ranks."""

    rank_by_text = True


OFFER_ORDERINGS = Orderings(
    OFFER_KEYSETS,
    default="-published_at",
    filterset=OfferFilterSet,
    ranking_filterset=RankedOfferFilterSet,
)


class LicenceFilterSet(FilterSet):
    holder = IntegerFilter(
        field_name="licensor_id", min_value=1, label=_("Holder"), help_text="Licensor id. 许可方。"
    )
    patent = IntegerFilter(
        field_name="patents", min_value=1, label=_("Patent"), help_text="Patent id. 专利 ID。"
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=LicenceKind.choices,
        label=_("Kind"),
        help_text="exclusive, sole, ordinary, assignment.",
    )

    examples = {
        "holder": 3,
        "patent": 120,
    }

    class Meta:
        model = LicenceRecord
        fields: list[str] = []


class PledgeFilterSet(FilterSet):
    holder = IntegerFilter(
        field_name="pledgor_id", min_value=1, label=_("Holder"), help_text="Pledgor id. 出质人。"
    )
    patent = IntegerFilter(
        field_name="patents", min_value=1, label=_("Patent"), help_text="Patent id. 专利 ID。"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=PledgeStatus.choices, label=_("Status"), help_text="registered, changed, cancelled."
    )

    examples = {
        "holder": 3,
        "patent": 120,
    }

    class Meta:
        model = Pledge
        fields: list[str] = []


class OfferEventFilterSet(FilterSet):
    since = IsoDateTimeFilter(
        field_name="history_date",
        lookup_expr="gte",
        label=_("Since"),
        help_text=(
            "Events at or after this time (ISO 8601, e.g. 2026-03-01T00:00:00+08:00). "
            "此时间（含）之后的事件。"
        ),
    )
    event = django_filters.MultipleChoiceFilter(
        field_name="status",
        choices=[(status.value, status.label) for status in FEED_EVENTS],
        label=_("Event"),
        help_text="published, withdrawn, concluded, expired; repeat for OR. 事件类型，可重复。",
    )

    examples = {
        "since": "2026-11-01T00:00:00+08:00",
    }

    class Meta:
        model = OfferHistory
        fields: list[str] = []
