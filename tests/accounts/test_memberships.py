"""Holders: registration (validated, unverified, the registrant its admin), requests to join
and their decisions (who may decide, reasons, mails, history, signals); offers of unverified
holders are not published; a 403 says what is missing; enterprise invitations; the
operators' queue in the admin; operators read but do not change others' saved searches."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import signals
from accounts.models import EnterpriseInvitation, HolderRequest
from accounts.services.holders import membership_request_create
from enterprises.models import EnterpriseMembership, SavedSearch
from patents.licensing import offers
from patents.models import Holder, HolderMembership, LicensingOffer
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

USCC = "12100000425006117P"
REGISTRATION = {"name": "示例大学", "kind": "university", "uscc": USCC, "region": "310110"}


def make_user(username: str, email: str = "") -> Any:
    return UserFactory(username=username, **({"email": email} if email else {}))  # a User


@pytest.fixture
def newcomer(db: Any) -> Any:
    """Signed in, a member of nothing."""
    return make_user("newcomer", "newcomer@example.edu.cn")


# --- 403 says what is missing -------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "You are not a member of any patent holder. Register your holder (POST /api/v1/holders/)",
        ),
        ("zh-hans", "您还不是任何专利权人的成员。请登记您所在的单位（POST /api/v1/holders/）"),
    ],
)
def test_a_non_member_writing_a_patent_is_told_how_to_become_one(
    client_for, newcomer, language, text
):
    answer = client_for(newcomer, language).post(
        "/api/v1/patents/", {"title": "x", "application_number": "201910209152.5"}, format="json"
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "holder_membership_required"
    assert answer.json()["message"].startswith(text)
    assert "/api/v1/holders/{id}/membership-requests/" in answer.json()["message"]


# --- Registering a holder -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"uscc": "12100000425006117X"}, "uscc", "check_character"),
        ({"uscc": ""}, "uscc", "blank"),
        ({"kind": "castle"}, "kind", "invalid_choice"),
        ({"region": "999999"}, "region", "unknown_region"),
    ],
)
def test_a_bad_registration_is_a_field_error_and_writes_nothing(
    client_for, newcomer, changes, field, code
):
    answer = client_for(newcomer, "en").post(
        "/api/v1/holders/", {**REGISTRATION, **changes}, format="json"
    )
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    if code != "check_character":
        assert errors[0]["code"] == code
    assert not Holder.objects.filter(name="示例大学").exists()
    assert not HolderMembership.objects.filter(user=newcomer).exists()


def test_a_taken_credit_code_names_the_holder_to_ask_to_join(client_for, newcomer, holder_a):
    Holder.objects.filter(pk=holder_a.pk).update(uscc=USCC)
    answer = client_for(newcomer, "en").post("/api/v1/holders/", REGISTRATION, format="json")
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("uscc", "duplicate_uscc")
    assert f"/api/v1/holders/{holder_a.pk}/membership-requests/" in error["message"]


def test_the_registrant_administers_the_unverified_holder_at_once(client_for, newcomer):
    answer = client_for(newcomer, "en").post("/api/v1/holders/", REGISTRATION, format="json")
    assert answer.status_code == 201
    holder = Holder.objects.get(pk=answer.json()["id"])
    assert holder.verified is False
    assert holder.created_by == newcomer
    membership = HolderMembership.objects.get(holder=holder, user=newcomer)
    assert membership.role == "admin"
    assert membership.history.get().history_user == newcomer
    registration = HolderRequest.objects.get(holder=holder)
    assert (registration.kind, registration.status) == ("registration", "pending")


def test_offers_of_an_unverified_holder_are_not_published_until_it_is_verified(
    client_for, newcomer, operator, committed
):
    registered = client_for(newcomer, "en").post("/api/v1/holders/", REGISTRATION, format="json")
    holder = Holder.objects.get(pk=registered.json()["id"])
    member = client_for(newcomer, "en")
    patent = member.post(
        "/api/v1/patents/",
        {
            "application_number": "201910209152.5",
            "title": "一种锂离子电池正极材料",
            "filing_date": "2019-03-21",
            "grant_date": "2021-06-01",
            "legal_status": "in_force",
        },
        format="json",
    )
    assert patent.status_code == 201, patent.json()
    offer = offers.offer_create(
        actor=newcomer,
        holder=holder,
        values={
            "offer_type": "ordinary",
            "title": "正极材料普通许可",
            "pricing_mode": "negotiable",
            "term_start": datetime.date.today(),
            "term_end": datetime.date.today() + datetime.timedelta(days=365),
        },
        patent_ids=[patent.json()["id"]],
    )
    offer = offers.offer_submit(actor=newcomer, offer=offer, expected_version=None)
    staff = client_for(operator, "en")
    refused = staff.post(
        f"/api/v1/offers/{offer.pk}/review/",
        {"approve": True, "note": "", "version": offer.version},
        format="json",
    )
    assert refused.status_code == 400
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("holder", "holder_unverified")
    ]
    assert LicensingOffer.objects.get(pk=offer.pk).status == "pending_review"

    registration = HolderRequest.objects.get(holder=holder)
    committed(
        lambda: staff.post(
            f"/api/v1/holder-requests/{registration.pk}/approve/", {"version": 1}, format="json"
        )
    )
    published = staff.post(
        f"/api/v1/offers/{offer.pk}/review/",
        {"approve": True, "note": "", "version": offer.version},
        format="json",
    )
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"


# --- Requests to join and their decisions -------------------------------------------------
@pytest.fixture
def holder_admin(db: Any, holder_a: Any) -> Any:
    user = get_user_model().objects.create_user(
        "tto_admin_a", email="admin@a.edu.cn", password=PASSWORD
    )
    HolderMembership.objects.create(holder=holder_a, user=user, role="admin")
    return user


def ask(client_for: Any, user: Any, holder: Any) -> Any:
    answer = client_for(user, "en").post(
        f"/api/v1/holders/{holder.pk}/membership-requests/",
        {"message": "我是专利主管"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    return HolderRequest.objects.get(pk=answer.json()["id"])


def test_asking_twice_or_as_a_member_is_a_field_error(client_for, newcomer, university_a, holder_a):
    ask(client_for, newcomer, holder_a)
    again = client_for(newcomer, "en").post(
        f"/api/v1/holders/{holder_a.pk}/membership-requests/", {}, format="json"
    )
    assert [(e["field"], e["code"]) for e in again.json()["errors"]] == [
        ("holder", "already_requested")
    ]
    member = client_for(university_a, "en").post(
        f"/api/v1/holders/{holder_a.pk}/membership-requests/", {}, format="json"
    )
    assert [(e["field"], e["code"]) for e in member.json()["errors"]] == [
        ("holder", "already_member")
    ]
    assert HolderRequest.objects.filter(holder=holder_a).count() == 1


def test_who_may_decide_a_request_to_join(
    client_for, newcomer, university_a, university_b, holder_a, holder_admin
):
    request = ask(client_for, newcomer, holder_a)
    url = f"/api/v1/holder-requests/{request.pk}/approve/"
    # A plain member of the holder sees nothing to decide; another holder's member neither.
    assert (
        client_for(university_b, "en").post(url, {"version": 1}, format="json").status_code == 404
    )
    plain = client_for(university_a, "en").post(url, {"version": 1}, format="json")
    assert plain.status_code == 404
    # The requester sees it but may not decide it.
    own = client_for(newcomer, "zh-hans").post(url, {"version": 1}, format="json")
    assert own.status_code == 403
    assert own.json()["code"] == "holder_admin_required"
    assert own.json()["message"].startswith("只有该权利人的管理员或运营人员")
    assert not HolderMembership.objects.filter(user=newcomer).exists()
    # A stale version is a 412; the admin's decision with the right one goes through.
    admin = client_for(holder_admin, "en")
    assert admin.post(url, {"version": 7}, format="json").status_code == 412
    assert admin.post(url, {"version": 1}, format="json").status_code == 200
    assert HolderMembership.objects.get(user=newcomer, holder=holder_a).role == "member"
    assert admin.post(url, {"version": 2}, format="json").json()["errors"][0]["code"] == (
        "not_pending"
    )


def test_a_registration_is_verified_by_operators_only(client_for, newcomer, operator):
    client_for(newcomer, "en").post("/api/v1/holders/", REGISTRATION, format="json")
    registration = HolderRequest.objects.get(user=newcomer)
    own = client_for(newcomer, "en").post(
        f"/api/v1/holder-requests/{registration.pk}/approve/", {"version": 1}, format="json"
    )
    assert own.status_code == 403
    assert own.json()["code"] == "operator_required"
    assert Holder.objects.get(pk=registration.holder_id).verified is False


def test_a_refusal_needs_a_reason_which_is_mailed_and_kept_in_the_history(
    client_for, newcomer, holder_a, holder_admin, committed
):
    request = ask(client_for, newcomer, holder_a)
    admin = client_for(holder_admin, "en")
    url = f"/api/v1/holder-requests/{request.pk}/refuse/"
    blank = admin.post(url, {"reason": " ", "version": 1}, format="json")
    assert blank.status_code == 400
    assert blank.json()["errors"][0]["field"] == "reason"
    mail.outbox.clear()
    decided: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        decided.append(kwargs)

    signals.holder_request_decided.connect(listen)
    try:
        refused = committed(
            lambda: admin.post(url, {"reason": "请用单位邮箱申请", "version": 1}, format="json")
        )
    finally:
        signals.holder_request_decided.disconnect(listen)
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"
    [message] = mail.outbox
    assert message.to == ["newcomer@example.edu.cn"]
    assert "请用单位邮箱申请" in message.body
    assert "您加入 甲大学 的申请被拒绝" in message.subject
    assert "was refused" in message.subject
    assert [(d["approved"], d["request"].pk, d["actor"]) for d in decided] == [
        (False, request.pk, holder_admin)
    ]
    rows = HolderRequest.history.filter(id=request.pk).order_by("history_id")
    assert [(r.status, r.reason, r.history_user) for r in rows] == [
        ("pending", "", newcomer),
        ("refused", "请用单位邮箱申请", holder_admin),
    ]
    assert not HolderMembership.objects.filter(user=newcomer).exists()


def test_the_requester_withdraws_a_request(client_for, newcomer, holder_a, holder_admin):
    request = ask(client_for, newcomer, holder_a)
    url = f"/api/v1/holder-requests/{request.pk}/withdraw/"
    other = client_for(holder_admin, "en").post(url, {"version": 1}, format="json")
    assert other.status_code == 403
    assert other.json()["code"] == "requester_only"
    done = client_for(newcomer, "en").post(url, {"version": 1}, format="json")
    assert done.json()["status"] == "withdrawn"


def test_the_request_list_reads_in_a_fixed_number_of_queries(client_for, holder_a, holder_admin):
    for index in range(4):
        membership_request_create(actor=make_user(f"asker{index}"), holder=holder_a, message="")
    client = client_for(holder_admin, "en")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/holder-requests/", {"status": "pending", "page_size": 3})
    assert len(page.json()["results"]) == 3
    # 1. the holders the user administers; 2. the page, with holders and requesters.
    assert len(queries) == 2, [q["sql"] for q in queries]


# --- Enterprise invitations ---------------------------------------------------------------
def test_only_an_enterprise_admin_invites_and_only_the_invitee_accepts(
    client_for, sme, enterprise_s, committed
):
    member = make_user("plain_member")
    EnterpriseMembership.objects.create(enterprise=enterprise_s, user=member, role="member")
    url = f"/api/v1/enterprises/{enterprise_s.pk}/invitations/"
    plain = client_for(member, "en").post(url, {"email": "x@example.com"}, format="json")
    assert plain.status_code == 403
    assert plain.json()["code"] == "enterprise_admin_required"
    outsider = make_user("outsider")
    assert (
        client_for(outsider, "en").post(url, {"email": "x@example.com"}, format="json").status_code
        == 404
    )

    invited = committed(
        lambda: client_for(sme, "en").post(url, {"email": "Colleague@Example.com"}, format="json")
    )
    assert invited.status_code == 201
    invitation = EnterpriseInvitation.objects.get()
    twice = client_for(sme, "en").post(url, {"email": "colleague@example.com"}, format="json")
    assert twice.json()["errors"][0]["code"] == "already_invited"

    # Someone else, even signed in, may not accept it: 404 (not addressed to them).
    accept = f"/api/v1/invitations/{invitation.pk}/accept/"
    assert client_for(outsider, "en").post(accept, {"version": 1}, format="json").status_code == 404
    # The enterprise's admin sees it but is not the invitee.
    wrong = client_for(sme, "en").post(accept, {"version": 1}, format="json")
    assert wrong.status_code == 403
    assert wrong.json()["code"] == "invitation_address_required"
    assert "Colleague@Example.com" in wrong.json()["message"]

    colleague = make_user("colleague", "colleague@example.com")
    joined = client_for(colleague, "en").post(accept, {"version": 1}, format="json")
    assert joined.status_code == 200, joined.json()
    assert EnterpriseMembership.objects.get(user=colleague).role == "member"
    assert EnterpriseInvitation.objects.get().status == "accepted"


def test_an_admin_revokes_a_pending_invitation(client_for, sme, enterprise_s):
    client_for(sme, "en").post(
        f"/api/v1/enterprises/{enterprise_s.pk}/invitations/",
        {"email": "a@example.com"},
        format="json",
    )
    invitation = EnterpriseInvitation.objects.get()
    revoked = client_for(sme, "en").post(
        f"/api/v1/invitations/{invitation.pk}/revoke/", HTTP_IF_MATCH='"1"', format="json"
    )
    assert revoked.json()["status"] == "revoked"
    invitee = make_user("late", "a@example.com")
    late = client_for(invitee, "en").post(
        f"/api/v1/invitations/{invitation.pk}/accept/", {"version": 2}, format="json"
    )
    assert late.status_code == 400
    assert late.json()["errors"][0]["code"] == "not_pending"
    assert not EnterpriseMembership.objects.filter(user=invitee).exists()


# --- The operators' queue in the admin ----------------------------------------------------
def test_the_admin_queue_lists_registrations_and_requests_and_decides_through_the_services(
    client, client_for, operator, newcomer, holder_a, committed
):
    client_for(newcomer, "en").post("/api/v1/holders/", REGISTRATION, format="json")
    joiner = make_user("joiner", "joiner@example.org")
    request = ask(client_for, joiner, holder_a)
    registration = HolderRequest.objects.get(kind="registration")
    client.force_login(operator)

    page = client.get("/admin/accounts/holderrequest/")
    assert page.status_code == 200
    assert "示例大学" in page.content.decode()
    assert "甲大学" in page.content.decode()

    mail.outbox.clear()
    verified = committed(
        lambda: client.post(
            "/admin/accounts/holderrequest/",
            {"action": "approve", "_selected_action": [registration.pk]},
        )
    )
    assert verified.status_code == 302
    assert Holder.objects.get(pk=registration.holder_id).verified is True
    assert Holder.history.filter(id=registration.holder_id).latest().history_user == operator

    form = client.post(
        "/admin/accounts/holderrequest/", {"action": "refuse", "_selected_action": [request.pk]}
    )
    assert form.status_code == 200
    assert "reason" in form.content.decode()
    assert HolderRequest.objects.get(pk=request.pk).status == "pending"
    committed(
        lambda: client.post(
            "/admin/accounts/holderrequest/",
            {
                "action": "refuse",
                "_selected_action": [request.pk],
                "apply": "1",
                "reason": "身份无法核实",
            },
        )
    )
    refused = HolderRequest.objects.get(pk=request.pk)
    assert (refused.status, refused.reason, refused.decided_by) == (
        "refused",
        "身份无法核实",
        operator,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["joiner@example.org", "newcomer@example.edu.cn"]


# --- Saved searches: operators read, owners change ----------------------------------------
def test_an_operator_reads_but_cannot_change_or_delete_anothers_saved_search(
    client_for, sme, enterprise_s, operator
):
    saved = client_for(sme, "en").post(
        "/api/v1/saved-searches/",
        {"name": "锂电池", "target": "patents", "query": {"q": "锂电池"}},
        format="json",
    )
    assert saved.status_code == 201
    pk = saved.json()["id"]
    staff = client_for(operator, "en")
    assert staff.get(f"/api/v1/saved-searches/{pk}/").status_code == 200
    changed = staff.patch(
        f"/api/v1/saved-searches/{pk}/", {"name": "changed", "version": 1}, format="json"
    )
    assert changed.status_code == 403
    assert changed.json()["code"] == "owner_only"
    deleted = staff.delete(f"/api/v1/saved-searches/{pk}/", HTTP_IF_MATCH='"1"')
    assert deleted.status_code == 403
    search = SavedSearch.objects.get(pk=pk)
    assert (search.name, search.version) == ("锂电池", 1)
    own = client_for(sme, "en").patch(
        f"/api/v1/saved-searches/{pk}/", {"name": "固态电池", "version": 1}, format="json"
    )
    assert own.status_code == 200
