"""Background file jobs: an export or an import too large to answer within the request.

A ``FileJob`` is created by the API (``patents.filejobs.services``), run once by the job
queue's worker (``patents.tasks.run_file_job``) and polled by its requester at
``/api/v1/jobs/{id}/``. Its files live under ``FILE_JOBS_DIR`` (never under a public URL):
an import's upload until the job has run, an export's result until ``expires_at``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FileJobKind(models.TextChoices):
    EXPORT = "export", _("export")
    IMPORT = "import", _("import")


class FileJobTarget(models.TextChoices):
    """What a job exports or imports: the records of one list endpoint."""

    PATENTS = "patents", _("patents")
    OFFERS = "offers", _("offers")
    LICENCES = "licences", _("licence records")
    PLEDGES = "pledges", _("pledges")


class FileJobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


FINISHED = (FileJobStatus.SUCCEEDED, FileJobStatus.FAILED)


class FileJob(models.Model):
    """One background export or import, its progress and its outcome.

    ``parameters``: for an export, ``query`` (the list's query parameters, validated when
    the job was asked for) and ``file_format``; for an import, ``file_format``, ``dry_run``,
    ``holder`` (the holder imported for, or None) and ``file_name``. An export's outcome is
    ``result_file`` (and ``rows_done`` records); an import's is ``report`` (counts and
    errors, as the synchronous import answers them). A job that failed says why in
    ``error``; one refused for its content (an import with invalid rows) also keeps its
    report."""

    kind = models.CharField(_("kind"), max_length=8, choices=FileJobKind.choices)
    target = models.CharField(_("records"), max_length=10, choices=FileJobTarget.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="file_jobs",
        verbose_name=_("requester"),
        db_index=False,  # the index file_job_requester leads with it
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=10, choices=FileJobStatus.choices, default=FileJobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(
        _("records to write"), null=True, blank=True, help_text=_("Known once an export starts.")
    )
    rows_done = models.PositiveIntegerField(_("records done"), default=0)
    upload = models.CharField(
        _("uploaded file"),
        max_length=255,
        blank=True,
        help_text=_("An import's file, under FILE_JOBS_DIR, until the job has run."),
    )
    result_file = models.CharField(
        _("result file"),
        max_length=255,
        blank=True,
        help_text=_("An export's file, under FILE_JOBS_DIR, until it expires."),
    )
    result_size = models.PositiveBigIntegerField(_("result size (bytes)"), null=True, blank=True)
    report = models.JSONField(_("import report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("file expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("background file job")
        verbose_name_plural = _("background file jobs")
        ordering = ["-id"]
        indexes = [
            # GET /api/v1/jobs/: the caller's jobs, newest first; and their unfinished count.
            models.Index(fields=["requester", "-id"], name="file_job_requester"),
            # patents.expire_job_files: the files whose time is up.
            models.Index(
                fields=["expires_at"], name="file_job_expiry", condition=~Q(result_file="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_target_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
