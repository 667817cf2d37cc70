"""The shape of a background file job (/api/v1/jobs/, and the 202 of export/ and import/).
The classes carry comments, not docstrings: drf-spectacular would publish a docstring as
the schema component's description."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patents.models import FileJob, FileJobKind, FileJobStatus, FileJobTarget


def job_url(job: FileJob, request: Any, name: str = "file-job-detail") -> str:
    path = reverse(name, args=[job.pk])
    return request.build_absolute_uri(path) if request is not None else path


def downloadable(job: FileJob) -> bool:
    """An export written and not expired yet."""
    return (
        job.status == FileJobStatus.SUCCEEDED
        and bool(job.result_file)
        and (job.expires_at is None or job.expires_at > timezone.now())
    )


# A background export or import: what was asked, how far it is, and its outcome.
class FileJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The job's id. 任务 ID。")
    kind = serializers.ChoiceField(
        choices=FileJobKind.choices, help_text="export or import. 导出或导入。"
    )
    target = serializers.ChoiceField(
        choices=FileJobTarget.choices,
        help_text="The records exported or imported. 导出或导入的记录类型。",
    )
    status = serializers.ChoiceField(
        choices=FileJobStatus.choices,
        help_text=(
            "queued, running, then succeeded or failed (see `error`). "
            "排队中、运行中、成功或失败（见 error）。"
        ),
    )
    file_format = serializers.SerializerMethodField(help_text="csv, xlsx, jsonl (xls: imports).")
    query = serializers.SerializerMethodField(
        help_text=(
            "An export's query parameters, as the list endpoint reads them (null for an "
            "import). 导出所用的查询参数。"
        )
    )
    file_name = serializers.SerializerMethodField(
        help_text=(
            "The uploaded file's name (imports), or the written file's (exports, once done). "
            "文件名。"
        )
    )
    dry_run = serializers.SerializerMethodField(
        help_text="An import that only checks (null for an export). 是否试运行。"
    )
    rows_total = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Records the export writes, known once it runs (null for an import). 待导出记录数。"
        ),
    )
    rows_done = serializers.IntegerField(
        help_text=(
            "Records written so far (exports, updated as it runs), or rows read (imports, "
            "when done). 已处理数。"
        )
    )
    report = serializers.SerializerMethodField(
        help_text=(
            "An import's report once it ran: the counts of the synchronous import's answer "
            "(batch, dry_run, rows, created, updated, unchanged, ...), `error_count` and "
            "`errors` (row, column, code, message; nothing was written when there are any). "
            "导入报告（计数与逐行错误）。"
        )
    )
    error = serializers.CharField(
        help_text="Why it failed (empty otherwise). 失败原因。", allow_blank=True
    )
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the export's file is deleted (FILE_JOB_KEEP_HOURS). 文件过期时间。",
    )
    url = serializers.SerializerMethodField(help_text="Poll this. 查询任务状态的地址。")
    download = serializers.SerializerMethodField(
        help_text=(
            "The file, once written and until it expires (null otherwise). 下载地址（完成后）。"
        )
    )

    def get_file_format(self, job: FileJob) -> str:
        return str(job.parameters.get("file_format", ""))

    @extend_schema_field(
        serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), allow_null=True
        )
    )
    def get_query(self, job: FileJob) -> dict[str, list[str]] | None:
        return job.parameters.get("query") if job.kind == FileJobKind.EXPORT else None

    def get_file_name(self, job: FileJob) -> str:
        return str(job.parameters.get("file_name", ""))

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_dry_run(self, job: FileJob) -> bool | None:
        return bool(job.parameters.get("dry_run")) if job.kind == FileJobKind.IMPORT else None

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_report(self, job: FileJob) -> dict[str, Any] | None:
        return job.report

    def get_url(self, job: FileJob) -> str:
        return job_url(job, self.context.get("request"))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, job: FileJob) -> str | None:
        if not downloadable(job):
            return None
        return job_url(job, self.context.get("request"), "file-job-download")
