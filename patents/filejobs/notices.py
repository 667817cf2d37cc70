"""What a background file job tells its requester when it ends (``file_job_finished``):
the export is ready to download (until when), the import's counts, or why it failed.
Through ``notifications.services.notify`` (inbox and e-mail, in Chinese and English),
inside the transaction that records the outcome."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notify
from patents.models import FileJob, FileJobKind, FileJobStatus, FileJobTarget


def link(job: FileJob) -> str:
    return reverse("file-job-detail", args=[job.pk])


def job_finished(job: FileJob) -> Notification:
    records = FileJobTarget(job.target).label
    path = link(job)
    report = job.report or {}
    if job.status == FileJobStatus.FAILED:
        kind = FileJobKind(job.kind).label
        title = lazy_format(_("Your %(kind)s of %(records)s failed"), kind=kind, records=records)
        body = lazy_format(_("The reason: %(error)s"), error=job.error or "—")
    elif job.kind == FileJobKind.EXPORT:
        title = lazy_format(
            _("Your export of %(count)d %(records)s is ready"), count=job.rows_done, records=records
        )
        expires = timezone.localtime(job.expires_at) if job.expires_at else None
        body = lazy_format(
            _("Download it with GET %(link)sdownload/ until %(expires)s."),
            link=path,
            expires=expires.strftime("%Y-%m-%d %H:%M") if expires else "—",
        )
    else:
        title = (
            lazy_format(_("Your file of %(records)s was checked"), records=records)
            if report.get("dry_run")
            else lazy_format(_("Your import of %(records)s is done"), records=records)
        )
        body = lazy_format(
            _(
                "%(rows)d rows read: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged. Details: GET %(link)s"
            ),
            rows=report.get("rows", 0),
            created=report.get("created", 0),
            updated=report.get("updated", 0),
            unchanged=report.get("unchanged", 0),
            link=path,
        )
    return notify(
        actor=None,
        kind=Kind.FILE_JOB_FINISHED,
        recipients=[job.requester],
        about=job,
        link=path,
        title=title,
        body=body,
    )
