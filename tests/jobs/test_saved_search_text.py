"""The saved-search bug: an offer search saved with ``q`` answered 500 on its results
("Cannot resolve keyword 'rank'") and crashed the alert run for everyone. Checked here
through the API and through the alert jobs, for offers and for patents, with the
relevance ordering left implicit and asked for explicitly."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core import mail

from enterprises.tasks import send_alerts
from notifications.models import Recipient
from patents.licensing import offers
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from tests.support.jobs import jobs, run_jobs

pytestmark = pytest.mark.django_db

QUERIES = [
    ("offers", {"q": ["锂电池"]}),
    ("offers", {"q": ["锂电池"], "ordering": ["relevance"]}),
    ("offers", {"q": ["锂电池"], "offer_type": ["open_licence"]}),
    ("patents", {"q": ["锂电池"]}),
    ("patents", {"q": ["锂电池"], "ordering": ["relevance"]}),
]


def registered(operator, holder, number: str, title: str):
    return services.patent_create(
        actor=operator,
        data=PatentInput(
            values={
                "application_number": number,
                "title": title,
                "ipc_codes": ["H01M 10/0525"],
                "filing_date": datetime.date(2019, 3, 21),
                "grant_date": datetime.date(2021, 6, 1),
                "legal_status": "in_force",
            },
            holdings=[HoldingInput(holder)],
        ),
    )


def published(operator, member, holder, patent):
    offer = offers.offer_create(
        actor=member,
        holder=holder,
        values={
            "offer_type": "open_licence",
            "title": "锂电池隔膜开放许可",
            "pricing_mode": "royalty_net_sales",
            "royalty_rate": "3.00",
            "term_start": datetime.date(2026, 1, 1),
            "term_end": datetime.date(2030, 12, 31),
        },
        patent_ids=[patent.pk],
    )
    offers.offer_submit(actor=member, offer=offer, expected_version=1)
    return offers.offer_review(
        actor=operator, offer=offer, approve=True, note="", expected_version=2
    )


@pytest.mark.parametrize(("target", "query"), QUERIES)
def test_a_text_search_answers_its_results_and_alerts_through_the_job(
    client_for,
    sme,
    enterprise_s,
    operator,
    holder_a,
    university_a,
    target,
    query,
    django_capture_on_commit_callbacks,
):
    client = client_for(sme)
    saved = client.post(
        "/api/v1/saved-searches/",
        {"name": "锂电池", "target": target, "query": query},
        format="json",
    )
    assert saved.status_code == 201, saved.json()
    patent = registered(operator, holder_a, "201910209152.5", "一种锂电池隔膜")
    offer = published(operator, university_a, holder_a, patent)
    expected = offer.pk if target == "offers" else patent.pk

    results = client.get(f"/api/v1/saved-searches/{saved.json()['id']}/results/")

    assert results.status_code == 200, results.json()
    assert [row["id"] for row in results.json()["results"]] == [expected]

    send_alerts.configure(task_kwargs={"timestamp": int(time.time())}).defer()  # as scheduled
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()

    assert {job.status for job in jobs("enterprises.send_alert")} == {"succeeded"}
    [row] = Recipient.objects.filter(user=sme, notification__kind="saved_search_alert")
    assert f"/api/v1/{target}/{expected}/" in row.notification.body_zh
    assert [message.to for message in mail.outbox] == [[sme.email]]
