"""Operators see which e-mails went out: the notification records are the log, filtered by
kind, recipient, read or unread, and e-mail outcome with its reason."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enterprises.models import Enterprise
from notifications.models import Recipient
from patents.models import Holder
from tests.notifications.helpers import HOLDER_CONTACT, MEMBER_EMAIL, ask
from tests.support.mail import DOWN

pytestmark = pytest.mark.django_db

RECIPIENTS = "/admin/notifications/recipient/"
NOTIFICATIONS = "/admin/notifications/notification/"


@pytest.fixture
def logged(
    client_for,
    sme,
    reachable,
    university_a,
    holder_a_clerk,
    patent,
    settings,
    django_capture_on_commit_callbacks,
):
    """One inquiry whose mail went out, one whose mail failed; the clerk read the first."""
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for(sme), patent, message="第一条")
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for(sme), patent, message="第二条")
    first = Recipient.objects.filter(user=holder_a_clerk).order_by("id")[0]
    Recipient.objects.filter(pk=first.pk).update(read_at=timezone.now())


def listed(client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_operators_filter_the_log_by_outcome_read_state_and_recipient(
    client, operator, logged, holder_a_clerk
):
    client.force_login(operator)

    everything = listed(client, RECIPIENTS)
    failed = listed(client, RECIPIENTS, mail_status="failed")
    no_address = listed(client, RECIPIENTS, mail_status="no_address")
    unread = listed(client, RECIPIENTS, read="no")
    contacts = listed(client, RECIPIENTS, recipient="address")
    received = listed(client, RECIPIENTS, notification__kind="inquiry_received")
    replied = listed(client, RECIPIENTS, notification__kind="inquiry_replied")
    found = listed(client, RECIPIENTS, q=holder_a_clerk.username)
    by_address = listed(client, RECIPIENTS, q=MEMBER_EMAIL)

    assert everything.count(HOLDER_CONTACT) == 2
    assert "SMTPServerDisconnected" in failed
    assert failed.count(MEMBER_EMAIL) == 1
    assert "无邮箱地址" in no_address  # the clerk has no address: that is why
    assert holder_a_clerk.username in no_address
    assert unread.count(holder_a_clerk.username) == 1  # the other one is read
    assert MEMBER_EMAIL not in contacts
    assert HOLDER_CONTACT in contacts
    assert received.count(HOLDER_CONTACT) == 2
    assert HOLDER_CONTACT not in replied
    assert found.count(holder_a_clerk.username) >= 2
    assert HOLDER_CONTACT not in found
    assert by_address.count(MEMBER_EMAIL) >= 2
    assert holder_a_clerk.username not in by_address
    holders = str(ContentType.objects.get_for_model(Holder).pk)
    enterprises = str(ContentType.objects.get_for_model(Enterprise).pk)
    assert listed(client, RECIPIENTS, organisation_type=holders).count(HOLDER_CONTACT) == 2
    assert HOLDER_CONTACT not in listed(client, RECIPIENTS, organisation_type=enterprises)


def test_each_notification_shows_its_text_addresses_and_error(client, operator, logged):
    from notifications.models import Notification

    client.force_login(operator)
    failed = Notification.objects.get(mail_status="failed")

    page = listed(client, f"{NOTIFICATIONS}{failed.pk}/change/")
    filtered = listed(client, NOTIFICATIONS, mail_status="failed", kind="inquiry_received")

    assert "第二条" in page
    assert HOLDER_CONTACT in page
    assert "SMTPServerDisconnected" in page
    assert 'name="_save"' not in page  # read-only
    assert f"{NOTIFICATIONS}{failed.pk}/change/" in filtered


def test_the_log_speaks_the_operators_language_and_is_read_only(client, operator, logged):
    client.force_login(operator)

    chinese = listed(client, RECIPIENTS)
    english = client.get(RECIPIENTS, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "接收方" in chinese
    assert "未读" in chinese
    assert "recipients" in english.lower()
    assert "unread" in english.lower()
    assert client.get(f"{RECIPIENTS}add/").status_code == 403
    assert client.get(f"{NOTIFICATIONS}add/").status_code == 403


def test_members_of_the_public_cannot_read_the_log(client, sme, logged):
    client.force_login(sme)
    assert client.get(RECIPIENTS).status_code == 302  # to the admin's login
