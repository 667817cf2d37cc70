"""The list endpoints of the patents app keep the list contract (tests/support/api.py).

One class per list: what it reads, what a page costs and why, and how to make rows it
shows; the contract's tests run for each. Their own behaviour is tested beside them
(test_ipc_api.py, test_patents_api.py, test_offers_api.py ...).
"""

from __future__ import annotations

import datetime
import itertools

import pytest

from patents.licensing.events import EventInput, legal_event_apply
from patents.models import EventType
from patents.reference.ipc import parse_ipc
from patents.reference.selectors import ipc_list, ipc_subtree, region_list
from tests.factories import (
    LicenceRecordFactory,
    OfferFactory,
    PatentFactory,
    PledgeFactory,
)
from tests.support.api import ListEndpointContract

pytestmark = pytest.mark.django_db


class TestIpcList(ListEndpointContract):
    url = "/api/v1/ipc/"
    key = "symbol"
    params = {"under": "H01M"}  # the seeded scheme, narrowed to one subclass
    filters = frozenset({"q", "parent", "under", "level", "tech_field"})
    expected_queries = ("the page of symbols, their technology field joined",)
    bad_parameter = ({"level": "galaxy"}, "level")

    @pytest.fixture
    def make_rows(self, db):
        """Reference data is seeded, not made: the first n symbols under H01M."""
        subtree = ipc_subtree(ipc_list(), parse_ipc("H01M")).order_by("key")
        return lambda n: [row.symbol for row in subtree[:n]]


class TestRegionList(ListEndpointContract):
    url = "/api/v1/regions/"
    key = "code"
    filters = frozenset({"q", "parent", "under", "level", "current"})
    expected_queries = ("the page of regions",)
    bad_parameter = ({"current": "maybe"}, "current")

    @pytest.fixture
    def make_rows(self, db):
        """Reference data is seeded, not made: the first n regions by code."""
        return lambda n: [row.code for row in region_list().order_by("code")[:n]]


class TestPatentList(ListEndpointContract):
    url = "/api/v1/patents/"
    filters = frozenset(
        {
            "q", "number", "ipc", "patent_type", "legal_status", "jurisdiction", "region",
            "holder", "holder_kind", "filed_from", "filed_to", "granted_from", "granted_to",
            "high_value", "has_offer", "ordering",
        }
    )  # fmt: skip
    expected_queries = (
        "the search generation, which keys the cached pages",
        "the page's ids, from the index covering the ordering",
        "their rows",
        "their current holders",
    )
    bad_parameter = ({"filed_from": "yesterday"}, "filed_from")

    @pytest.fixture
    def make_rows(self, operator, holder_a):
        def make(n):
            return [PatentFactory.create(actor=operator, holders=[holder_a]).pk for _ in range(n)]

        return make


class TestOfferList(ListEndpointContract):
    url = "/api/v1/offers/"
    filters = frozenset(
        {
            "q", "offer_type", "pricing_mode", "status", "ipc", "patent_type", "holder",
            "holder_kind", "region", "high_value", "price_min", "price_max", "royalty_rate_max",
            "term_years_min", "ordering",
        }
    )  # fmt: skip
    expected_queries = (
        "the page of offers with their holders",
        "their patents, each with its current holders' names",
    )
    bad_parameter = ({"royalty_rate_max": "abc"}, "royalty_rate_max")

    @pytest.fixture
    def make_rows(self, university_a, operator, patent_a):
        """Open licences of patent A, published through the review."""

        def make(n):
            return [
                OfferFactory.create(
                    patents=[patent_a], actor=university_a, reviewer=operator, status="published"
                ).pk
                for _ in range(n)
            ]

        return make


class TestLicenceList(ListEndpointContract):
    url = "/api/v1/licences/"
    filters = frozenset({"holder", "patent", "kind"})
    expected_queries = ("the page of licences with their licensors", "their patents")
    bad_parameter = ({"kind": "rental"}, "kind")

    @pytest.fixture
    def make_rows(self, university_a, patent_a):
        """Ordinary licences of patent A, recorded by its holder's member."""

        def make(n):
            return [
                LicenceRecordFactory.create(patents=[patent_a], actor=university_a).pk
                for _ in range(n)
            ]

        return make


class TestPledgeList(ListEndpointContract):
    url = "/api/v1/pledges/"
    filters = frozenset({"holder", "patent", "status"})
    expected_queries = ("the page of pledges with their pledgors", "their patents")
    bad_parameter = ({"status": "lost"}, "status")

    @pytest.fixture
    def make_rows(self, university_a, operator, holder_a):
        """A patent can be pledged once: each pledge is of a new patent of holder A."""

        def make(n):
            return [
                PledgeFactory.create(
                    patents=[PatentFactory.create(actor=operator, holders=[holder_a])],
                    actor=university_a,
                ).pk
                for _ in range(n)
            ]

        return make


class TestOfferFeed(ListEndpointContract):
    url = "/api/v1/feeds/offers/"
    key = "offer"  # each offer made below has one event: its publication
    filters = frozenset({"since", "event"})
    expected_queries = ("the page of events with their holders", "their patents' numbers")
    bad_parameter = ({"since": "yesterday"}, "since")

    @pytest.fixture
    def make_rows(self, university_a, operator, patent_a):
        def make(n):
            return [
                OfferFactory.create(
                    patents=[patent_a], actor=university_a, reviewer=operator, status="published"
                ).pk
                for _ in range(n)
            ]

        return make


class LegalEventRows:
    """Events stored through the service (``legal_event_apply``), on one patent: changes of
    bibliographic data, stored only, a day apart."""

    @pytest.fixture
    def patent(self, operator, holder_a):
        return PatentFactory.create(actor=operator, holders=[holder_a])

    @pytest.fixture
    def make_rows(self, operator, patent):
        made = itertools.count()

        def make(n):
            rows = []
            for _ in range(n):
                day = next(made)
                event, _outcome = legal_event_apply(
                    actor=operator,
                    patent=patent,
                    event=EventInput(
                        event_date=datetime.date(2022, 1, 1) + datetime.timedelta(days=day),
                        event_type=EventType.BIBLIOGRAPHIC_CHANGE,
                        source_words="著录事项变更",
                        number=str(day),
                    ),
                )
                rows.append(event.pk)
            return rows

        return make


class TestLegalEventList(LegalEventRows, ListEndpointContract):
    url = "/api/v1/legal-events/"
    filters = frozenset({"patent", "event_type"})
    expected_queries = ("the page of events of live patents",)
    bad_parameter = ({"event_type": "party"}, "event_type")


class TestPatentEventList(LegalEventRows, ListEndpointContract):
    url = "/api/v1/patents/{id}/events/"
    filters = frozenset()
    expected_queries = ("the patent (else 404)", "the page of its events")

    @pytest.fixture
    def list_url(self, patent):
        return f"/api/v1/patents/{patent.pk}/events/"
