"""Reads of licensing: who may read which offer, the offered patents, the offers due to
expire, the offer list's facets, the public events of offers (the feed), and the recorded
licences and pledges."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from patents.licensing.eligibility import TERMINATED_STATUSES
from patents.models import LicenceRecord, LicensingOffer, OfferPatent, OfferStatus, Patent, Pledge
from patents.permissions import is_operator, member_holder_ids
from patents.register.selectors import current_holder_names_of
from patents.search.facets import Facet, facet_counts


def offered_patents_condition(user: Any) -> Q:
    """A condition on Patent: it is in an offer that ``user`` may read (for the public, a
    published one: ``has_offer``; for members, also their holders' other offers; for
    operators, any offer)."""
    if is_operator(user):
        return Q(Exists(OfferPatent.objects.filter(patent=OuterRef("pk"))))
    condition = Q(has_offer=True)
    holders = member_holder_ids(user)
    if holders:
        own = OfferPatent.objects.filter(patent=OuterRef("pk"), offer__holder_id__in=holders)
        condition |= Q(Exists(own))
    return condition


#: What an offer's list entry shows of each offered patent (``OfferPatentSerializer``): the
#: other columns, long texts and the search vector among them, are not read.
OFFERED_PATENT_COLUMNS = (
    *("id", "application_number", "publication_number", "grant_number", "patent_type"),
    *("title", "title_en", "main_ipc", "legal_status", "expiry_date", "is_high_value"),
)


def offers_visible_to(user: Any) -> QuerySet[LicensingOffer]:
    """What ``user`` may read: published offers that the rules have not expired (even before
    ``expire_offers`` runs), plus every offer of the holders they act for; operators all.
    With the holder, and the offered patents in order with their current holders' names
    (two queries for any page)."""
    today = timezone.localdate()
    # Per row, so that a page scanned in index order stops after 21 offers (a NOT IN over
    # every expired offer would be computed whole on each request).
    lapsed_patent = OfferPatent.objects.filter(
        offer=OuterRef("pk"), patent__legal_status__in=TERMINATED_STATUSES
    )
    visible: Q = Q(
        Q(status=OfferStatus.PUBLISHED),
        Q(term_end__isnull=True) | Q(term_end__gte=today),
        ~Exists(lapsed_patent),
    )
    if is_operator(user):
        visible = Q()
    elif getattr(user, "is_authenticated", False):
        visible |= Q(holder_id__in=member_holder_ids(user))
    # The offered patents with only the columns an entry shows: the long texts and search
    # vector (stored out of line) would cost more than the rest of the page, and every
    # other column is one more value to convert per patent.
    items = (
        OfferPatent.objects.select_related("patent")
        .only("offer_id", "order", *(f"patent__{name}" for name in OFFERED_PATENT_COLUMNS))
        .annotate(patent_holders=current_holder_names_of("patent_id"))
        .order_by("order", "id")
    )
    return (
        LicensingOffer.objects.filter(visible)
        .select_related("holder")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="ordered_items"))
    )


def offers_due_to_expire(on: datetime.date) -> QuerySet[LicensingOffer]:
    """Published offers whose term has ended or with a patent no longer in force."""
    return (
        LicensingOffer.objects.filter(status=OfferStatus.PUBLISHED)
        .filter(Q(term_end__lt=on) | Q(items__patent__legal_status__in=TERMINATED_STATUSES))
        .distinct()
    )


# Offers m (one row per offer) and their patents mp (one row per offered patent): an
# offer counts once per value of its patents.
OFFER_FACETS = (
    Facet("offer_type", "m.facet_offer_type", condition="m.facet_offer_type IS NOT NULL"),
    Facet("pricing_mode", "m.facet_pricing_mode", condition="m.facet_pricing_mode IS NOT NULL"),
    Facet("holder_kind", "m.facet_holder_kind", condition="m.facet_holder_kind IS NOT NULL"),
    Facet(
        "patent_type",
        "mp.patent_type",
        "mp",
        "mp.patent_type IS NOT NULL",
        count="count(DISTINCT mp.facet_offer)",
    ),
    Facet(
        "ipc_section",
        "mp.ipc_section",
        "mp",
        "mp.ipc_section IS NOT NULL",
        count="count(DISTINCT mp.facet_offer)",
    ),
)


def offer_facets(queryset: QuerySet[LicensingOffer]) -> dict[str, Any]:
    """Counts over the filtered offers, in one statement: by type, pricing and holder kind,
    and by the offered patents' type and IPC section (an offer counts once per value).

    Like patent facets (``patents.search.facets``): exact up to ``OFFER_FACET_EXACT_LIMIT``
    matching offers (the planner's estimate), above that counted on a sample of the
    offers' pages, scaled up, and marked ``approximate``."""
    items, patents = OfferPatent._meta.db_table, Patent._meta.db_table
    offered_patents = (
        "SELECT m.facet_offer, p.patent_type, nullif(left(p.main_ipc, 1), '') AS ipc_section "  # noqa: S608 - our SQL
        f'FROM m JOIN "{items}" i ON i.offer_id = m.facet_offer '
        f'JOIN "{patents}" p ON p.id = i.patent_id'
    )
    return facet_counts(
        queryset.order_by().values(
            facet_offer=F("pk"),
            facet_offer_type=F("offer_type"),
            facet_pricing_mode=F("pricing_mode"),
            facet_holder_kind=F("holder__kind"),
        ),
        OFFER_FACETS,
        exact_limit=settings.OFFER_FACET_EXACT_LIMIT,
        tables={"mp": offered_patents},
    )


# --- Recorded licences and pledges -------------------------------------------------------------
def recorded_condition(prefix: str = "") -> Q:
    """A licence record that CNIPA has recorded: it carries a recordation number or date
    (``prefix``: the path to the record, e.g. ``licence_record__`` from a deal)."""
    return ~Q(**{f"{prefix}recordation_number": ""}) | Q(
        **{f"{prefix}recordation_date__isnull": False}
    )


LicenseeCondition = Callable[[Any], Q | None]
LICENSEE_CONDITIONS: list[LicenseeCondition] = []


def register_licensee_condition(condition: LicenseeCondition) -> None:
    """Let the demand side say which licence records a user is the licensee of (its
    enterprise's deals), as a condition on LicenceRecord, without this app importing it
    (``enterprises.apps``). ``condition(user)`` is None when the user is no licensee."""
    if condition not in LICENSEE_CONDITIONS:
        LICENSEE_CONDITIONS.append(condition)


def licence_party_condition(user: Any) -> Q | None:
    """The licence records ``user`` is a party to: the licensor's members and the
    licensee's (through a deal); None when there are none. Asked once per request."""
    holders = member_holder_ids(user)
    conditions = [Q(licensor_id__in=holders)] if holders else []
    for licensee in LICENSEE_CONDITIONS:
        condition = licensee(user)
        if condition is not None:
            conditions.append(condition)
    if not conditions:
        return None
    found = conditions[0]
    for condition in conditions[1:]:
        found |= condition
    return found


def licence_records(user: Any) -> QuerySet[LicenceRecord]:
    """The licence and assignment records ``user`` may read, with the licensor and the
    patents (two queries for any page), each annotated ``party``: whether ``user`` sees its
    private columns (amount, credit code, source).

    What the public sees matches what CNIPA publishes: recorded licences only (a record
    with a recordation number or date, ``recorded_condition``). The parties (the licensor's
    members, the licensee's through the deal) also see their own unrecorded ones; operators
    see all. The conditions are computed once per request (memberships: one query each)."""
    records = LicenceRecord.objects.select_related("licensor").prefetch_related("patents")
    if is_operator(user):
        return records.annotate(party=Value(True))
    recorded = recorded_condition()
    party = licence_party_condition(user)
    if party is None:
        return records.filter(recorded).annotate(party=Value(False))
    return records.filter(recorded | party).annotate(
        party=ExpressionWrapper(party, output_field=BooleanField())
    )


def pledge_records() -> QuerySet[Pledge]:
    """Pledges with the pledgor and the patents (two queries for any page)."""
    return Pledge.objects.select_related("pledgor").prefetch_related("patents")


# --- The feed of offer events -----------------------------------------------------------------
OfferHistory: Any = LicensingOffer.history.model

FEED_EVENTS = [
    OfferStatus.PUBLISHED,
    OfferStatus.WITHDRAWN,
    OfferStatus.CONCLUDED,
    OfferStatus.EXPIRED,
]


def offer_events() -> QuerySet[Any]:
    """History rows that are offer events, with the holder. Served by the partial index
    ``offer_history_events`` (newest first) and, for the previous row of each,
    ``offer_history_offer`` (migration patents 0007).

    An event is a row of the offers' history whose status is published, withdrawn,
    concluded or expired and differs from the offer's previous history row. Only offers
    that were once published have events: a draft withdrawn before review was never
    public and stays private."""
    previous = (
        OfferHistory.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("status")[:1]
    )
    return (
        OfferHistory.objects.filter(status__in=FEED_EVENTS, published_at__isnull=False)
        .alias(previous_status=Coalesce(Subquery(previous), Value("")))
        .exclude(previous_status=F("status"))
        .select_related("holder")
    )
