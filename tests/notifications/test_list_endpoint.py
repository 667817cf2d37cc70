"""The inbox keeps the list contract (tests/support/api.py): ``sme`` reads the
notifications sent to them, ``sme_other`` none of them. Its order (unread first), marking
read and the unread count are tested in test_inbox_api.py."""

from __future__ import annotations

import pytest

from notifications.services import notify
from tests.support.api import ListEndpointContract

pytestmark = pytest.mark.django_db


class TestNotificationList(ListEndpointContract):
    url = "/api/v1/notifications/"
    visible_to_anonymous = False
    reader = "sme"
    outsider = "sme_other"
    filters = frozenset({"unread", "kind"})
    expected_queries = ("the page of the user's notifications with their events",)
    bad_parameter = ({"kind": "gossip"}, "kind")

    @pytest.fixture
    def make_rows(self, sme, patent_a):
        def make(n):
            made = []
            for index in range(n):
                notification = notify(
                    actor=None,
                    kind="offer_published",
                    recipients=[sme],
                    about=patent_a,
                    link=f"/api/v1/patents/{patent_a.pk}/",
                    title=f"第{index}条",
                )
                made.append(notification.recipients.get(user=sme).pk)
            return made

        return make
