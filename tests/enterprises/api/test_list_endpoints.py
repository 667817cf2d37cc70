"""The list endpoints of the enterprises app keep the list contract (tests/support/api.py).

Every list of the demand side is for signed-in users (anonymous callers get 401) and shows
each user their own enterprises' records: ``sme`` reads the rows made for enterprise S,
``sme_other`` (another enterprise's member) must see none of them. The lists' own
behaviour is tested beside them (test_demands_end_to_end.py, test_inquiries_and_deals.py
...).
"""

from __future__ import annotations

import pytest

from enterprises.models import Match
from enterprises.services.matches import refresh_matches
from tests.factories import (
    DealFactory,
    DemandFactory,
    EnterpriseFactory,
    InquiryFactory,
    PatentFactory,
    SavedSearchFactory,
)
from tests.support.api import ListEndpointContract

pytestmark = pytest.mark.django_db


class DemandSideList(ListEndpointContract):
    """What the demand side's lists share."""

    visible_to_anonymous = False
    reader = "sme"
    outsider = "sme_other"


class TestEnterpriseList(DemandSideList):
    url = "/api/v1/enterprises/"
    filters = frozenset()
    expected_queries = (
        "the enterprises the user is a member of",
        "the page of them with their size standards",
        "their designations",
    )

    @pytest.fixture
    def make_rows(self, sme):
        """Enterprises that ``sme`` registers, and so administers."""
        return lambda n: [EnterpriseFactory.create(actor=sme).pk for _ in range(n)]


class TestDemandList(DemandSideList):
    url = "/api/v1/demands/"
    filters = frozenset({"status", "enterprise"})
    expected_queries = (
        "the enterprises the user is a member of",
        "the page of their demands with the enterprises",
    )
    bad_parameter = ({"status": "lost"}, "status")

    @pytest.fixture
    def make_rows(self, sme, enterprise_s):
        return lambda n: [
            DemandFactory.create(enterprise=enterprise_s, actor=sme).pk for _ in range(n)
        ]


class MatchRows:
    """Matches of an open demand of enterprise S: each row is a new solid-electrolyte patent
    that the demand is matched against again (at most 20 are kept, as many as a page)."""

    @pytest.fixture
    def demand(self, sme, enterprise_s):
        return DemandFactory.create(enterprise=enterprise_s, actor=sme, open_now=True)

    @pytest.fixture
    def make_rows(self, demand, operator, holder_a):
        def make(n):
            patents = [
                PatentFactory.create(
                    actor=operator,
                    title=f"一种硫化物固态电解质及锂电池 {index}",
                    ipc_codes=["H01M 10/0562"],
                    holders=[holder_a],
                )
                for index in range(n)
            ]
            refresh_matches(demand)
            return list(
                Match.objects.filter(demand=demand, patent__in=patents).values_list("pk", flat=True)
            )

        return make


class TestDemandMatchList(MatchRows, DemandSideList):
    url = "/api/v1/demands/{id}/matches/"
    filters = frozenset()
    expected_queries = (
        "the enterprises the user is a member of",
        "the demand, among theirs",
        "the page of its matches with their patents and offers",
        "the current holders of the page's patents",
    )

    @pytest.fixture
    def list_url(self, demand):
        return f"/api/v1/demands/{demand.pk}/matches/"


class TestMatchList(MatchRows, DemandSideList):
    url = "/api/v1/matches/"
    filters = frozenset({"state", "demand"})
    expected_queries = (
        "the enterprises the user is a member of",
        "the page of their demands' matches with their patents and offers",
        "the current holders of the page's patents",
    )
    bad_parameter = ({"state": "lost"}, "state")


class TestInquiryList(DemandSideList):
    url = "/api/v1/inquiries/"
    filters = frozenset({"status", "box"})
    expected_queries = (
        "the enterprises the user is a member of (inquiries they sent)",
        "the holders the user is a member of (inquiries addressed to them)",
        "the page of inquiries with their enterprises, holders and patents",
    )
    bad_parameter = ({"box": "inbox"}, "box")

    @pytest.fixture
    def make_rows(self, sme, enterprise_s, patent_a):
        """Inquiries enterprise S sends about patent A."""
        return lambda n: [
            InquiryFactory.create(enterprise=enterprise_s, actor=sme, patent=patent_a).pk
            for _ in range(n)
        ]


class TestDealList(DemandSideList):
    url = "/api/v1/deals/"
    filters = frozenset()
    expected_queries = (
        "the enterprises the user is a member of (their deals as licensee)",
        "the holders the user is a member of (their deals as licensor)",
        "the page of deals with their enterprises, holders and licence records",
        "the records' patents",
    )

    @pytest.fixture
    def make_rows(self, sme, enterprise_s, university_a, patent_a):
        """Ordinary licences of patent A that holder A records after enterprise S asked."""

        def make(n):
            return [
                DealFactory.create(
                    inquiry=InquiryFactory.create(
                        enterprise=enterprise_s, actor=sme, patent=patent_a
                    ),
                    actor=university_a,
                ).pk
                for _ in range(n)
            ]

        return make


class TestSavedSearchList(DemandSideList):
    url = "/api/v1/saved-searches/"
    filters = frozenset()
    expected_queries = ("the page of the user's saved searches",)

    @pytest.fixture
    def make_rows(self, sme, enterprise_s):
        return lambda n: [
            SavedSearchFactory.create(enterprise=enterprise_s, actor=sme).pk for _ in range(n)
        ]
