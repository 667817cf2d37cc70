"""A university's tech-transfer office, from sign-up to a published offer, through the
HTTP API only: sign up and verify, register the holder, an operator verifies it, import the
holder's patents from a spreadsheet, draft an offer, submit it, an operator publishes it,
and the public finds it. Each party is told what concerns them, in the inbox and by mail.
"""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.factories import PASSWORD as OPERATOR_PASSWORD
from tests.journeys.steps import kinds, mailed, sign_up, signed_in
from tests.support import files

pytestmark = pytest.mark.django_db

OFFICE = "tto@example.edu.cn"  # the holder's contact address
PATENTS = [
    {
        "application_number": "CN201910209152.5",
        "title": "一种锂离子电池正极材料及其制备方法",
        "ipc_codes": "H01M 10/0525",
        "filing_date": "2019-03-21",
        "grant_date": "2021-06-01",
        "legal_status": "in_force",
    },
    {
        "application_number": "CN201910209153.X",
        "title": "一种硫化物固态电解质及锂电池",
        "ipc_codes": "H01M 10/0562",
        "filing_date": "2019-03-21",
        "grant_date": "2021-08-10",
        "legal_status": "in_force",
    },
]


def test_a_university_lists_its_patents_and_its_offer_is_published(committed, operator):
    li = sign_up(committed, "li.ming@example.edu.cn")
    staff = signed_in(operator.username, OPERATOR_PASSWORD)

    # 1. Register the holder: unverified, Li its admin; the operators are told.
    mail.outbox.clear()
    registered = committed(
        lambda: li.post(
            "/api/v1/holders/",
            {
                "name": "示例理工大学",
                "name_en": "Example University of Technology",
                "kind": "university",
                "uscc": "12100000425006117P",
                "region": "310110",
                "contact_email": OFFICE,
            },
            format="json",
        )
    )
    assert registered.status_code == 201, registered.json()
    holder_id = registered.json()["id"]
    assert registered.json()["verified"] is False
    assert kinds(staff) == ["holder_registered"]
    assert mailed(operator.email) == ["示例理工大学 等待核验 / 示例理工大学 waits for verification"]

    # 2. The operator checks the credit code and approves the registration.
    [registration] = staff.get("/api/v1/holder-requests/", {"status": "pending"}).json()["results"]
    assert (registration["kind"], registration["holder"]) == ("registration", holder_id)
    mail.outbox.clear()
    approved = committed(
        lambda: staff.post(
            f"/api/v1/holder-requests/{registration['id']}/approve/",
            HTTP_IF_MATCH=f'"{registration["version"]}"',
        )
    )
    assert approved.status_code == 200, approved.json()
    assert li.get(f"/api/v1/holders/{holder_id}/").json()["verified"] is True
    assert kinds(li) == ["holder_request_decided"]
    assert mailed("li.ming@example.edu.cn") == [
        "示例理工大学 已通过核验 / 示例理工大学 is verified"
    ]

    # 3. Import the holder's patents from a spreadsheet: a dry run first, then for real.
    upload = files.csv_file(PATENTS, name="patents.csv")
    preview = li.post(
        "/api/v1/patents/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert preview.status_code == 200, preview.json()
    assert (preview.json()["created"], preview.json()["dry_run"]) == (2, True)
    imported = li.post(
        "/api/v1/patents/import/",
        {"file": files.csv_file(PATENTS, name="patents.csv")},
        format="multipart",
    )
    assert imported.status_code == 201, imported.json()
    assert (imported.json()["rows"], imported.json()["created"]) == (2, 2)
    mine = li.get("/api/v1/patents/", {"holder": holder_id}).json()["results"]
    assert sorted(p["title"] for p in mine) == sorted(row["title"] for row in PATENTS)
    assert all(p["holders"][0]["id"] == holder_id for p in mine)

    # 4. Draft an open licence of both, submit it for review.
    drafted = li.post(
        "/api/v1/offers/",
        {
            "offer_type": "open_licence",
            "title": "锂电池正极材料与固态电解质开放许可",
            "pricing_mode": "royalty_net_sales",
            "royalty_rate": "3.00",
            "term_start": "2027-01-01",
            "term_end": "2031-12-31",
            "patents": [p["id"] for p in mine],
        },
        format="json",
    )
    assert drafted.status_code == 201, drafted.json()
    offer = drafted.json()
    submitted = li.post(f"/api/v1/offers/{offer['id']}/submit/", HTTP_IF_MATCH='"1"')
    assert submitted.json()["status"] == "pending_review", submitted.json()

    # 5. The operator reviews it from the queue and publishes it; the holder is told.
    queue = staff.get("/api/v1/offers/", {"status": "pending_review"}).json()["results"]
    assert [o["id"] for o in queue] == [offer["id"]]
    mail.outbox.clear()
    reviewed = committed(
        lambda: staff.post(
            f"/api/v1/offers/{offer['id']}/review/", {"approve": True, "version": 2}, format="json"
        )
    )
    assert reviewed.json()["status"] == "published", reviewed.json()
    assert kinds(li) == ["holder_request_decided", "offer_published"]
    [message] = mail.outbox
    assert sorted(message.to) == sorted([OFFICE, "li.ming@example.edu.cn"])

    # 6. The public finds it, with its holder and patents named.
    found = APIClient().get("/api/v1/offers/", {"q": "固态电解质"}).json()["results"]
    assert [o["id"] for o in found] == [offer["id"]]
    assert found[0]["holder"]["name"] == "示例理工大学"
