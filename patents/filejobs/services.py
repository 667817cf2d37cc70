"""Exports and imports as background jobs: asking for one, running it, expiring its file.

**Asking** (the API, within the request): ``export_job_create`` records the validated
query of an export, ``import_job_create`` stores the uploaded file (already checked for
size and format); both refuse (409) a requester who has ``FILE_JOBS_PER_USER`` jobs waiting
or running already, and defer ``patents.run_file_job`` in the same transaction (the job
exists exactly when the request's write commits).

**Running** (the worker, ``file_job_run``): the job becomes ``running``. An export selects
the records as its list endpoint does for the requester (``select``, which the task gets
from the API layer), refuses more than ``EXPORT_MAX_ROWS``, and writes the file in constant
memory (records read in chunks, rows streamed to the file, an XLSX through openpyxl's
write-only mode, every spreadsheet cell neutralised against formula injection as in the
synchronous export), recording progress every ``PROGRESS_EVERY`` records; the file is
published under its name only once whole. An import runs the same all-or-nothing import
as the synchronous API (``ImportKind.import_file``) and keeps its report. The job ends
``succeeded``, or ``failed`` with the reason, and its requester is told (``notices``).

A refusal for the job's content (too many records, a file with invalid rows, a filter no
longer valid) fails the job at once. Any other error (the database went away, a
concurrent import wrote the same records) is recorded on the job, which goes back to
``queued`` for the queue's retry policy (``conversion_db.jobs.RETRY``), and ``failed``
after the last attempt.

**Expiring** (``job_files_expire``, daily): jobs still unfinished a day after they were
asked for are failed (their worker was stopped; they no longer count against the
requester's limit); the result files past ``expires_at``, the uploads left by finished
jobs, and files no job names any more are deleted; the jobs themselves stay, as their
requester's record.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, Conflict, acting_user
from conversion_db.tabular import export
from conversion_db.tabular.files import FileFormat
from conversion_db.tabular.kinds import ImportKind
from conversion_db.tabular.limits import FileLimits
from conversion_db.tabular.report import ImportReport
from patents.filejobs import notices, storage
from patents.imports.offers import OfferImport
from patents.imports.patents import PatentImport
from patents.imports.registrations import LicenceImport, PledgeImport
from patents.models import FileJob, FileJobKind, FileJobStatus, FileJobTarget, Holder
from patents.permissions import is_operator, member_holder_ids

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1000
"""An export records how many records it has written every this many records."""

KINDS: dict[str, type[ImportKind[Any]]] = {
    FileJobTarget.PATENTS: PatentImport,
    FileJobTarget.OFFERS: OfferImport,
    FileJobTarget.LICENCES: LicenceImport,
    FileJobTarget.PLEDGES: PledgeImport,
}
"""The import kind (its columns, reader and writer) of each target."""

UNFINISHED = (FileJobStatus.QUEUED, FileJobStatus.RUNNING)

Selection = Callable[[FileJob], QuerySet[Any]]
"""The records an export job writes, in order, as its list endpoint selects them for the
job's requester with the job's query (``patents.api.job_views.export_queryset``)."""


ABANDONED = _("The job did not finish (its worker stopped); ask again.")


class JobRefused(Exception):
    """The job's content is refused (no retry will help): its message is the job's error."""

    def __init__(self, message: Any, report: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.report = report


def private_columns_for(kind: type[ImportKind[Any]], user: Any) -> list[int] | None:
    """The holders whose records show ``user`` their private columns in an export (None:
    every record's, for operators and for kinds without private columns)."""
    if kind.columns.private and not is_operator(user):
        return member_holder_ids(user)
    return None


# --- Asking --------------------------------------------------------------------------------
def _check_room(user: Any) -> None:
    """409 when the user already has ``FILE_JOBS_PER_USER`` jobs waiting or running."""
    limit = settings.FILE_JOBS_PER_USER
    waiting = FileJob.objects.filter(requester=user, status__in=UNFINISHED).values("pk")[:limit]
    if len(waiting) >= limit:
        raise Conflict(
            _(
                "You have %(count)d exports or imports waiting or running already; ask again "
                "when one has finished."
            )
            % {"count": limit},
            code="too_many_jobs",
        )


def _defer(job: FileJob) -> None:
    from patents.tasks import run_file_job

    run_file_job.defer(job_id=job.pk)


def export_job_create(
    *,
    actor: Actor,
    target: str,
    query: dict[str, list[str]],
    file_format: FileFormat,
) -> FileJob:
    """A background export of ``target``'s records selected by ``query`` (the list's query
    parameters, already validated by the endpoint), for the signed-in ``actor``."""
    user = acting_user(actor)
    with transaction.atomic():
        _check_room(user)
        job = FileJob(
            kind=FileJobKind.EXPORT,
            target=target,
            requester=user,
            parameters={"query": query, "file_format": file_format.value},
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        job.full_clean()
        job.save()
        _defer(job)
    return job


def import_job_create(
    *,
    actor: Actor,
    target: str,
    stream: IO[bytes],
    file_name: str,
    file_format: FileFormat,
    owner: Holder | None,
    dry_run: bool,
) -> FileJob:
    """A background import of the uploaded ``stream`` (its size and format already
    checked), for ``owner`` (or each row's holder), by the signed-in ``actor``."""
    user = acting_user(actor)
    with transaction.atomic():
        _check_room(user)
        upload = storage.save_upload(stream, f".{file_format.value}")
        try:
            job = FileJob(
                kind=FileJobKind.IMPORT,
                target=target,
                requester=user,
                parameters={
                    "file_format": file_format.value,
                    "dry_run": dry_run,
                    "holder": owner.pk if owner is not None else None,
                    "file_name": file_name[:200],
                },
                language=translation.get_language() or settings.LANGUAGE_CODE,
                upload=upload,
            )
            job.full_clean()
            job.save()
            _defer(job)
        except BaseException:
            storage.delete(upload)
            raise
    return job


# --- Running -------------------------------------------------------------------------------
def file_job_run(job_id: int, *, select: Selection, final_attempt: bool = True) -> FileJob | None:
    """Run a job (the worker's task); None when it is gone (its requester was deleted) or
    had finished already. Raises what should be retried (after recording it on the job)."""
    job = FileJob.objects.select_related("requester").filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    FileJob.objects.filter(pk=job.pk).update(
        status=FileJobStatus.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1
    )
    job.refresh_from_db()
    try:
        with translation.override(job.language):
            if job.kind == FileJobKind.EXPORT:
                _run_export(job, select)
            else:
                _run_import(job)
    except JobRefused as refused:
        with translation.override(job.language):
            _finish(job, FileJobStatus.FAILED, error=str(refused.message), report=refused.report)
    except ValidationError as exc:  # a filter the job's query no longer passes
        with translation.override(job.language):
            _finish(job, FileJobStatus.FAILED, error=" ".join(exc.messages))
    except Exception as exc:
        logger.exception("file job %s failed (final attempt: %s)", job.pk, final_attempt)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if final_attempt:
            _finish(job, FileJobStatus.FAILED, error=error)
        else:
            FileJob.objects.filter(pk=job.pk).update(status=FileJobStatus.QUEUED, error=error)
        raise
    job.refresh_from_db()
    return job


def _counted(rows: Iterable[list[str]], job: FileJob) -> Iterator[list[str]]:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            FileJob.objects.filter(pk=job.pk).update(rows_done=done)


def _run_export(job: FileJob, select: Selection) -> None:
    kind = KINDS[job.target]
    file_format = FileFormat(job.parameters["file_format"])
    queryset = select(job)
    limit = settings.EXPORT_MAX_ROWS
    total = queryset.values("pk")[: limit + 1].count()  # bounded: at most limit + 1 ids
    if total > limit:
        raise JobRefused(
            _("An export holds at most %(limit)d records; narrow the search.") % {"limit": limit}
        )
    FileJob.objects.filter(pk=job.pk).update(rows_total=total, rows_done=0)
    job.rows_total = total
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = storage.new_name(storage.EXPORTS, f".{file_format.value}")
    rows = kind.export_rows(queryset, private_for=private_columns_for(kind, job.requester))
    try:
        with storage.write_atomically(name).open("wb") as target:
            written = export.write_file(
                target, _counted(rows, job), kind.columns.names, file_format, kind.name
            )
        size = storage.publish(name)
    except BaseException:
        storage.delete(name)
        raise
    job.rows_done = written
    job.result_file = name
    job.result_size = size
    job.parameters = {**job.parameters, "file_name": f"{kind.name}-{stamp}.{file_format.value}"}
    _finish(job, FileJobStatus.SUCCEEDED)


def report_data(report: ImportReport) -> dict[str, Any]:
    """An import's report as the job keeps it (JSON): the counts, the header mapping and
    every reported error."""
    data = dataclasses.asdict(report)
    data["batch"] = str(report.batch)
    return data


def _run_import(job: FileJob) -> None:
    kind = KINDS[job.target]
    parameters = job.parameters
    owner = None
    if parameters.get("holder"):
        owner = Holder.objects.filter(pk=parameters["holder"]).first()
        if owner is None:
            raise JobRefused(_("The holder of this import no longer exists."))
    with storage.path_of(job.upload).open("rb") as stream:
        report = kind.import_file(
            actor=job.requester,
            stream=stream,
            file_format=FileFormat(parameters["file_format"]),
            owner=owner,
            dry_run=bool(parameters.get("dry_run")),
            source=f"import:{parameters.get('file_name', 'file')}",
            limits=FileLimits.for_uploads(),
        )
    data = report_data(report)
    job.rows_done = report.rows
    if not report.ok:
        raise JobRefused(
            _("%(count)d errors in the file; nothing was written.") % {"count": report.error_count},
            report=data,
        )
    job.report = data
    _finish(job, FileJobStatus.SUCCEEDED)


def _finish(
    job: FileJob, status: str, *, error: str = "", report: dict[str, Any] | None = None
) -> None:
    """Record the outcome, remove the upload, tell the requester (one transaction)."""
    now = timezone.now()
    job.status = status
    job.finished_at = now
    job.error = error
    if report is not None:
        job.report = report
    if job.result_file:
        job.expires_at = now + datetime.timedelta(hours=settings.FILE_JOB_KEEP_HOURS)
    upload, job.upload = job.upload, ""
    with transaction.atomic():
        job.save()
        notices.job_finished(job)
    storage.delete(upload)


# --- Expiring ------------------------------------------------------------------------------
def job_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the result files whose time is up and the uploads finished jobs left; the
    number of files deleted."""
    now = now or timezone.now()
    _abandoned_fail(now)
    deleted = 0
    expired = FileJob.objects.filter(expires_at__lte=now).exclude(result_file="")
    for job in expired.only("pk", "result_file").iterator(chunk_size=500):
        storage.delete(job.result_file)
        FileJob.objects.filter(pk=job.pk).update(result_file="")
        deleted += 1
    left = FileJob.objects.filter(status__in=[FileJobStatus.SUCCEEDED, FileJobStatus.FAILED])
    for job in left.exclude(upload="").only("pk", "upload").iterator(chunk_size=500):
        storage.delete(job.upload)
        FileJob.objects.filter(pk=job.pk).update(upload="")
        deleted += 1
    return deleted + _orphans_delete(now)


ABANDONED_AFTER = datetime.timedelta(hours=24)
"""A job still waiting or running this long after it was asked for will not finish (its
worker was stopped mid-run and the queue gave up on it)."""


def _abandoned_fail(now: datetime.datetime) -> None:
    """Fail the jobs that will not finish, so that they stop counting against their
    requester's ``FILE_JOBS_PER_USER`` (their uploads go with the next expiry)."""
    abandoned = FileJob.objects.filter(
        status__in=UNFINISHED, created_at__lt=now - ABANDONED_AFTER
    ).only("pk", "language")
    for job in abandoned.iterator(chunk_size=500):
        with translation.override(job.language):  # the requester's, as every job message
            FileJob.objects.filter(pk=job.pk, status__in=UNFINISHED).update(
                status=FileJobStatus.FAILED, finished_at=now, error=str(ABANDONED)
            )


def _orphans_delete(now: datetime.datetime) -> int:
    """Files no job names any more (their requester's account was deleted, or a worker died
    while writing), once older than a result may live and a day more."""
    before = (now - datetime.timedelta(hours=settings.FILE_JOB_KEEP_HOURS + 24)).timestamp()
    deleted = 0
    for folder in (storage.UPLOADS, storage.EXPORTS):
        directory = storage.root() / folder
        if not directory.is_dir():
            continue
        old = {
            f"{folder}/{path.name.removesuffix('.part')}": path
            for path in directory.iterdir()
            if path.is_file() and path.stat().st_mtime < before
        }
        if not old:
            continue
        named = set(
            FileJob.objects.filter(result_file__in=old).values_list("result_file", flat=True)
        ) | set(FileJob.objects.filter(upload__in=old).values_list("upload", flat=True))
        for name, path in old.items():
            if name not in named:
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted
