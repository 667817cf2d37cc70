"""The roads in, through the HTTP API alone: a university's person signs up, verifies the
address from the mail, signs in, makes a token, registers the holder, an operator verifies
it, a colleague asks to join and is approved, and registers a patent; an SME's person signs
up, registers the enterprise, invites a colleague, who signs up and accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import HolderRequest
from patents.models import Holder, HolderMembership, Patent
from tests.support.tokens import issue_token

pytestmark = pytest.mark.django_db

PASSWORD = "Patent-transfer-2026"
HOLDER_USCC = "12100000425006117P"
LINK = re.compile(r"https?://\S+/api/v1/auth/verify-email/\S+/")


def sign_up_and_verify(committed: Any, email: str) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    mail.outbox.clear()
    answer = committed(
        lambda: client.post(
            "/api/v1/auth/signup/", {"email": email, "password": PASSWORD}, format="json"
        )
    )
    assert answer.status_code == 201, answer.json()
    [message] = mail.outbox
    assert message.to == [email]
    link = LINK.search(str(message.body))
    assert link is not None, message.body
    # The link works when clicked: a plain GET, no credentials.
    clicked = APIClient().get(link.group(0).replace("http://testserver", ""))
    assert clicked.status_code == 200, clicked.json()
    assert clicked.json()["verified"] is True


def token_client(email: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    answer = client.post(
        "/api/v1/auth/token/",
        {"username": email, "password": PASSWORD, "name": "laptop"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    token = answer.json()["token"]
    assert answer.json()["prefix"] == token[:15]
    signed = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    signed.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return signed


def test_a_university_registers_its_holder_and_a_colleague_joins_and_registers_a_patent(
    committed, operator
):
    sign_up_and_verify(committed, "li.ming@example.edu.cn")

    # Sign in with a session (a browser), then with a token (a client).
    browser = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    signed_in = browser.post(
        "/api/v1/auth/login/",
        {"username": "li.ming@example.edu.cn", "password": PASSWORD},
        format="json",
    )
    assert signed_in.status_code == 200, signed_in.json()
    assert signed_in.json()["email"] == "li.ming@example.edu.cn"
    assert browser.get("/api/v1/auth/me/").json()["holders"] == []
    li = token_client("li.ming@example.edu.cn")

    registered = li.post(
        "/api/v1/holders/",
        {
            "name": "示例大学",
            "name_en": "Example University",
            "kind": "university",
            "uscc": HOLDER_USCC,
            "region": "310110",
            "contact_email": "tto@example.edu.cn",
        },
        format="json",
    )
    assert registered.status_code == 201, registered.json()
    holder_id = registered.json()["id"]
    assert registered.json()["verified"] is False
    me = li.get("/api/v1/auth/me/").json()
    assert me["holders"] == [
        {"holder": holder_id, "name": "示例大学", "verified": False, "role": "admin"}
    ]
    [registration] = me["requests"]
    assert registration["kind"] == "registration"

    # An operator verifies it, from the one queue.
    staff = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    staff.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(operator)}")
    queue = staff.get("/api/v1/holder-requests/", {"status": "pending"}).json()["results"]
    assert [item["id"] for item in queue] == [registration["id"]]
    mail.outbox.clear()
    verified = committed(
        lambda: staff.post(
            f"/api/v1/holder-requests/{registration['id']}/approve/",
            HTTP_IF_MATCH='"1"',
            format="json",
        )
    )
    assert verified.status_code == 200, verified.json()
    assert Holder.objects.get(pk=holder_id).verified is True
    assert [m.to for m in mail.outbox] == [["li.ming@example.edu.cn"]]
    assert "is verified" in mail.outbox[0].body

    # A colleague signs up and asks to join; the holder's admin approves.
    sign_up_and_verify(committed, "wang.fang@example.edu.cn")
    wang = token_client("wang.fang@example.edu.cn")
    refused_patent = wang.post(
        "/api/v1/patents/", {"application_number": "201910209152.5", "title": "x"}, format="json"
    )
    assert refused_patent.status_code == 403
    assert refused_patent.json()["code"] == "holder_membership_required"
    found = wang.get("/api/v1/holders/", {"q": "示例"}).json()["results"]
    assert [h["id"] for h in found] == [holder_id]
    asked = wang.post(
        f"/api/v1/holders/{holder_id}/membership-requests/",
        {"message": "技术转移中心专利主管"},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    request_id = asked.json()["id"]
    waiting = li.get("/api/v1/auth/me/").json()["requests_to_decide"]
    assert waiting == 1
    mail.outbox.clear()
    approved = committed(
        lambda: li.post(
            f"/api/v1/holder-requests/{request_id}/approve/", {"version": 1}, format="json"
        )
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert [m.to for m in mail.outbox] == [["wang.fang@example.edu.cn"]]
    assert HolderMembership.objects.get(holder_id=holder_id, user__username__startswith="wang")

    # The new member registers a patent of the holder.
    patent = wang.post(
        "/api/v1/patents/",
        {
            "application_number": "201910209152.5",
            "title": "一种锂离子电池正极材料",
            "ipc_codes": ["H01M 10/0525"],
        },
        format="json",
    )
    assert patent.status_code == 201, patent.json()
    created = Patent.objects.get(pk=patent.json()["id"])
    assert list(created.holdings.values_list("holder_id", flat=True)) == [holder_id]
    # Every decision is in the history, naming who made it.
    history = HolderRequest.history.filter(id=request_id).order_by("history_id")
    assert [(h.status, h.history_user.email) for h in history] == [
        ("pending", "wang.fang@example.edu.cn"),
        ("approved", "li.ming@example.edu.cn"),
    ]


def test_an_sme_registers_its_enterprise_and_a_colleague_accepts_an_invitation(committed):
    sign_up_and_verify(committed, "chen.jing@example.com")
    chen = token_client("chen.jing@example.com")
    enterprise = chen.post(
        "/api/v1/enterprises/",
        {"name": "上海某科技有限公司", "uscc": "91310115MA1K3BTP2B", "industry_code": "C3841"},
        format="json",
    )
    assert enterprise.status_code == 201, enterprise.json()
    enterprise_id = enterprise.json()["id"]

    mail.outbox.clear()
    invited = committed(
        lambda: chen.post(
            f"/api/v1/enterprises/{enterprise_id}/invitations/",
            {"email": "Zhao.Lei@example.com"},
            format="json",
        )
    )
    assert invited.status_code == 201, invited.json()
    invitation_id = invited.json()["id"]
    [message] = mail.outbox
    assert message.to == ["Zhao.Lei@example.com"]
    assert f"/api/v1/invitations/{invitation_id}/accept/" in message.body
    assert "上海某科技有限公司" in message.subject

    sign_up_and_verify(committed, "zhao.lei@example.com")
    zhao = token_client("zhao.lei@example.com")
    assert zhao.get("/api/v1/enterprises/").json()["results"] == []
    [waiting] = zhao.get("/api/v1/auth/me/").json()["invitations"]
    assert waiting["id"] == invitation_id
    accepted = zhao.post(
        f"/api/v1/invitations/{invitation_id}/accept/",
        HTTP_IF_MATCH=f'"{waiting["version"]}"',
        format="json",
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json() == {"enterprise": enterprise_id, "role": "member"}
    assert [e["id"] for e in zhao.get("/api/v1/enterprises/").json()["results"]] == [enterprise_id]
    assert zhao.get("/api/v1/auth/me/").json()["enterprises"] == [
        {"enterprise": enterprise_id, "name": "上海某科技有限公司", "role": "member"}
    ]
    listed = chen.get("/api/v1/invitations/").json()["results"]
    assert [(i["id"], i["status"]) for i in listed] == [(invitation_id, "accepted")]
