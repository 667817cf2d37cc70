"""The scheduler's jobs, run once by the real worker: every periodic task is deferred as
the worker's deferrer defers it, then the worker runs the queue inside this test's
transaction (tests/support/jobs.py explains how), and each job's effect is asserted in
the database, the inboxes and the mail.

(procrastinate's Django connector cannot run ``manage.py procrastinate worker`` or
``app.run_worker()`` over a pytest transaction: both take connections of their own. A
transactional test would flush the reference data seeded once per session. So the
worker runs under ``async_to_sync`` on the test's connection instead; the schedule table
itself is checked in test_schedule.py.)
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services.tokens import token_create
from conversion_db.models import IdempotencyKey
from enterprises.models import Deal, Inquiry, TechnologyDemand
from indicators.models import Snapshot
from notifications.models import Recipient
from patents.filejobs import storage
from patents.licensing import offers
from patents.models import FileJob, LicensingOffer, Patent
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from tests.notifications.helpers import ENTERPRISE_CONTACT, HOLDER_CONTACT, MEMBER_EMAIL, ask
from tests.support.jobs import defer_periodic, jobs, run_jobs

pytestmark = pytest.mark.django_db

OPEN_TERMS = {
    "offer_type": "open_licence",
    "title": "锂离子电池正极材料开放许可",
    "pricing_mode": "royalty_net_sales",
    "royalty_rate": "3.00",
    "term_start": datetime.date(2026, 1, 1),
    "term_end": datetime.date(2030, 12, 31),
}


@pytest.fixture
def due_work(
    settings,
    tmp_path,
    client_for,
    sme,
    reachable,
    university_a,
    operator,
    holder_a,
    patent,
    django_capture_on_commit_callbacks,
):
    """Something for every daily job to do."""
    settings.FILE_JOBS_DIR = tmp_path / "jobs"
    # expire_offers: a published offer whose patent has since lapsed
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[patent.pk]
    )
    offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    with django_capture_on_commit_callbacks(execute=True):  # defers the re-matching job
        offers.offer_review(actor=operator, offer=offer, approve=True, note="", expected_version=2)
    # expire_demands: an open demand past its deadline
    demand = client_for(sme).post(
        "/api/v1/demands/",
        {"title": "寻求固态电解质技术", "ipc_codes": ["H01M"], "open": True},
        format="json",
    )
    assert demand.status_code == 201, demand.json()
    TechnologyDemand.objects.filter(pk=demand.json()["id"]).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    # send_reminders: an inquiry unanswered for four days, and a deal unrecorded for 80
    inquiry = ask(client_for(sme), patent)
    waiting = ask(client_for(sme), patent, message="还在等回复")
    Inquiry.objects.filter(pk=waiting["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=4)
    )
    deal = client_for(university_a).post(
        "/api/v1/deals/",
        {
            "inquiry": inquiry["id"],
            "kind": "ordinary",
            "contract_date": str(timezone.localdate() - datetime.timedelta(days=80)),
        },
        format="json",
    )
    assert deal.status_code == 201, deal.json()
    # send_alerts: a saved patent search, then a patent registered after it
    saved = client_for(sme).post(
        "/api/v1/saved-searches/",
        {"name": "锂电池", "target": "patents", "query": {"ipc": ["H01M"]}},
        format="json",
    )
    assert saved.status_code == 201
    newcomer = services.patent_create(
        actor=operator,
        data=PatentInput(
            values={
                "application_number": "202010209155.1",
                "title": "一种高离子电导率的硫化物固态电解质",
                "ipc_codes": ["H01M 10/0562"],
                "filing_date": datetime.date(2020, 3, 21),
                "legal_status": "pending",
            },
            holdings=[HoldingInput(holder_a)],
        ),
    )
    Patent.objects.filter(pk=patent.pk).update(legal_status="lapsed")  # since the deal
    # expire_idempotency_keys: an answer kept longer than the retention
    stale = IdempotencyKey.objects.create(
        user=sme, key="k1", operation="deal-create", fingerprint="f", status_code=201, body={}
    )
    IdempotencyKey.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    # expire_tokens: a token past its expiry (and one still valid)
    expired, _key = token_create(actor=sme, name="old script", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(
        expiry=timezone.now() - datetime.timedelta(hours=1)
    )
    valid, _key = token_create(actor=sme, name="new script", days=30)
    # expire_job_files: a background export's file past its expiry
    stale_file = storage.new_name(storage.EXPORTS, ".csv")
    storage.path_of(stale_file).write_text("application_number\n")
    export_job = FileJob.objects.create(
        kind="export",
        target="patents",
        requester=sme,
        status="succeeded",
        result_file=stale_file,
        expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    mail.outbox.clear()
    return {
        "expired_token": expired.pk,
        "valid_token": valid.pk,
        "offer": offer,
        "demand": demand.json()["id"],
        "waiting": waiting["id"],
        "deal": deal.json()["id"],
        "newcomer": newcomer,
        "stale_key": stale.pk,
        "export_job": export_job.pk,
        "stale_file": storage.path_of(stale_file),
    }


def test_the_schedule_runs_once_and_each_job_does_its_work(
    due_work, sme, university_a, django_capture_on_commit_callbacks
):
    deferred = defer_periodic()
    assert sorted(deferred) == [
        "accounts.expire_tokens",
        "conversion_db.expire_idempotency_keys",
        "conversion_db.remove_old_jobs",
        "enterprises.expire_demands",
        "enterprises.send_alerts",
        "enterprises.send_reminders",
        "indicators.take_snapshot",
        "notifications.send_unsent_mail",
        "patents.expire_job_files",
        "patents.expire_offers",
    ]

    with django_capture_on_commit_callbacks(execute=True):  # mails leave as jobs commit
        run_jobs()

    ran = {(job.task_name, job.status) for job in jobs()}
    assert ran == {(name, "succeeded") for name in deferred} | {
        ("enterprises.send_alert", "succeeded"),  # one per saved search, fanned out
        ("enterprises.rematch_offer", "succeeded"),  # deferred when the offer was published
    }
    # expire_offers, expire_demands, expire_idempotency_keys, expire_tokens
    assert not ApiToken.objects.filter(pk=due_work["expired_token"]).exists()
    assert ApiToken.objects.filter(pk=due_work["valid_token"]).exists()
    assert not IdempotencyKey.objects.filter(pk=due_work["stale_key"]).exists()
    assert not due_work["stale_file"].exists()  # expire_job_files
    assert FileJob.objects.get(pk=due_work["export_job"]).result_file == ""
    assert LicensingOffer.objects.get(pk=due_work["offer"].pk).status == "expired"
    assert TechnologyDemand.objects.get(pk=due_work["demand"]).status == "expired"
    # take_snapshot: the indicators of the target regions, kept for the dashboard
    [snapshot] = Snapshot.objects.all()
    assert snapshot.trigger == "schedule"
    assert snapshot.values.filter(region_id="310000", indicator="pct_applications").exists()
    # send_reminders: the holder of the waiting inquiry; both parties of the deal
    assert Inquiry.objects.get(pk=due_work["waiting"]).reminders_sent == 1
    assert Deal.objects.get(pk=due_work["deal"]).reminded_at is not None
    # send_alerts: the user's inbox and mail
    [alert] = Recipient.objects.filter(user=sme, notification__kind="saved_search_alert")
    assert due_work["newcomer"].application_number in alert.notification.body_zh
    due = Deal.objects.get(pk=due_work["deal"]).recordation_due
    sent = {message.subject.split(" / ")[-1]: sorted(message.to) for message in mail.outbox}
    assert sent == {
        "Unanswered inquiry about Cathode material for lithium-ion batteries": sorted(
            [HOLDER_CONTACT, MEMBER_EMAIL]
        ),
        f"Record the licence with CNIPA by {due}": sorted(
            [HOLDER_CONTACT, MEMBER_EMAIL, ENTERPRISE_CONTACT, sme.email]
        ),
        "Saved search “锂电池”: 1 new results": [sme.email],
    }
