"""Reads of the patent register: lists and the detail shaped for their output, and one
patent found by any of its numbers."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404

from patents.models import (
    Holding,
    LegalStatusEvent,
    LicensingOffer,
    OfferStatus,
    OfferType,
    Patent,
    Pledge,
    PledgeStatus,
)
from patents.register import numbers

# What a list row shows (patents.api.serializers.PATENT_LIST_FIELDS), plus the keyset
# orderings' columns, which the page's next link reads from its last row. The other 26
# columns (texts, the search vector, the IPC index, provenance) are not read: fewer
# columns to compile, send and turn into objects on every list request.
LIST_COLUMNS = (
    *("id", "jurisdiction", "application_number", "publication_number", "grant_number"),
    *("patent_type", "title", "title_en", "main_ipc", "ipc_codes", "filing_date"),
    *("publication_date", "grant_date", "legal_status", "expiry_date", "is_high_value"),
    *("has_offer", "region", "version", "filing_sort", "grant_sort", "expiry_sort"),
)


def patent_list() -> QuerySet[Patent]:
    """Live patents, with what list rows show."""
    return Patent.objects.select_related("region")


def current_holders(path: str = "holdings") -> Prefetch:
    """Prefetch the current holders of the patents at ``path`` (``holdings`` from a patent,
    ``patent__holdings`` from a match or an offer item) into ``current_holdings``, in order,
    with each holder: one query for a whole page."""
    current = (
        Holding.objects.filter(role=Holding.Role.CURRENT)
        .select_related("holder")
        .order_by("order", "id")
    )
    return Prefetch(path, queryset=current, to_attr="current_holdings")


def current_holder_names_of(patent: str = "pk") -> ArraySubquery:
    """The current holders of the patent whose id is at ``patent`` (an outer column), in
    order, as ``{id, name, name_en}`` objects: computed inside the row's own query, for
    entries that name the holders and need no more of them (an offer's patents)."""
    holdings = (
        Holding.objects.filter(patent_id=OuterRef(patent), role=Holding.Role.CURRENT)
        .order_by("order", "id")
        .values(json=JSONObject(id="holder_id", name="holder__name", name_en="holder__name_en"))
    )
    return ArraySubquery(holdings)


def patent_list_for_api() -> QuerySet[Patent]:
    """List rows with their current holders (one extra query per page, not per row); only
    the columns a list row shows are read."""
    return Patent.objects.only(*LIST_COLUMNS).prefetch_related(current_holders())


def patent_detail(pk: int) -> Patent:
    holdings = Holding.objects.select_related("holder", "holder__region").order_by(
        "role", "order", "id"
    )
    found = (
        Patent.objects.select_related("region")
        .prefetch_related(
            Prefetch("holdings", queryset=holdings, to_attr="all_holdings"),
            Prefetch(
                "legal_events",
                queryset=LegalStatusEvent.objects.order_by("-event_date", "-id")[:RECENT_EVENTS],
                to_attr="recent_legal_events",
            ),
        )
        .annotate(
            pledged=Exists(
                Pledge.objects.filter(patents=OuterRef("pk")).exclude(status=PledgeStatus.CANCELLED)
            ),
            open_licence=Exists(
                LicensingOffer.objects.filter(
                    items__patent=OuterRef("pk"),
                    offer_type=OfferType.OPEN_LICENCE,
                    status=OfferStatus.PUBLISHED,
                )
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- Numbers --------------------------------------------------------------------------------
def number_condition(kind: str, canonical: str) -> Q:
    """The patents that carry a number of this kind (as ``numbers.identify_number`` names
    it): an application, a publication or grant, a PCT application or a WO publication.
    Each is a unique index's equality."""
    if kind == "application":
        return Q(application_number=canonical)
    if kind == "publication":
        return Q(publication_number=canonical) | Q(grant_number=canonical)
    if kind == "pct":
        return Q(pct_application_number=canonical)
    if kind == "wo":
        return Q(wo_publication_number=canonical)
    raise ValueError(f"unknown number kind {kind!r}")


def with_number(queryset: QuerySet[Patent], text: str) -> QuerySet[Patent]:
    """The patents of ``queryset`` with this number in any accepted spelling
    (``numbers.PatentNumberError`` when it is no patent number)."""
    kind, canonical = numbers.identify_number(text)
    return queryset.filter(number_condition(kind, canonical))


# --- Legal-status events --------------------------------------------------------------------
RECENT_EVENTS = 5  # how many the patent's detail shows (the rest: /patents/{id}/events/)


def legal_events() -> QuerySet[LegalStatusEvent]:
    """Events of live patents, newest first (legal_event_newest, legal_event_type_newest)."""
    return LegalStatusEvent.objects.filter(patent__deleted_at__isnull=True)


def patent_legal_events(patent: Patent) -> QuerySet[LegalStatusEvent]:
    """One patent's events (legal_event_patent_newest)."""
    return LegalStatusEvent.objects.filter(patent=patent)
