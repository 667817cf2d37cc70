"""Jobs of the notifications app: e-mails that could not be sent at once are sent again.

After its transaction commits, a notification's e-mail is sent at once, in the process
that wrote it (``deliver_or_retry_later``). When that fails, ``send_mail`` is deferred:
it tries again under the queue's retry policy (``conversion_db.jobs.RETRY``: five attempts
over about 80 minutes) and ends ``failed`` in the job admin, while the notification shows
the error and the attempts. Should the process die between the commit and the sending,
``send_unsent_mail`` (every 10 minutes) sends what was left pending.
"""

from __future__ import annotations

import contextlib
import datetime

from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from conversion_db import jobs
from notifications.mail import deliver
from notifications.models import MailStatus, Notification

UNSENT_AFTER = datetime.timedelta(minutes=10)
UNSENT_BATCH = 500


class MailNotSent(Exception):
    """The mail backend refused a notification's e-mail (the job is retried)."""


def deliver_or_retry_later(notification_id: int) -> bool:
    """Send now; on failure, leave it to the ``send_mail`` job (True when sent)."""
    if deliver(notification_id):
        return True
    with contextlib.suppress(AlreadyEnqueued):  # a job waits to send it already
        send_mail.configure(queueing_lock=f"notification-mail-{notification_id}").defer(
            notification_id=notification_id
        )
    return False


def send_unsent(*, older_than: datetime.timedelta = UNSENT_AFTER) -> int:
    """Send the e-mails still pending ``older_than`` after their notification was written
    (at most ``UNSENT_BATCH`` a run); returns how many were tried."""
    cutoff = timezone.now() - older_than
    due = list(
        Notification.objects.filter(mail_status=MailStatus.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:UNSENT_BATCH]
    )
    for notification_id in due:
        deliver_or_retry_later(notification_id)
    return len(due)


@app.task(
    name="notifications.send_mail",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_WAITED_FOR,
    queue=jobs.QUEUE,
)
async def send_mail(notification_id: int) -> None:
    """Send a notification's e-mail again; raise (so it is retried) while it fails."""
    if not await jobs.run_sync(deliver, notification_id):
        raise MailNotSent(f"notification {notification_id}: the e-mail was not sent")


@app.periodic(cron=jobs.cron("notifications.send_unsent_mail"))
@app.task(
    name="notifications.send_unsent_mail",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def send_unsent_mail(timestamp: int) -> int:
    return await jobs.run_sync(send_unsent)
