"""Reads of the patent register: one patent found by any of its numbers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from patents.models import Patent
from patents.register import numbers


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
