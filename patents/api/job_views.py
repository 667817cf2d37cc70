"""/api/v1/jobs/: the caller's background exports and imports, to poll and download.

An export larger than ``EXPORT_SYNC_MAX_ROWS`` (or asked with ``Prefer: respond-async``),
and an import of a file larger than ``IMPORT_SYNC_MAX_BYTES`` (or asked so), answer 202
with a job (``bulk_views``); the worker runs it (``patents.filejobs.services``). A job is
its requester's: another user's answers 404 (operators see every job, here and in the
admin). ``export_queryset`` is how the worker selects an export's records: the list
endpoint's own viewset, filters and order, for the job's requester.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.services import Conflict
from conversion_db.tabular import export
from conversion_db.tabular.files import EXPORT_FORMATS, FileFormat
from patents.api import examples
from patents.api.job_serializers import FileJobSerializer, downloadable
from patents.api.offer_views import OfferViewSet
from patents.api.record_views import LicenceViewSet, PledgeViewSet
from patents.api.views import PatentViewSet
from patents.filejobs import selectors, storage
from patents.models import FileJob, FileJobStatus, FileJobTarget

EXPORT_VIEWS: dict[str, type[Any]] = {
    FileJobTarget.PATENTS: PatentViewSet,
    FileJobTarget.OFFERS: OfferViewSet,
    FileJobTarget.LICENCES: LicenceViewSet,
    FileJobTarget.PLEDGES: PledgeViewSet,
}
"""The list endpoint whose selection each target's export writes."""

JOB_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The job's id. 任务 ID。")
TAGS = ["jobs"]


def export_queryset(job: FileJob) -> QuerySet[Any]:
    """The records an export job writes, in order: its list endpoint's selection for the
    job's query, as its requester would see them now."""
    http = HttpRequest()
    http.method = "GET"
    query = QueryDict(mutable=True)
    for name, values in (job.parameters.get("query") or {}).items():
        query.setlist(name, list(values))
    http.GET = query
    request = Request(http)
    request.user = job.requester
    view = EXPORT_VIEWS[job.target]()
    view.request = request
    view.args, view.kwargs = (), {}
    view.format_kwarg = None
    view.action = "export"
    view.headers = {}
    queryset: QuerySet[Any] = view.export_queryset()
    return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Your background exports and imports / 我的后台导出与导入",
        description=(
            "The exports and imports you asked for that ran (or run) in the background, newest "
            "first; cursor-paginated. An export above EXPORT_SYNC_MAX_ROWS records (or asked "
            "with `Prefer: respond-async`) and an import of a file above "
            "IMPORT_SYNC_MAX_BYTES answered 202 with one of these. Only your own: operators "
            "see everyone's in the admin. 您在后台运行的导出与导入任务，新者在前。"
        ),
        tags=TAGS,
        examples=[examples.EXPORT_JOB_DONE, examples.IMPORT_JOB_DONE],
    ),
    retrieve=extend_schema(
        summary="One background export or import / 后台任务详情",
        description=(
            "Poll it until `status` is `succeeded` or `failed`: an export then gives its "
            "`download` address (until `expires_at`), an import its `report` (counts, and "
            "every row error when nothing was written). `rows_done` grows while an export "
            "runs. Another user's job answers 404 (operators see all). You are also told in "
            "your notifications (`file_job_finished`). 轮询至成功或失败：导出给出下载地址，"
            "导入给出报告；他人的任务返回 404。"
        ),
        tags=TAGS,
        parameters=[JOB_ID],
        examples=[
            examples.EXPORT_JOB_DONE,
            examples.IMPORT_JOB_DONE,
            examples.IMPORT_JOB_FAILED,
        ],
    ),
    download=extend_schema(
        summary="Download an export's file / 下载导出文件",
        description=(
            "The file a background export wrote (CSV in UTF-8 with a BOM, XLSX or JSON "
            "Lines, formulas neutralised as in every export), to its requester (or an "
            "operator). 409 while the job has not succeeded; 404 for another user's job, an "
            "import, or a file past `expires_at` (ask for the export again). "
            "下载后台导出的文件；未完成返回 409，过期返回 404。"
        ),
        tags=TAGS,
        parameters=[JOB_ID],
        responses={
            (200, export.CONTENT_TYPES[file_format].split(";")[0]): (
                OpenApiTypes.BINARY if file_format == FileFormat.XLSX else OpenApiTypes.STR
            )
            for file_format in EXPORT_FORMATS
        },
    ),
)
class FileJobViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FileJobSerializer
    keyset_ordering = ["-id"]
    lookup_value_regex = "[0-9]+"
    extra_error_statuses = (409,)

    def get_queryset(self) -> QuerySet[FileJob]:
        return selectors.jobs_of(self.request.user)

    def job(self) -> FileJob:
        found = selectors.job_for(self.request.user, int(self.kwargs["pk"]))
        if found is None:
            raise Http404
        return found

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = FileJobSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(FileJobSerializer(self.job(), context={"request": request}).data)

    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        job = self.job()
        if job.status != FileJobStatus.SUCCEEDED:
            raise Conflict(
                _("This job has not written its file (status: %(status)s).")
                % {"status": job.status},
                code="not_ready",
            )
        if not downloadable(job):
            raise exceptions.NotFound(
                _("This job wrote no file, or its file has expired; ask for the export again."),
                code="expired",
            )
        file_format = FileFormat(job.parameters["file_format"])
        try:
            handle = storage.path_of(job.result_file).open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound(
                _("This job wrote no file, or its file has expired; ask for the export again."),
                code="expired",
            ) from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=job.parameters.get("file_name") or f"{job.target}.{file_format.value}",
            content_type=export.CONTENT_TYPES[file_format],
        )
