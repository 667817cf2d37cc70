"""Every event a party must act on reaches it, in the inbox and by e-mail: an inquiry's
reply or decline (the enterprise), an offer's review (the holder), a saved-search alert
(the user), an unanswered inquiry and an unrecorded deal (reminders)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from enterprises.models import Inquiry, SavedSearch
from notifications.models import Notification, Recipient
from patents.licensing import offers
from tests.notifications.helpers import ENTERPRISE_CONTACT, HOLDER_CONTACT, MEMBER_EMAIL, ask

pytestmark = pytest.mark.django_db

OPEN_TERMS = {
    "offer_type": "open_licence",
    "title": "锂离子电池正极材料开放许可",
    "pricing_mode": "royalty_net_sales",
    "royalty_rate": "3.00",
    "term_start": datetime.date(2026, 1, 1),
    "term_end": datetime.date(2030, 12, 31),
}


def told(kind: str) -> list[tuple[str, str]]:
    """(username, or "" for a contact address; address) of each party told of ``kind``."""
    return sorted(
        (row.user.username if row.user else "", row.email)
        for row in Recipient.objects.filter(notification__kind=kind).select_related("user")
    )


def test_the_enterprise_hears_the_reply(
    client_for, sme, reachable, university_a, patent, django_capture_on_commit_callbacks
):
    inquiry = ask(client_for(sme), patent)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        replied = client_for(university_a).post(
            f"/api/v1/inquiries/{inquiry['id']}/reply/",
            {"reply": "欢迎来访洽谈。", "version": 1},
            format="json",
        )

    assert replied.status_code == 200
    assert told("inquiry_replied") == [("", ENTERPRISE_CONTACT), (sme.username, sme.email)]
    assert [m.to for m in mail.outbox] == [[ENTERPRISE_CONTACT, sme.email]]
    notification = Notification.objects.get(kind="inquiry_replied")
    assert notification.title_zh == "甲大学 回复了您关于“一种锂离子电池正极材料”的咨询"
    assert notification.title_en.startswith("University A replied to your inquiry about Cathode")
    assert notification.body_zh == "欢迎来访洽谈。"
    assert notification.link == f"/api/v1/inquiries/{inquiry['id']}/"
    inbox = client_for(sme).get("/api/v1/notifications/").json()["results"]
    assert [row["kind"] for row in inbox] == ["inquiry_replied"]


def test_the_enterprise_hears_the_decline_with_its_reason(
    client_for, sme, reachable, university_a, patent, django_capture_on_commit_callbacks
):
    inquiry = ask(client_for(sme), patent)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(university_a).post(
            f"/api/v1/inquiries/{inquiry['id']}/decline/",
            {"reason": "already_licensed", "reply": "已独占许可。", "version": 1},
            format="json",
        )

    notification = Notification.objects.get(kind="inquiry_declined")
    assert notification.body_zh.startswith("原因：已经许可他人")
    assert notification.body_en.startswith("Reason: already licensed")
    assert "已独占许可。" in notification.body_zh
    assert told("inquiry_declined") == [("", ENTERPRISE_CONTACT), (sme.username, sme.email)]


@pytest.mark.parametrize(
    ("approve", "kind", "zh", "en"),
    [
        (True, "offer_published", "已发布", "is published"),
        (False, "offer_returned", "需要修改", "needs changes"),
    ],
)
def test_the_holder_hears_the_review(
    reachable,
    university_a,
    operator,
    holder_a,
    patent,
    approve,
    kind,
    zh,
    en,
    django_capture_on_commit_callbacks,
):
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[patent.pk]
    )
    offers.offer_submit(actor=university_a, offer=offer, expected_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_review(
            actor=operator, offer=offer, approve=approve, note="请补充说明", expected_version=2
        )

    notification = Notification.objects.get()
    assert notification.kind == kind
    assert zh in notification.title_zh
    assert en in notification.title_en
    assert "审核意见：请补充说明" in notification.body_zh
    assert "Reviewer's note: 请补充说明" in notification.body_en
    assert notification.caused_by == operator
    assert told(kind) == [("", HOLDER_CONTACT), (university_a.username, MEMBER_EMAIL)]
    assert [m.to for m in mail.outbox] == [[HOLDER_CONTACT, MEMBER_EMAIL]]


def test_the_holder_is_reminded_of_an_unanswered_inquiry(
    client_for, sme, reachable, university_a, patent, django_capture_on_commit_callbacks
):
    inquiry = ask(client_for(sme), patent)
    Inquiry.objects.filter(pk=inquiry["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=4)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())

    assert told("inquiry_reminder") == [
        ("", HOLDER_CONTACT),
        (university_a.username, MEMBER_EMAIL),
    ]
    assert [m.to for m in mail.outbox] == [[HOLDER_CONTACT, MEMBER_EMAIL]]
    assert "Unanswered inquiry" in mail.outbox[0].subject


def test_both_parties_are_reminded_of_an_unrecorded_deal(
    client_for, sme, reachable, university_a, patent, django_capture_on_commit_callbacks
):
    inquiry = ask(client_for(sme), patent)
    contract = timezone.localdate() - datetime.timedelta(days=80)
    created = client_for(university_a).post(
        "/api/v1/deals/",
        {"inquiry": inquiry["id"], "kind": "ordinary", "contract_date": str(contract)},
        format="json",
    )
    assert created.status_code == 201, created.json()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())

    assert told("recordation_reminder") == [
        ("", ENTERPRISE_CONTACT),
        ("", HOLDER_CONTACT),
        (sme.username, sme.email),
        (university_a.username, MEMBER_EMAIL),
    ]
    notification = Notification.objects.get(kind="recordation_reminder")
    assert notification.link == f"/api/v1/deals/{created.json()['id']}/"
    assert sorted(mail.outbox[0].to) == sorted(
        [HOLDER_CONTACT, MEMBER_EMAIL, ENTERPRISE_CONTACT, sme.email]
    )


def test_a_saved_search_alert_reaches_its_user_only(
    client_for, sme, reachable, operator, holder_a, patent, django_capture_on_commit_callbacks
):
    saved = client_for(sme).post(
        "/api/v1/saved-searches/",
        {"name": "固态电池", "target": "patents", "query": {"ipc": ["H01M"]}},
        format="json",
    )
    assert saved.status_code == 201
    SavedSearch.objects.filter(pk=saved.json()["id"]).update(last_alerted_id=0)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts", stdout=io.StringIO())

    assert told("saved_search_alert") == [(sme.username, sme.email)]  # not the enterprise
    notification = Notification.objects.get(kind="saved_search_alert")
    assert notification.link == f"/api/v1/saved-searches/{saved.json()['id']}/results/"
    assert patent.application_number in notification.body_zh
    assert "Cathode material for lithium-ion batteries" in notification.body_en
    assert "一种锂离子电池正极材料" in notification.body_zh
    assert [m.to for m in mail.outbox] == [[sme.email]]
