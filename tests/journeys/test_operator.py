"""An operator's day, in the admin: sign in, find what waits (a holder to verify, an offer
to review), decide through the same services as the API, and see the background jobs the
decisions and the schedule started, each with its outcome. The people concerned are told
in their inbox and by mail.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import HolderRequest
from patents.models import LicensingOffer
from tests.factories import (
    PASSWORD,
    HolderFactory,
    HolderMembershipFactory,
    PatentFactory,
    UserFactory,
)
from tests.journeys.steps import kinds, mailed, sign_up, signed_in
from tests.support.jobs import defer_periodic, jobs, run_jobs

pytestmark = pytest.mark.django_db

QUEUE = "/admin/accounts/holderrequest/"
OFFERS = "/admin/patents/licensingoffer/"
JOBS = "/admin/conversion_db/job/"


@pytest.fixture
def waiting(committed, operator):
    """What waits for the operator: a registered holder, and a submitted offer of a verified
    holder, both made through the API by their people."""
    registrant = sign_up(committed, "zhou.lan@example.edu.cn")
    registered = committed(
        lambda: registrant.post(
            "/api/v1/holders/",
            {
                "name": "示例农业科学研究院",
                "kind": "research_institute",
                "uscc": "12100000425006117P",
                "region": "310112",
            },
            format="json",
        )
    )
    assert registered.status_code == 201, registered.json()

    holder = HolderFactory.create(
        name="甲理工大学", contact_email="tto@jia.example.edu.cn", verified=True
    )
    member = UserFactory.create(username="tto_jia", email="")
    HolderMembershipFactory.create(holder=holder, user=member, role="admin")
    patent = PatentFactory.create(
        actor=operator, application_number="201910209153.X",
        title="一种硫化物固态电解质及锂电池", ipc_codes=["H01M 10/0562"], holders=[holder],
    )  # fmt: skip
    tto = signed_in(member.username, PASSWORD)
    offer = tto.post(
        "/api/v1/offers/",
        {
            "offer_type": "ordinary",
            "title": "固态电解质普通许可",
            "pricing_mode": "negotiable",
            "term_start": "2027-01-01",
            "term_end": "2031-12-31",
            "patents": [patent.pk],
        },
        format="json",
    )
    assert offer.status_code == 201, offer.json()
    submitted = tto.post(f"/api/v1/offers/{offer.json()['id']}/submit/", HTTP_IF_MATCH='"1"')
    assert submitted.status_code == 200, submitted.json()
    return {
        "registrant": registrant,
        "registered_holder": registered.json()["id"],
        "offer": offer.json()["id"],
        "tto": tto,
    }


def test_an_operator_works_the_queues_and_sees_the_jobs(committed, operator, waiting):
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    signed = browser.post(
        "/admin/login/?next=/admin/", {"username": operator.username, "password": PASSWORD}
    )
    assert signed.status_code == 302, signed.content[:500]
    assert "后台任务" in browser.get("/admin/").content.decode()

    # 1. The queue of holders and requests: the registration waits; approve it.
    [registration] = HolderRequest.objects.filter(status="pending")
    queue = browser.get(QUEUE, {"status__exact": "pending"}).content.decode()
    assert "示例农业科学研究院" in queue
    mail.outbox.clear()
    approved = committed(
        lambda: browser.post(QUEUE, {"action": "approve", "_selected_action": [registration.pk]})
    )
    assert approved.status_code == 302
    assert (
        waiting["registrant"]
        .get(f"/api/v1/holders/{waiting['registered_holder']}/")
        .json()["verified"]
        is True
    )
    assert kinds(waiting["registrant"]) == ["holder_request_decided"]
    assert mailed("zhou.lan@example.edu.cn") != []

    # 2. The offers waiting for review: approve the submitted one; its holder is told.
    pending = browser.get(OFFERS, {"status__exact": "pending_review"}).content.decode()
    assert "固态电解质普通许可" in pending
    mail.outbox.clear()
    published = committed(
        lambda: browser.post(OFFERS, {"action": "approve", "_selected_action": [waiting["offer"]]})
    )
    assert published.status_code == 302
    assert LicensingOffer.objects.get(pk=waiting["offer"]).status == "published"
    assert kinds(waiting["tto"]) == ["offer_published"]
    assert mailed("tto@jia.example.edu.cn") != []

    # 3. The jobs: the publication deferred the re-matching; the schedule runs once.
    assert [job.task_name for job in jobs()] == ["enterprises.rematch_offer"]
    scheduled = defer_periodic()
    run_jobs()
    finished = {(job.task_name, job.status) for job in jobs()}
    assert ("enterprises.rematch_offer", "succeeded") in finished
    assert {name for name, _ in finished} >= set(scheduled)
    listed = browser.get(JOBS, {"status": "succeeded"}).content.decode()
    for name in ["enterprises.rematch_offer", *scheduled]:
        assert name in listed, name
    assert browser.get(JOBS, {"status": "failed"}).status_code == 200
