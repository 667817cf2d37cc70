"""notify(): who is reached (contact addresses, members, users), once each, in both
languages, only when the write commits; and what happens when nobody can be reached or
the mail server is down."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from enterprises.models import EnterpriseMembership
from notifications.models import MailStatus, Notification, Recipient
from notifications.services import notify
from tests.factories import PASSWORD
from tests.notifications.helpers import HOLDER_CONTACT, MEMBER_EMAIL, ask
from tests.support.jobs import jobs, make_due, run_jobs
from tests.support.mail import DOWN

pytestmark = pytest.mark.django_db


def inbox(user) -> list[Recipient]:
    return list(Recipient.objects.filter(user=user).select_related("notification"))


def test_an_inquiry_reaches_the_contact_address_and_every_member_once(
    client_for,
    sme,
    reachable,
    university_a,
    holder_a_clerk,
    holder_a_former,
    patent,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = ask(client_for(sme), patent)

    # One e-mail, to the holder's contact address and to each member who has one.
    assert [message.to for message in mail.outbox] == [[HOLDER_CONTACT, MEMBER_EMAIL]]
    notification = Notification.objects.get()
    assert (notification.kind, notification.link) == (
        "inquiry_received",
        f"/api/v1/inquiries/{inquiry['id']}/",
    )
    assert (notification.mail_status, notification.mail_attempts) == (MailStatus.SENT, 1)
    # Every member sees it in the inbox, the one without an address too; a deactivated
    # account is not told.
    rows = {
        (row.user.username if row.user else None, row.email, row.mail_status)
        for row in notification.recipients.select_related("user")
    }
    assert rows == {
        (None, HOLDER_CONTACT, "sent"),
        (university_a.username, MEMBER_EMAIL, "sent"),
        (holder_a_clerk.username, "", "no_address"),
    }
    assert [row.notification_id for row in inbox(holder_a_clerk)] == [notification.pk]
    assert inbox(holder_a_former) == []
    assert inbox(sme) == []  # the asker is not told of their own inquiry


def test_a_holder_whose_members_have_no_address_is_reached_at_its_contact(
    client_for, sme, holder_a, university_a, patent, django_capture_on_commit_callbacks
):
    """Before notifications, this inquiry reached nobody, silently."""
    holder_a.contact_email = HOLDER_CONTACT
    holder_a.save()
    assert university_a.email == ""

    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for(sme), patent)

    assert [message.to for message in mail.outbox] == [[HOLDER_CONTACT]]
    assert [row.notification.kind for row in inbox(university_a)] == ["inquiry_received"]


def test_an_organisation_nobody_can_reach_is_logged_not_silent(
    client_for, sme, holder_a, patent, caplog, django_capture_on_commit_callbacks
):
    assert not holder_a.contact_email
    assert not holder_a.memberships.exists()

    with (
        caplog.at_level(logging.WARNING, "notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ask(client_for(sme), patent)

    notification = Notification.objects.get()
    assert (notification.mail_status, notification.mail_to) == (MailStatus.NO_ADDRESS, [])
    assert not notification.recipients.exists()
    assert "甲大学" in notification.audience
    assert "reaches nobody" in caplog.text
    assert mail.outbox == []


def test_an_address_is_mailed_once_whoever_has_it(
    holder_a, university_a, operator, patent, django_capture_on_commit_callbacks
):
    holder_a.contact_email = MEMBER_EMAIL.upper()
    holder_a.save()
    university_a.email = MEMBER_EMAIL
    university_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            actor=operator,
            kind="offer_published",
            recipients=[holder_a, university_a],
            about=patent,
            link=f"/api/v1/patents/{patent.pk}/",
            title="标题",
        )

    assert [message.to for message in mail.outbox] == [[MEMBER_EMAIL.upper()]]
    # the member is told once, though named directly and through the holder
    assert Recipient.objects.filter(user=university_a).count() == 1


def test_a_user_acting_for_both_parties_is_told_once(
    holder_a, university_a, enterprise_s, operator, patent
):
    EnterpriseMembership.objects.create(enterprise=enterprise_s, user=university_a)

    notification = notify(
        actor=None,
        kind="recordation_reminder",
        recipients=[holder_a, enterprise_s],
        about=patent,
        link=f"/api/v1/patents/{patent.pk}/",
        title="请备案",
    )

    assert list(notification.recipients.values_list("user__username", flat=True)) == [
        university_a.username
    ]


def test_a_write_that_rolls_back_tells_nobody(
    holder_a, university_a, patent, django_capture_on_commit_callbacks
):
    university_a.email = MEMBER_EMAIL
    university_a.save()

    def write_that_fails() -> None:
        with transaction.atomic():
            notify(
                actor=None,
                kind="offer_published",
                recipients=[holder_a],
                about=patent,
                link=f"/api/v1/patents/{patent.pk}/",
                title="标题",
            )
            raise RuntimeError("the write fails after telling")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        write_that_fails()

    assert not Notification.objects.exists()
    assert not Recipient.objects.exists()
    assert mail.outbox == []


def test_each_text_is_kept_and_mailed_in_chinese_and_english(
    client_for, sme, reachable, university_a, patent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for(sme), patent, message="许可费用？")

    notification = Notification.objects.get()
    assert notification.title_zh == "关于“一种锂离子电池正极材料”的新咨询"
    assert notification.title_en == "New inquiry about Cathode material for lithium-ion batteries"
    assert notification.body_zh.startswith("上海示例新材料科技有限公司")
    assert "许可费用？" in notification.body_en
    message = mail.outbox[0]
    assert message.subject == f"{notification.title_zh} / {notification.title_en}"
    assert notification.body_zh in message.body
    assert notification.body_en in message.body
    assert f"查看：/api/v1/inquiries/{notification.subject_id}/" in message.body
    assert f"Open: /api/v1/inquiries/{notification.subject_id}/" in message.body


def test_a_callers_mistake_is_refused(holder_a, patent):
    def tell(**overrides):
        arguments = {
            "actor": None,
            "kind": "offer_published",
            "recipients": [holder_a],
            "about": patent,
            "link": f"/api/v1/patents/{patent.pk}/",
            "title": "标题",
            **overrides,
        }
        with pytest.raises(ValidationError) as raised:
            notify(**arguments)
        return {
            field: [e.code for e in errors] for field, errors in raised.value.error_dict.items()
        }

    assert tell(kind="party") == {"kind": ["invalid_choice"]}
    assert tell(recipients=[]) == {"recipients": ["required"]}
    assert tell(link="https://example.org/") == {"link": ["invalid"]}
    with pytest.raises(TypeError):
        notify(
            actor=None,
            kind="offer_published",
            recipients=["tto@a.example.org"],  # type: ignore[list-item]  # the mistake tested
            about=patent,
            link="/api/v1/patents/1/",
            title="标题",
        )
    assert not Notification.objects.exists()


def test_a_mail_server_that_is_down_fails_nothing_and_a_job_sends_it_later(
    client_for, sme, reachable, patent, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sme).post(
            "/api/v1/inquiries/", {"patent": patent.pk, "message": "在吗？"}, format="json"
        )

    assert response.status_code == 201  # the inquiry stands
    notification = Notification.objects.get()
    assert notification.mail_status == MailStatus.FAILED
    assert notification.mail_attempts == 1
    assert notification.mail_error.startswith("SMTPServerDisconnected")
    assert set(notification.recipients.values_list("mail_status", flat=True)) == {"failed"}
    [job] = jobs("notifications.send_mail")
    assert (job.status, job.args) == ("todo", {"notification_id": notification.pk})

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due()
    run_jobs()

    assert [message.to for message in mail.outbox] == [[HOLDER_CONTACT, MEMBER_EMAIL]]
    notification.refresh_from_db()
    assert (notification.mail_status, notification.mail_attempts) == (MailStatus.SENT, 2)
    assert notification.mail_error == ""
    assert jobs("notifications.send_mail")[0].status == "succeeded"


def test_an_email_left_unsent_by_a_dying_process_is_swept_up(
    holder_a, university_a, patent, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from notifications.tasks import send_unsent

    university_a.email = MEMBER_EMAIL
    university_a.save()
    # The process writes the notification and dies before its on-commit delivery.
    notification = notify(
        actor=None,
        kind="offer_published",
        recipients=[holder_a],
        about=patent,
        link=f"/api/v1/patents/{patent.pk}/",
        title="标题",
    )
    assert send_unsent() == 0  # a fresh one is left to its own process
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )

    assert send_unsent() == 1

    assert [message.to for message in mail.outbox] == [[MEMBER_EMAIL]]
    notification.refresh_from_db()
    assert notification.mail_status == MailStatus.SENT
    assert send_unsent() == 0


def test_a_new_user_without_any_notification_has_an_empty_inbox(db):
    user = get_user_model().objects.create_user("nobody", password=PASSWORD)
    assert inbox(user) == []


def test_an_address_that_is_not_one_does_not_stop_the_write(
    client_for, sme, holder_a, university_a, patent, django_capture_on_commit_callbacks
):
    university_a.email = "tto at a.example.org"  # accounts do not check their address
    university_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for(sme), patent)

    [row] = Recipient.objects.filter(user=university_a)
    assert (row.email, row.mail_status) == ("", "no_address")
    assert mail.outbox == []
