"""Reads of the demand side: querysets shaped for their output, visibility applied.

Who sees what (DESIGN.md section 7). Operators (staff) see everything. An enterprise's
members see their own enterprise, its demands, matches, inquiries and deals; a holder's
members see the inquiries addressed to their holder and the deals it concluded; a user
sees their own saved searches. Everyone else sees nothing of these: another enterprise's
records answer 404. Who may *act* is ``enterprises.permissions``.

Saved searches. A saved search stores the query string of ``/api/v1/patents/`` or
``/api/v1/offers/`` as ``{parameter: [values]}``; it is re-run through that list's own
FilterSet, so what it finds is what the list shows for the same parameters. "New" is
measured from watermarks set when the search is saved and advanced by each alert run: for
patents the highest patent id already seen (``last_alerted_id``), for offers the
publication time already seen (``last_alerted_at``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from enterprises.models import (
    Deal,
    Enterprise,
    EnterpriseMembership,
    Inquiry,
    InquiryStatus,
    Match,
    SavedSearch,
    TechnologyDemand,
)
from enterprises.models.demands import LIVE_DEMAND_STATUSES
from patents.licensing.filtersets import OFFER_ORDERINGS
from patents.licensing.selectors import offers_visible_to, recorded_condition
from patents.models import Holder, Holding, Patent
from patents.permissions import is_operator, member_holder_ids
from patents.register.filtersets import PATENT_ORDERINGS
from patents.register.selectors import current_holders, patent_list_for_api
from patents.search.ranking import Orderings


# --- Visibility ---------------------------------------------------------------------------
def member_enterprise_ids(user: Any) -> list[int]:
    """The enterprises ``user`` acts for (none when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        EnterpriseMembership.objects.filter(user=user).values_list("enterprise_id", flat=True)
    )


def enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    """With the size standard and the designations the API shows."""
    queryset = Enterprise.objects.select_related("size_standard").prefetch_related("designations")
    if is_operator(user):
        return queryset
    return queryset.filter(pk__in=member_enterprise_ids(user))


def demands_visible_to(user: Any) -> QuerySet[TechnologyDemand]:
    queryset = TechnologyDemand.objects.select_related("enterprise")
    if is_operator(user):
        return queryset
    return queryset.filter(enterprise_id__in=member_enterprise_ids(user))


def matches_visible_to(user: Any) -> QuerySet[Match]:
    """With the patent, its current holders and the offer (two queries for any page)."""
    queryset = Match.objects.select_related("patent", "offer").prefetch_related(
        current_holders("patent__holdings")
    )
    if is_operator(user):
        return queryset
    return queryset.filter(demand__enterprise_id__in=member_enterprise_ids(user))


def demand_matches(demand: TechnologyDemand) -> QuerySet[Match]:
    """A demand's stored matches, best first (the index ``match_demand_score``), with the
    patent, its current holders and the offer (two queries for any page)."""
    return (
        Match.objects.filter(demand=demand)
        .select_related("patent", "offer")
        .prefetch_related(current_holders("patent__holdings"))
        .order_by("-score", "id")
    )


def inquiries_visible_to(user: Any) -> QuerySet[Inquiry]:
    """Those its enterprises sent and those addressed to its holders."""
    queryset = Inquiry.objects.select_related("enterprise", "holder", "patent")
    if is_operator(user):
        return queryset
    return queryset.filter(
        Q(enterprise_id__in=member_enterprise_ids(user)) | Q(holder_id__in=member_holder_ids(user))
    )


def deals_visible_to(user: Any) -> QuerySet[Deal]:
    """Those of its enterprises (the licensee) and of its holders (the licensor)."""
    queryset = Deal.objects.select_related(
        "enterprise", "holder", "licence_record"
    ).prefetch_related(Prefetch("licence_record__patents"))
    if is_operator(user):
        return queryset
    return queryset.filter(
        Q(enterprise_id__in=member_enterprise_ids(user)) | Q(holder_id__in=member_holder_ids(user))
    )


def licences_as_licensee(user: Any) -> Q | None:
    """A condition on LicenceRecord: the licences of deals whose licensee is an enterprise
    ``user`` acts for (registered with ``patents.licensing.selectors`` by
    ``enterprises.apps``); None when the user acts for none."""
    enterprises = member_enterprise_ids(user)
    if not enterprises:
        return None
    return Q(deal__enterprise_id__in=enterprises, deal__deleted_at__isnull=True)


def saved_searches_visible_to(user: Any) -> QuerySet[SavedSearch]:
    """A user's own (operators: everyone's)."""
    queryset = SavedSearch.objects.all()
    if is_operator(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(user=user)


# --- Working sets of the services and commands ----------------------------------------------
def live_demands(*, on: datetime.date) -> QuerySet[TechnologyDemand]:
    """Demands that are matched (open or matched, not past their deadline on ``on``)."""
    return TechnologyDemand.objects.filter(status__in=LIVE_DEMAND_STATUSES).exclude(deadline__lt=on)


def inquiries_due_reminder(
    *, now: datetime.datetime, after: datetime.timedelta
) -> QuerySet[Inquiry]:
    """Unanswered inquiries older than ``after`` not reminded within ``after``."""
    cutoff = now - after
    return (
        Inquiry.objects.filter(status=InquiryStatus.OPEN, created_at__lt=cutoff)
        .exclude(reminded_at__gte=cutoff)
        .select_related("holder", "patent", "enterprise")
        .order_by("created_at", "id")
    )


def inquiries_unanswered(*, now: datetime.datetime, after: datetime.timedelta) -> QuerySet[Inquiry]:
    """Inquiries still unanswered ``after`` they were sent (the operators' queue, with the
    reminders' delay)."""
    return Inquiry.objects.filter(status=InquiryStatus.OPEN, created_at__lt=now - after)


def deals_unrecorded(*, past_due_on: datetime.date | None = None) -> QuerySet[Deal]:
    """Deals whose licence is not recorded yet; with ``past_due_on``, only those whose
    recordation deadline is before that day."""
    deals = Deal.objects.exclude(recorded_condition("licence_record__"))
    if past_due_on is not None:
        deals = deals.filter(recordation_due__lt=past_due_on)
    return deals


def deals_due_reminder(*, on: datetime.date, within: datetime.timedelta) -> QuerySet[Deal]:
    """Deals whose licence is not yet recorded, due within ``within`` (or overdue)."""
    return (
        Deal.objects.filter(recordation_due__lte=on + within)
        .exclude(recorded_condition("licence_record__"))
        .select_related("holder", "enterprise", "licence_record")
        .order_by("recordation_due", "id")
    )


def patent_current_holder(patent: Patent) -> Holder | None:
    """The patent's first current holder of record (whom an inquiry about it goes to)."""
    holding = (
        Holding.objects.filter(patent=patent, role=Holding.Role.CURRENT)
        .select_related("holder")
        .order_by("order", "id")
        .first()
    )
    return holding.holder if holding else None


# --- Saved searches -----------------------------------------------------------------------
MAX_RESULTS = 100
SAVED_SEARCH_ORDERINGS: dict[str, Orderings] = {
    SavedSearch.Target.PATENTS: PATENT_ORDERINGS,
    SavedSearch.Target.OFFERS: OFFER_ORDERINGS,
}


def accepted_parameters(target: str) -> list[str]:
    """The query parameters the target list accepts (its filters, including q and ordering)."""
    return sorted(set(SAVED_SEARCH_ORDERINGS[target].filterset.base_filters) | {"q", "ordering"})


def query_dict(query: dict[str, list[str]]) -> QueryDict:
    """A saved query as the request's query string the list would have read."""
    data = QueryDict(mutable=True)
    for param, values in query.items():
        data.setlist(param, values)
    return data


def current_watermarks() -> tuple[int, datetime.datetime]:
    """The newest patent id and the time: what counts as seen from now on."""
    newest = Patent.all_objects.aggregate(newest=Max("id"))["newest"] or 0
    return newest, timezone.now()


@dataclass(frozen=True)
class NewResults:
    """What newly matches a saved search, in the list's order, at most ``limit`` of it."""

    rows: list[Any]
    truncated: bool


def saved_search_new_results(
    saved_search: SavedSearch,
    limit: int = 20,
    *,
    until_id: int | None = None,
    until: datetime.datetime | None = None,
) -> NewResults:
    """Patents registered (id above the watermark) or offers published (after the watermark)
    since the last alert that the list would show for the saved parameters.

    ``until_id``/``until`` cap what counts as new (an alert run fixes them when it starts,
    so that what arrives during the run is left for the next one). One query for patents
    plus their holders; one for offers plus their patents."""
    limit = max(1, min(limit, MAX_RESULTS))
    target = saved_search.target
    params = query_dict(saved_search.query or {})
    queryset: QuerySet[Any]
    if target == SavedSearch.Target.PATENTS:
        queryset = patent_list_for_api().filter(id__gt=saved_search.last_alerted_id)
        if until_id is not None:
            queryset = queryset.filter(id__lte=until_id)
    else:
        queryset = offers_visible_to(AnonymousUser())
        if saved_search.last_alerted_at is not None:
            queryset = queryset.filter(published_at__gt=saved_search.last_alerted_at)
        if until is not None:
            queryset = queryset.filter(published_at__lte=until)
    orderings = SAVED_SEARCH_ORDERINGS[target]
    filterset = orderings.filterset_for(params)(data=params, queryset=queryset)
    if not filterset.is_valid():  # the parameters were valid when saved; no longer
        return NewResults(rows=[], truncated=False)
    queryset = filterset.filter_queryset(queryset)
    rows = list(queryset.order_by(*orderings.keyset(params))[: limit + 1])
    return NewResults(rows=rows[:limit], truncated=len(rows) > limit)


def patent_number(patent: Patent) -> str:
    return patent.application_number or patent.grant_number or patent.publication_number or ""


def result_item(target: str, row: Any) -> dict[str, Any]:
    """One new result as the API and the alert e-mail show it: title, numbers, API path."""
    if target == SavedSearch.Target.PATENTS:
        numbers = [patent_number(row)]
        path = reverse("patent-detail", args=[row.pk])
    else:
        numbers = [patent_number(item.patent) for item in getattr(row, "ordered_items", [])]
        path = reverse("offer-detail", args=[row.pk])
    return {
        "id": row.pk,
        "title": row.title,
        "title_en": row.title_en,
        "numbers": [n for n in numbers if n],
        "path": path,
    }
