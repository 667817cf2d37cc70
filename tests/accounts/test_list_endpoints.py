"""The lists of the accounts app keep the list contract (tests/support/api.py).

The holder list is public; the others show each signed-in user their own records: ``sme``
reads the rows made for them, ``sme_other`` (a member of another enterprise) none of them.
What the lists do besides (deciding requests, accepting invitations, revoking tokens) is
tested beside them (test_memberships.py, test_tokens_and_lockout.py)."""

from __future__ import annotations

from itertools import count

import pytest

from accounts.services.holders import membership_request_create
from accounts.services.invitations import invitation_create
from accounts.services.tokens import token_create
from tests.factories import HolderFactory
from tests.support.api import ListEndpointContract

pytestmark = pytest.mark.django_db


class TestHolderList(ListEndpointContract):
    url = "/api/v1/holders/"
    filters = frozenset({"q", "kind", "verified"})
    expected_queries = ("the page of holders (no relation is shown)",)
    bad_parameter = ({"verified": "maybe"}, "verified")

    @pytest.fixture
    def make_rows(self):
        return lambda n: [HolderFactory.create().pk for _ in range(n)]


class OwnList(ListEndpointContract):
    visible_to_anonymous = False
    reader = "sme"
    outsider = "sme_other"


class TestTokenList(OwnList):
    url = "/api/v1/auth/tokens/"
    key = "prefix"
    filters = frozenset()
    expected_queries = ("the page of the user's unexpired tokens",)

    @pytest.fixture
    def make_rows(self, sme):
        numbers = count()

        def make(n):
            return [
                token_create(actor=sme, name=f"script {next(numbers)}")[0].token_key
                for _ in range(n)
            ]

        return make


class TestHolderRequestList(OwnList):
    url = "/api/v1/holder-requests/"
    filters = frozenset({"status", "kind", "holder"})
    expected_queries = (
        "the holders the user administers (requests they decide)",
        "the page of requests with their holders and requesters",
    )
    bad_parameter = ({"status": "lost"}, "status")

    @pytest.fixture
    def make_rows(self, sme):
        """Requests of ``sme`` to join holders."""
        return lambda n: [
            membership_request_create(actor=sme, holder=HolderFactory.create(), message="").pk
            for _ in range(n)
        ]


class TestInvitationList(OwnList):
    url = "/api/v1/invitations/"
    filters = frozenset({"status", "enterprise"})
    expected_queries = (
        "the enterprises the user administers",
        "the user's proved e-mail addresses (invitations addressed to them)",
        "the page of invitations with their enterprises",
    )
    bad_parameter = ({"enterprise": "S"}, "enterprise")

    @pytest.fixture
    def make_rows(self, sme, enterprise_s):
        """Invitations that ``sme``, enterprise S's admin, sends to colleagues."""
        numbers = count()

        def make(n):
            return [
                invitation_create(
                    actor=sme,
                    enterprise=enterprise_s,
                    email=f"colleague{next(numbers)}@example.org",
                ).pk
                for _ in range(n)
            ]

        return make
