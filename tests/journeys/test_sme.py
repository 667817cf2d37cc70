"""An SME, from sign-up to a recorded licence, through the HTTP API only: sign up and
verify, register the enterprise, post a demand, read the explained matches, ask the holder
of the best one, get the reply, conclude the deal, record it with CNIPA's number; the
licence is then public without its amount, and both parties see it with the amount. Each
party is told in the inbox and by mail: the holder at its contact address even though its
member has none.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import (
    PASSWORD,
    HolderFactory,
    HolderMembershipFactory,
    PatentFactory,
    UserFactory,
)
from tests.journeys.steps import kinds, mailed, sign_up, signed_in

pytestmark = pytest.mark.django_db

HOLDER_OFFICE = "tto@jia.example.edu.cn"
SME_OFFICE = "bd@example-materials.example.com"
CHEN = "chen.jing@example-materials.example.com"


@pytest.fixture
def university(operator):
    """The other party: a verified holder with a contact address, a member without one,
    and three of its patents."""
    holder = HolderFactory.create(
        name="甲理工大学", kind="university", contact_email=HOLDER_OFFICE, verified=True
    )
    member = UserFactory.create(username="tto_jia", email="")
    HolderMembershipFactory.create(holder=holder, user=member, role="admin")
    for number, title, ipc in [
        ("201910209152.5", "一种锂离子电池正极材料及其制备方法", "H01M 10/0525"),
        ("201910209153.X", "一种硫化物固态电解质及锂电池", "H01M 10/0562"),
        ("201810209154.X", "一种水稻种植用的自动灌溉装置", "A01G 25/02"),
    ]:
        PatentFactory.create(
            actor=operator, application_number=number, title=title, ipc_codes=[ipc],
            holders=[holder],
        )  # fmt: skip
    return holder, member


def test_an_sme_finds_a_patent_asks_its_holder_and_records_the_licence(committed, university):
    _holder, member = university
    chen = sign_up(committed, CHEN)
    tto = signed_in(member.username, PASSWORD)
    public = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    # 1. Register the enterprise; Chen administers it.
    enterprise = chen.post(
        "/api/v1/enterprises/",
        {
            "name": "上海示例新材料科技有限公司",
            "uscc": "91310115MA1K3BTP2B",
            "industry_code": "C3841",
            "contact_email": SME_OFFICE,
        },
        format="json",
    )
    assert enterprise.status_code == 201, enterprise.json()

    # 2. A demand; its matches are explained and name each patent and its holder.
    demand = chen.post(
        "/api/v1/demands/",
        {
            "title": "寻求锂电池固态电解质技术",
            "description": "我公司需要用于动力锂电池的硫化物固态电解质。",
            "keywords": ["固态电解质"],
            "ipc_codes": ["H01M 10/0562"],
            "wanted_offer_types": ["ordinary", "open_licence"],
            "budget_max_cny": "2000000",
            "open": True,
        },
        format="json",
    )
    assert demand.status_code == 201, demand.json()
    matches = chen.get(f"/api/v1/demands/{demand.json()['id']}/matches/").json()["results"]
    best = matches[0]
    assert best["patent"]["title"] == "一种硫化物固态电解质及锂电池"
    assert best["patent"]["number"]
    assert [h["name"] for h in best["patent"]["holders"]] == ["甲理工大学"]
    assert "一种水稻种植用的自动灌溉装置" not in [m["patent"]["title"] for m in matches[:2]]

    # 3. Ask the holder: its member is told in the inbox, its office by mail.
    mail.outbox.clear()
    inquiry = committed(
        lambda: chen.post(
            "/api/v1/inquiries/",
            {"match": best["id"], "message": "请问普通许可的费用和期限？"},
            format="json",
        )
    )
    assert inquiry.status_code == 201, inquiry.json()
    inquiry_id = inquiry.json()["id"]
    assert kinds(tto) == ["inquiry_received"]
    [subject] = mailed(HOLDER_OFFICE)
    assert "一种硫化物固态电解质及锂电池" in subject

    # 4. The holder replies; Chen and the enterprise's office are told.
    mail.outbox.clear()
    replied = committed(
        lambda: tto.post(
            f"/api/v1/inquiries/{inquiry_id}/reply/",
            {"reply": "可以，普通许可五年，50 万元。", "version": 1},
            format="json",
        )
    )
    assert replied.status_code == 200, replied.json()
    assert kinds(chen) == ["inquiry_replied"]
    assert mailed(CHEN) == mailed(SME_OFFICE) != []

    # 5. The deal: a licence record, private until it is recorded.
    contract = timezone.localdate() - datetime.timedelta(days=10)
    deal = tto.post(
        "/api/v1/deals/",
        {
            "inquiry": inquiry_id,
            "kind": "ordinary",
            "contract_date": str(contract),
            "term_start": str(contract),
            "term_end": str(contract.replace(year=contract.year + 5)),
            "amount_cny": "500000.00",
        },
        format="json",
    )
    assert deal.status_code == 201, deal.json()
    licence_id = deal.json()["licence"]["id"]
    assert licence_id not in [
        row["id"] for row in public.get("/api/v1/licences/").json()["results"]
    ]
    assert public.get(f"/api/v1/licences/{licence_id}/").status_code == 404

    # 6. Chen records it with CNIPA's number: the public sees it, without the amount.
    recorded = chen.patch(
        f"/api/v1/deals/{deal.json()['id']}/",
        {"recordation_number": "X2026310000123", "recordation_date": str(timezone.localdate())},
        format="json",
        HTTP_IF_MATCH=f'"{deal.json()["version"]}"',
    )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["recorded"] is True
    seen = public.get(f"/api/v1/licences/{licence_id}/")
    assert seen.status_code == 200, seen.json()
    assert seen.json()["recordation_number"] == "X2026310000123"
    assert "amount_cny" not in seen.json()
    for party in (chen, tto):
        own = party.get(f"/api/v1/licences/{licence_id}/").json()
        assert own["amount_cny"] == "500000.00"
