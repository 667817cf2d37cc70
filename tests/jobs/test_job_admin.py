"""Operators see the background jobs in the admin, in Chinese or English, find the failed
ones, and run them again."""

from __future__ import annotations

import pytest
from django.core import mail
from procrastinate.contrib.django.models import ProcrastinateJob

from conversion_db.jobs import MAX_ATTEMPTS
from tests.notifications.helpers import ask
from tests.support.jobs import jobs, make_due, run_jobs
from tests.support.mail import DOWN

pytestmark = pytest.mark.django_db

JOBS = "/admin/conversion_db/job/"


@pytest.fixture
def failed_mail(client_for, sme, reachable, patent, settings, django_capture_on_commit_callbacks):
    """A notification's e-mail whose job failed every attempt (the mail server was down)."""
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for(sme), patent)
    for _ in range(MAX_ATTEMPTS):
        make_due()
        run_jobs()
    [job] = jobs("notifications.send_mail")
    assert job.status == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return job


def test_the_admin_index_links_to_the_jobs_in_either_language(client, operator):
    client.force_login(operator)

    chinese = client.get("/admin/").content.decode()
    english = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert JOBS in chinese
    assert "后台任务" in chinese
    assert "Background jobs" in english
    assert "Procrastinate" not in chinese  # one place for jobs, not two


def test_failed_jobs_are_listed_with_their_attempts_and_events(client, operator, failed_mail):
    client.force_login(operator)

    failed = client.get(JOBS, {"status": "failed"}).content.decode()
    waiting = client.get(JOBS, {"status": "todo"}).content.decode()
    detail = client.get(f"{JOBS}{failed_mail.id}/change/").content.decode()
    english = client.get(
        f"{JOBS}{failed_mail.id}/change/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "重发通知邮件 (notifications.send_mail)" in failed
    assert "失败" in failed
    assert f"{JOBS}{failed_mail.id}/change/" in failed
    assert f"{JOBS}{failed_mail.id}/change/" not in waiting
    assert detail.count("等待重试") == MAX_ATTEMPTS - 1  # one event per retry
    assert "失败" in detail
    assert 'name="_save"' not in detail
    assert "send a notification&#x27;s e-mail again" in english
    assert "to be retried" in english


def test_an_operator_runs_a_failed_job_again(client, operator, failed_mail):
    client.force_login(operator)

    response = client.post(
        JOBS, {"action": "retry", "_selected_action": [failed_mail.id]}, follow=True
    )

    assert "将重新运行的任务：1 个。" in response.content.decode()
    assert ProcrastinateJob.objects.get(pk=failed_mail.id).status == "todo"
    make_due()  # retried "now" by the clock; PostgreSQL's now() is this transaction's start
    run_jobs()  # the mail server is back
    assert ProcrastinateJob.objects.get(pk=failed_mail.id).status == "succeeded"
    assert len(mail.outbox) == 1


def test_an_operator_cancels_a_waiting_job(client, operator, failed_mail):
    from enterprises.tasks import rematch_offer

    waiting = rematch_offer.defer(offer_id=1)
    client.force_login(operator)

    response = client.post(JOBS, {"action": "cancel", "_selected_action": [waiting]}, follow=True)

    assert "已取消的任务：1 个。" in response.content.decode()
    assert ProcrastinateJob.objects.get(pk=waiting).status == "cancelled"


def test_only_operators_see_the_jobs(client, sme):
    client.force_login(sme)
    assert client.get(JOBS).status_code == 302
