"""Requests to join or register a holder reach the people who decide them, and decisions
reach the person who asked: in their inbox (GET /api/v1/notifications/) and by e-mail,
through the notifications pipeline (accounts.notices)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from patents.models import HolderMembership
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name": "示例理工大学",
    "kind": "university",
    "uscc": "12100000425006117P",
    "region": "310110",
}


def inbox(client: Any) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/notifications/")
    assert answer.status_code == 200, answer.json()
    return answer.json()["results"]


def test_a_request_to_join_reaches_the_holders_admins_and_the_decision_the_requester(
    client_for, holder_a, committed
):
    admin = get_user_model().objects.create_user(
        "tto_admin_a", email="admin@a.edu.cn", password=PASSWORD
    )
    HolderMembership.objects.create(holder=holder_a, user=admin, role="admin")
    plain_member = UserFactory.create(username="plain", email="plain@a.edu.cn")
    HolderMembership.objects.create(holder=holder_a, user=plain_member, role="member")
    newcomer = UserFactory.create(username="newcomer", email="newcomer@example.edu.cn")
    mail.outbox.clear()

    asked = committed(
        lambda: client_for(newcomer, "en").post(
            f"/api/v1/holders/{holder_a.pk}/membership-requests/",
            {"message": "我是专利主管"},
            format="json",
        )
    )
    assert asked.status_code == 201, asked.json()
    request_id = asked.json()["id"]

    [told] = inbox(client_for(admin, "en"))
    assert told["kind"] == "membership_requested"
    assert told["link"] == f"/api/v1/holder-requests/{request_id}/"
    assert "asks to join" in told["title"]
    assert inbox(client_for(plain_member, "en")) == []  # members who cannot decide: nothing
    [message] = mail.outbox
    assert message.to == ["admin@a.edu.cn"]
    assert "我是专利主管" in message.body

    mail.outbox.clear()
    refused = committed(
        lambda: client_for(admin, "zh-hans").post(
            f"/api/v1/holder-requests/{request_id}/refuse/",
            {"reason": "请用单位邮箱申请", "version": 1},
            format="json",
        )
    )
    assert refused.status_code == 200, refused.json()
    [outcome] = inbox(client_for(newcomer, "zh-hans"))
    assert outcome["kind"] == "holder_request_decided"
    assert "被拒绝" in outcome["title"]
    assert "请用单位邮箱申请" in outcome["body"]
    [message] = mail.outbox
    assert message.to == ["newcomer@example.edu.cn"]


def test_a_request_to_a_holder_without_admins_reaches_the_operators(
    client_for, holder_b, operator, committed
):
    newcomer = UserFactory.create(username="newcomer", email="newcomer@example.edu.cn")
    asked = committed(
        lambda: client_for(newcomer, "en").post(
            f"/api/v1/holders/{holder_b.pk}/membership-requests/", {}, format="json"
        )
    )
    assert asked.status_code == 201, asked.json()
    assert [n["kind"] for n in inbox(client_for(operator, "en"))] == ["membership_requested"]


def test_a_registration_reaches_the_operators_and_its_verification_the_registrant(
    client_for, operator, committed
):
    registrant = UserFactory.create(username="registrant", email="tto@example.edu.cn")
    registered = committed(
        lambda: client_for(registrant, "en").post("/api/v1/holders/", REGISTRATION, format="json")
    )
    assert registered.status_code == 201, registered.json()
    [told] = inbox(client_for(operator, "en"))
    assert told["kind"] == "holder_registered"
    assert "示例理工大学" in told["title"]
    assert "12100000425006117P" in told["body"]

    request_id = told["link"].rstrip("/").rsplit("/", 1)[1]
    approved = committed(
        lambda: client_for(operator, "en").post(
            f"/api/v1/holder-requests/{request_id}/approve/", {"version": 1}, format="json"
        )
    )
    assert approved.status_code == 200, approved.json()
    [outcome] = inbox(client_for(registrant, "en"))
    assert outcome["kind"] == "holder_request_decided"
    assert outcome["title"] == "示例理工大学 is verified"
    assert any(m.to == ["tto@example.edu.cn"] and "verified" in m.subject for m in mail.outbox)
