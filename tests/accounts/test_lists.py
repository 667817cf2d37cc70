"""The lists of this app read a page in a fixed number of queries, whatever its size, and
refuse what they do not understand."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services.invitations import invitation_create
from patents.models import Holder

pytestmark = pytest.mark.django_db


def test_the_holder_list_finds_by_name_in_one_query(anonymous: Any) -> None:
    Holder.objects.bulk_create(
        [Holder(name=f"示例大学第{index}分校", kind="university") for index in range(5)]
    )
    with CaptureQueriesContext(connection) as queries:
        page = anonymous.get("/api/v1/holders/", {"q": "示例大学", "page_size": 3})
    assert [h["name"] for h in page.json()["results"]] == [
        "示例大学第0分校",
        "示例大学第1分校",
        "示例大学第2分校",
    ]
    # 1. the page (name contains, by name and id).
    assert len(queries) == 1, [q["sql"] for q in queries]
    following = anonymous.get(page.json()["next"])
    assert [h["name"] for h in following.json()["results"]] == [
        "示例大学第3分校",
        "示例大学第4分校",
    ]


def test_the_holder_list_refuses_a_bad_filter_value(anonymous: Any) -> None:
    answer = anonymous.get("/api/v1/holders/", {"verified": "maybe"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "verified"


def test_the_invitation_list_reads_in_a_fixed_number_of_queries(
    client_for: Any, sme: Any, enterprise_s: Any
) -> None:
    for index in range(4):
        invitation_create(actor=sme, enterprise=enterprise_s, email=f"c{index}@example.com")
    client = client_for(sme, "en")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/invitations/", {"page_size": 3})
    assert len(page.json()["results"]) == 3
    # 1. the enterprises the user administers; 2. the user's e-mail addresses; 3. the page,
    # with each invitation's enterprise.
    assert len(queries) == 3, [q["sql"] for q in queries]
