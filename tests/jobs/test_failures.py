"""A failing job is retried with backoff, then recorded as failed for the operators, and
the other jobs still run: a saved search whose alert fails no longer stops everyone's
alerts, and an e-mail the mail server keeps refusing ends ``failed``, in the job queue
and in the notification log."""

from __future__ import annotations

import datetime
import html
import io
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateEvent

from conversion_db.jobs import MAX_ATTEMPTS
from enterprises.models import SavedSearch
from enterprises.tasks import send_alerts
from notifications.models import MailStatus, Notification
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from tests.notifications.helpers import HOLDER_CONTACT, ask
from tests.support.jobs import jobs, make_due, run_jobs
from tests.support.mail import DOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def searches(client_for, sme, sme_other, enterprise_t, operator, holder_a):
    """A good saved search, and one saved before 本发明 became a stop word: its text now
    matches nothing a search can look for, and reading its results raises (a 400 in the
    API); then a patent registered after both."""
    good = client_for(sme).post(
        "/api/v1/saved-searches/",
        {"name": "锂电池", "target": "patents", "query": {"ipc": ["H01M"]}},
        format="json",
    )
    assert good.status_code == 201
    bad = SavedSearch.objects.create(
        enterprise=enterprise_t,
        user=sme_other,
        name="本发明",
        target="patents",
        query={"q": ["本发明"]},
        last_alerted_id=SavedSearch.objects.get(pk=good.json()["id"]).last_alerted_id,
    )
    services.patent_create(
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
    return good.json()["id"], bad.pk


def events(job_id: int) -> list[str]:
    return list(
        ProcrastinateEvent.objects.filter(job_id=job_id)
        .order_by("id")
        .values_list("type", flat=True)
    )


def test_a_failing_saved_search_is_retried_then_failed_and_the_others_go_out(
    client, client_for, operator, sme, sme_other, searches, django_capture_on_commit_callbacks
):
    good, bad = searches
    assert client_for(sme_other).get(f"/api/v1/saved-searches/{bad}/results/").status_code == 400
    send_alerts.configure(task_kwargs={"timestamp": int(time.time())}).defer()  # as scheduled

    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()

    by_search = {job.args["saved_search_id"]: job for job in jobs("enterprises.send_alert")}
    assert by_search[good].status == "succeeded"
    assert [message.to for message in mail.outbox] == [[sme.email]]
    failing = by_search[bad]
    assert (failing.status, failing.attempts) == ("todo", 1)
    assert failing.scheduled_at is not None
    assert 0 < (failing.scheduled_at - timezone.now()).total_seconds() <= 8  # backoff: 8 s

    runs = 1
    while jobs("enterprises.send_alert")[-1].status == "todo" and runs < 10:
        make_due()
        run_jobs()
        runs += 1

    failing = {j.args["saved_search_id"]: j for j in jobs("enterprises.send_alert")}[bad]
    assert (runs, failing.status, failing.attempts) == (MAX_ATTEMPTS, "failed", MAX_ATTEMPTS)
    assert events(failing.id).count("deferred_for_retry") == MAX_ATTEMPTS - 1
    assert events(failing.id)[-1] == "failed"
    assert SavedSearch.objects.get(pk=bad).last_alerted_at is None  # nothing half-done
    assert len(mail.outbox) == 1
    # the operators see it among the failed jobs
    client.force_login(operator)
    page = client.get("/admin/conversion_db/job/", {"status": "failed"}).content.decode()
    assert "enterprises.send_alert" in page
    assert html.escape(f'"saved_search_id": {bad}') in page


def test_the_command_reports_the_failing_search_and_sends_the_others(
    sme, searches, django_capture_on_commit_callbacks
):
    good, bad = searches
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as failed:
        call_command("send_alerts", stdout=out)

    assert f"failed (see the log): {bad}" in str(failed.value)
    assert "2 saved searches checked, 1 e-mails sent" in out.getvalue()
    assert out.getvalue().rstrip().endswith("1 failed")
    assert [message.to for message in mail.outbox] == [[sme.email]]
    assert SavedSearch.objects.get(pk=good).last_alerted_at is not None


def test_an_email_refused_every_time_ends_failed_in_the_queue_and_the_log(
    client_for, sme, reachable, patent, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for(sme), patent)

    for _ in range(MAX_ATTEMPTS):
        make_due()
        run_jobs()

    [job] = jobs("notifications.send_mail")
    assert (job.status, job.attempts) == ("failed", MAX_ATTEMPTS)
    notification = Notification.objects.get()
    assert notification.mail_status == MailStatus.FAILED
    assert notification.mail_attempts == 1 + MAX_ATTEMPTS  # at once, then each job run
    assert "SMTPServerDisconnected" in notification.mail_error
    assert set(notification.recipients.values_list("mail_status", flat=True)) == {"failed"}
    assert HOLDER_CONTACT in notification.mail_to
    assert mail.outbox == []
