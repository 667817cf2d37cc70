"""Admin: operators browse the reference schemes; nobody edits them by hand."""

import pytest

from tests.factories import HolderFactory, PatentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/patents/ipcclass/?q=锂离子电池", "H01M 10/0525"),
        ("/admin/patents/region/?q=浦东", "310115"),
        ("/admin/patents/techfield/", "计算机技术"),
    ],
)
def test_operator_searches_reference_data(client, operator, url, expected):
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_reference_data_cannot_be_edited_in_the_admin(client, operator):
    client.force_login(operator)
    assert client.get("/admin/patents/ipcclass/add/").status_code == 403
    page = client.get("/admin/patents/region/310115/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_admin_speaks_english_on_request(client, operator):
    client.force_login(operator)
    chinese = client.get("/admin/patents/region/").content.decode()
    english = client.get("/admin/patents/region/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "行政区划" in chinese
    assert "regions" in english.lower()


def holder_form(**overrides):
    data = {
        "name": "同济大学",
        "name_en": "Tongji University",
        "kind": "university",
        "uscc": "",
        "region": "310110",
        "address": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_holder_admin_runs_the_service_rules_and_keeps_history(client, operator):
    from patents.models import Holder

    client.force_login(operator)
    bad = client.post(
        "/admin/patents/holder/add/",
        holder_form(uscc="12100000425006117Q"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 200
    assert "the last character should be" in bad.content.decode()
    assert not Holder.objects.filter(name="同济大学").exists()

    good = client.post("/admin/patents/holder/add/", holder_form(uscc="12100000425006117p"))
    assert good.status_code == 302
    holder = Holder.objects.get(name="同济大学")
    assert holder.uscc == "12100000425006117P"
    assert holder.history.get().history_user == operator
    assert client.get(f"/admin/patents/holder/{holder.pk}/history/").status_code == 200


def test_holder_admin_refuses_a_stale_edit(client, operator):
    from patents.register import services

    holder = HolderFactory.create(actor=operator, name="同济大学")
    services.holder_update(
        actor=operator, holder=holder, data={"name_en": "Tongji"}, expected_version=1
    )
    client.force_login(operator)
    response = client.post(
        f"/admin/patents/holder/{holder.pk}/change/", holder_form(name_en="Overwrite", version="1")
    )
    assert response.status_code == 200  # the form again, with the error
    holder.refresh_from_db()
    assert holder.name_en == "Tongji"


def test_verify_action_goes_through_the_service(client, operator):
    holder = HolderFactory.create(actor=operator, name="同济大学")
    client.force_login(operator)
    response = client.post(
        "/admin/patents/holder/",
        {"action": "mark_verified", "_selected_action": [holder.pk]},
        follow=True,
    )
    assert response.status_code == 200
    holder.refresh_from_db()
    assert holder.verified is True
    assert holder.version == 2
    assert holder.history.count() == 2


def test_patent_admin_finds_a_patent_by_any_spelling_of_its_number(client, operator):
    patent = PatentFactory.create(
        actor=operator,
        application_number="201910209152.5",
        title="一种锂离子电池正极材料",
        bare=True,
    )
    client.force_login(operator)
    for spelling in ("ZL 201910209152.5", "2019102091525", "CN201910209152.5"):
        response = client.get("/admin/patents/patent/", {"q": spelling})
        assert response.status_code == 200
        assert f"/admin/patents/patent/{patent.pk}/change/" in response.content.decode()


def test_the_holder_forms_verified_box_verifies_on_add_and_change_with_history(client, operator):
    from patents.models import Holder

    client.force_login(operator)
    added = client.post("/admin/patents/holder/add/", holder_form(verified="on"))
    assert added.status_code == 302
    holder = Holder.objects.get(name="同济大学")
    assert holder.verified is True
    assert holder.history.get().verified is True

    unticked = client.post(f"/admin/patents/holder/{holder.pk}/change/", holder_form())
    assert unticked.status_code == 302
    holder.refresh_from_db()
    assert (holder.verified, holder.version) == (False, 2)
    ticked = client.post(
        f"/admin/patents/holder/{holder.pk}/change/", holder_form(verified="on", version="2")
    )
    assert ticked.status_code == 302
    holder.refresh_from_db()
    assert (holder.verified, holder.version) == (True, 3)
    assert [h.verified for h in holder.history.order_by("history_id")] == [True, False, True]
    assert holder.history.first().history_user == operator


def test_verifying_a_holder_in_its_form_approves_its_pending_registration(client, operator):
    from accounts.models import HolderRequest, RequestStatus
    from accounts.services.holders import holder_register
    from tests.factories import UserFactory

    registrant = UserFactory.create(username="tto", email="tto@example.org")
    holder, registration = holder_register(
        actor=registrant,
        values={
            "name": "同济大学",
            "kind": "university",
            "region": "310110",
            "uscc": "12100000425006117P",
        },
    )
    client.force_login(operator)
    response = client.post(
        f"/admin/patents/holder/{holder.pk}/change/",
        holder_form(verified="on", uscc=holder.uscc, version=str(holder.version)),
    )
    assert response.status_code == 302
    registration = HolderRequest.objects.get(pk=registration.pk)
    assert registration.status == RequestStatus.APPROVED
    assert registration.decided_by == operator
