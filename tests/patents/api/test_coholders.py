"""Naming another holder on a patent needs that holder's confirmation or an operator's
(issue 16; ``patents.register.coholders``, docs/domain/co-holders.md).

A member of holder A imports a patent naming A and B as current holders: B's holding is
unconfirmed (not shown, the patent not B's), B's admin members are told, and confirm or
refuse it; operators' writes and a member's own holder are confirmed at once.
"""

import pytest

from notifications.models import Notification
from patents.models import Holding, Patent
from tests.factories import HolderMembershipFactory, UserFactory
from tests.support import files

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/patents/import/"
ROW = {
    "application_number": "CN201910209152.5",
    "title": "一种锂离子电池正极材料及其制备方法",
    "filing_date": "2019-03-21",
    "current_holders": "甲大学|乙研究所",
}


def import_row(client, row=ROW):
    upload = files.csv_file([row], name="patents.csv")
    response = client.post(IMPORT_URL, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    return Patent.objects.get(application_number="201910209152.5")


def decide(client, patent, holder, what, **body):
    version = Patent.objects.get(pk=patent.pk).version
    return client.post(
        f"/api/v1/patents/{patent.pk}/holders/{holder.pk}/{what}/",
        body,
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )


@pytest.fixture
def admin_b(holder_b):
    user = UserFactory.create(username="admin_b", email="admin_b@example.org")
    HolderMembershipFactory.create(holder=holder_b, user=user, role="admin")
    return user


def shown_holders(client, patent):
    detail = client.get(f"/api/v1/patents/{patent.pk}/").json()
    listed = client.get("/api/v1/patents/").json()["results"]
    row = next(r for r in listed if r["id"] == patent.pk)
    assert [h["name"] for h in row["holders"]] == [h["name"] for h in detail["holders"]]
    return [h["name"] for h in detail["holders"]]


def test_a_member_naming_another_holder_leaves_it_unconfirmed_and_tells_its_admins(
    client_for, anonymous, university_a, holder_a, holder_b, admin_b, university_b, operator
):
    patent = import_row(client_for(university_a))

    holdings = {h.holder_id: h for h in Holding.all_objects.filter(patent=patent)}
    assert holdings[holder_a.pk].confirmed
    assert holdings[holder_a.pk].confirmed_by == university_a
    assert not holdings[holder_b.pk].confirmed
    assert shown_holders(anonymous, patent) == ["甲大学"]
    # The patent does not count for B: not under ?holder=B, not writable by B's members.
    listed = anonymous.get("/api/v1/patents/", {"holder": holder_b.pk}).json()["results"]
    assert listed == []
    response = client_for(university_b).patch(
        f"/api/v1/patents/{patent.pk}/", {"title": "改"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 404
    notice = Notification.objects.get(kind="coholder_named")
    assert [r.user for r in notice.recipients.filter(user__isnull=False)] == [admin_b]
    assert notice.link == f"/api/v1/patents/{patent.pk}/holders/{holder_b.pk}/confirm/"
    assert "201910209152.5" in notice.body_en
    assert "201910209152.5" in notice.body_zh


def test_the_named_holders_admin_confirms(client_for, anonymous, university_a, holder_b, admin_b):
    patent = import_row(client_for(university_a))
    version = Patent.objects.get(pk=patent.pk).version

    response = decide(client_for(admin_b), patent, holder_b, "confirm")

    assert response.status_code == 200, response.json()
    assert [h["name"] for h in response.json()["holders"]] == ["甲大学", "乙研究所"]
    assert response.json()["version"] == version + 1
    holding = Holding.objects.get(patent=patent, holder=holder_b)
    assert holding.confirmed_by == admin_b
    assert shown_holders(anonymous, patent) == ["甲大学", "乙研究所"]
    assert anonymous.get("/api/v1/patents/", {"holder": holder_b.pk}).json()["results"]
    again = decide(client_for(admin_b), patent, holder_b, "confirm")
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "already_confirmed"


def test_refusing_removes_the_holding_with_its_history(
    client_for, anonymous, university_a, holder_b, admin_b
):
    patent = import_row(client_for(university_a))

    response = decide(client_for(admin_b), patent, holder_b, "refuse", reason="不是我们的专利")

    assert response.status_code == 200, response.json()
    assert not Holding.all_objects.filter(patent=patent, holder=holder_b).exists()
    removed = Holding.history.filter(patent_id=patent.pk, holder_id=holder_b.pk).first()
    assert removed.history_type == "-"
    assert removed.history_user == admin_b
    assert removed.history_change_reason == "不是我们的专利"
    assert shown_holders(anonymous, patent) == ["甲大学"]
    assert decide(client_for(admin_b), patent, holder_b, "refuse").status_code == 404


def test_an_operators_import_confirms_at_once(client_for, operator, holder_a, holder_b):
    patent = import_row(client_for(operator))

    assert [h.confirmed for h in Holding.all_objects.filter(patent=patent)] == [True, True]
    assert not Notification.objects.filter(kind="coholder_named").exists()


def test_a_member_naming_only_their_own_holder_is_confirmed_at_once(
    client_for, university_a, holder_a
):
    patent = import_row(client_for(university_a), {**ROW, "current_holders": "甲大学"})

    assert [h.confirmed for h in Holding.all_objects.filter(patent=patent)] == [True]
    assert not Notification.objects.filter(kind="coholder_named").exists()


def test_a_new_holder_named_tells_the_operators(client_for, university_a, holder_a, operator):
    patent = import_row(
        client_for(university_a), {**ROW, "current_holders": "甲大学|丙科技有限公司"}
    )

    pending = Holding.all_objects.get(patent=patent, confirmed=False)
    assert pending.holder.name == "丙科技有限公司"
    notice = Notification.objects.get(kind="coholder_named")
    assert [r.user for r in notice.recipients.all()] == [operator]
    response = decide(client_for(operator), patent, pending.holder, "confirm")
    assert response.status_code == 200, response.json()
    assert Holding.objects.filter(patent=patent).count() == 2


def test_only_the_named_holders_admins_or_an_operator_decide(
    client_for, university_a, holder_a, holder_b, university_b, admin_b
):
    patent = import_row(client_for(university_a))

    for user in (university_a, university_b):  # A's member; B's member who is no admin
        for what in ("confirm", "refuse"):
            assert decide(client_for(user), patent, holder_b, what).status_code == 404
    # B's admin cannot decide for A, nor for a patent it is not named on.
    assert decide(client_for(admin_b), patent, holder_a, "confirm").status_code == 404
    assert not Holding.objects.filter(patent=patent, holder=holder_b).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Ensure this field has no more than 100 characters."), ("zh-hans", "100")],
)
def test_bad_input_is_a_400_in_the_callers_language(
    client_for, university_a, holder_b, admin_b, language, message
):
    patent = import_row(client_for(university_a))
    client = client_for(admin_b, language=language)

    too_long = decide(client, patent, holder_b, "refuse", reason="x" * 101)
    assert too_long.status_code == 400
    assert too_long.json()["errors"][0]["field"] == "reason"
    assert message in too_long.json()["errors"][0]["message"]
    no_version = client.post(f"/api/v1/patents/{patent.pk}/holders/{holder_b.pk}/confirm/")
    assert no_version.status_code == 400
    assert no_version.json()["errors"][0]["code"] == "version_required"
    assert decide(client, patent, holder_b, "confirm").status_code == 200
    again = decide(client, patent, holder_b, "refuse")
    assert again.status_code == 400
    expected = (
        "This holder is already confirmed on this patent." if language == "en" else "该权利人已确认"
    )
    assert expected in again.json()["errors"][0]["message"]


def test_an_operator_confirms_in_the_admin(client, client_for, university_a, holder_b, operator):
    patent = import_row(client_for(university_a))
    client.force_login(operator)

    page = client.get(f"/admin/patents/patent/{patent.pk}/change/")
    assert "乙研究所" in page.content.decode()  # the inline shows the unconfirmed holding
    response = client.post(
        "/admin/patents/patent/",
        {"action": "confirm_named_holders", "_selected_action": [patent.pk]},
    )

    assert response.status_code == 302
    holding = Holding.objects.get(patent=patent, holder=holder_b)
    assert holding.confirmed_by == operator
