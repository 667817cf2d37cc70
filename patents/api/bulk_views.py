"""``import/`` and ``export/`` of /api/v1/patents/, /offers/, /licences/ and /pledges/: one
mixin over the tabular kit's import kinds.

Thin: parse the upload or the list's own filters, authorise, call the viewset's
``bulk_kind`` (``patents.imports``), render. Imports answer 201 (200 on a dry run) with
the counts, or 400 listing every error by row and column with nothing written; 413 for a
file over ``IMPORT_MAX_BYTES`` and 409 when a concurrent import wrote the same records
first (send it again). Exports stream the records the list endpoint shows for the same
parameters, in the import columns, at most ``EXPORT_SYNC_MAX_ROWS`` within the request;
private columns are empty for records the caller may not see in full. Anonymous exports
have their own, stricter rate (``AnonymousExportThrottle``). The kit's limits and the
formula neutralisation are in docs/file-safety.md.

Heavy work leaves the request (``patents.filejobs``): a signed-in caller's export of more
than ``EXPORT_SYNC_MAX_ROWS`` records (a bounded check: at most that many ids plus one are
read), and an import of a file larger than ``IMPORT_SYNC_MAX_BYTES`` (checked for its size
and readable header first, 400/413 as at once), answer 202 with a job to poll
(``Location``: /api/v1/jobs/{id}/); so does any export or import sent with ``Prefer:
respond-async``. An anonymous caller's export stays within the request: above the limit a
400 tells them to sign in.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Generator, Sequence
from contextlib import closing
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import parsers, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.errors import PayloadTooLarge, error_body
from conversion_db.api.schema import ERROR_RESPONSES
from conversion_db.api.throttling import AnonymousExportThrottle
from conversion_db.tabular import export
from conversion_db.tabular.files import EXPORT_FORMATS, FileFormat, format_for, read_rows
from conversion_db.tabular.kinds import ImportKind
from conversion_db.tabular.limits import FileLimits, megabytes
from conversion_db.tabular.report import ImportFileError, ImportReport
from patents.api import examples
from patents.api import examples as job_examples
from patents.api.bulk_serializers import (
    ExportQuerySerializer,
    ImportCountsSerializer,
    ImportFileSerializer,
    RecordImportReportSerializer,
    RecordImportSerializer,
)
from patents.api.job_serializers import FileJobSerializer, job_url
from patents.filejobs.services import export_job_create, import_job_create, private_columns_for
from patents.models import FileJob
from patents.permissions import choose_holder, is_operator

LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description="The job to poll, /api/v1/jobs/{id}/. 任务地址。",
    response=[202],
)

# What every import of offers, licence records and pledges shares, after its own
# description (the patents' import and export describe it in their own words).
RECORD_IMPORT_RULES = (
    " Upload the file as multipart field `file`. All or nothing: when any row is "
    "invalid (a cell, or a rule of docs/domain/ the service applies) nothing is "
    "written and the 400 lists every error with its `row` (the line in the file; "
    "the header is row 1), `column` and message. `dry_run` checks and counts without "
    "writing. At most IMPORT_MAX_ROWS rows per file (empty rows count), IMPORT_MAX_BYTES "
    "(64 MB) per file (else 413), IMPORT_MAX_CELL_CHARS characters per cell; CSV in UTF-8 "
    "or GB18030 (another encoding is refused, named). 409 when another import wrote the "
    "same records at the same moment: send the file again. 全部成功才写入，逐行报告错误。"
)
RECORD_EXPORT_RULES = (
    " The records the list selects with the same parameters, in its order, in the "
    "import columns: an exported file imports again unchanged. CSV is UTF-8 with a "
    "BOM; a CSV or XLSX cell starting with = + - @ (a formula to a spreadsheet) is "
    "written with a ' in front, which the import removes. At most EXPORT_SYNC_MAX_ROWS "
    "(5,000) records are answered at once; a signed-in caller's larger export (up to "
    "EXPORT_MAX_ROWS, 100,000) answers 202 with a background job to poll (`Location`), "
    "as does any export sent with `Prefer: respond-async`; an anonymous caller gets a 400 "
    "(sign in, or narrow the search), and anonymous exports have their own, stricter rate "
    "(429). 按列表参数导出，可直接再导入；超过 5000 条时登录用户转为后台任务（202），"
    "匿名用户请登录或缩小范围。"
)
BACKGROUND_IMPORT_RULES = (
    " A file larger than IMPORT_SYNC_MAX_BYTES (1 MB), or any file sent with `Prefer: "
    "respond-async`, is checked for its size, format and header, stored, and imported by a "
    "background job: 202 with the job (`Location`: poll it; its `report` is what this "
    "answer would have been). 大文件（超过 1 MB）转为后台导入任务（202），轮询任务获取报告。"
)
PREFER = OpenApiParameter(
    "Prefer",
    str,
    OpenApiParameter.HEADER,
    required=False,
    enum=["respond-async"],
    description=(
        "`respond-async`: run it as a background job whatever its size (202), for a "
        "signed-in caller. 要求以后台任务方式运行。"
    ),
)
IMPORT_ERROR_RESPONSES = {status_code: ERROR_RESPONSES[status_code] for status_code in (409, 413)}
RECORD_IMPORT_EXAMPLES = (examples.RECORD_IMPORT_REPORT, examples.RECORD_IMPORT_ROW_ERRORS)


def import_schema(
    *,
    summary: str,
    description: str,
    form: type[ImportFileSerializer] = RecordImportSerializer,
    report: type[ImportCountsSerializer] = RecordImportReportSerializer,
    examples: Sequence[OpenApiExample] = RECORD_IMPORT_EXAMPLES,
    rules: str = RECORD_IMPORT_RULES,
    tags: list[str] | None = None,
) -> Any:
    """The OpenAPI entry of an ``import/`` action (``BulkFileMixin.import_file``)."""
    return extend_schema(
        summary=summary,
        description=description + rules + BACKGROUND_IMPORT_RULES,
        tags=tags,
        parameters=[PREFER, LOCATION],
        request={"multipart/form-data": form},
        responses={
            200: report,
            201: report,
            202: OpenApiResponse(
                FileJobSerializer,
                description="A background job imports the file: poll `Location`. 后台导入任务。",
            ),
            **IMPORT_ERROR_RESPONSES,
        },
        examples=[*examples, job_examples.IMPORT_JOB_QUEUED],
    )


def export_schema(
    *,
    summary: str,
    description: str,
    formats: Sequence[FileFormat] = EXPORT_FORMATS,
    rules: str = RECORD_EXPORT_RULES,
    tags: list[str] | None = None,
    background: bool = False,
) -> Any:
    """The OpenAPI entry of an ``export/`` action (``BulkFileMixin.export``, with
    ``background``: its 202 and the job's ``Location``; other exports answer at once).

    ``Prefer: respond-async`` is described in words, not declared as a parameter: an
    export declares exactly its list's filters and its format
    (tests/conversion_db/api/test_schema_contract.py)."""
    names = [file_format.value for file_format in formats]
    responses: dict[Any, Any] = {
        # CSV and JSON Lines are text (generated clients read them as text); XLSX is binary.
        (200, export.CONTENT_TYPES[file_format].split(";")[0]): (
            OpenApiTypes.BINARY if file_format == FileFormat.XLSX else OpenApiTypes.STR
        )
        for file_format in formats
    }
    parameters: list[OpenApiParameter] = [
        OpenApiParameter(
            "file_format",
            str,
            enum=names,
            default="csv",
            description=f"{', '.join(names[:-1])} or {names[-1]}. 导出格式。",
        )
    ]
    if background:
        responses[(202, "application/json")] = OpenApiResponse(
            FileJobSerializer,
            description=(
                "A background job writes the file: poll `Location` (/api/v1/jobs/{id}/), then "
                "download it. 后台导出任务：轮询 Location，完成后下载。"
            ),
            examples=[job_examples.EXPORT_JOB_QUEUED],
        )
        parameters.append(LOCATION)
    return extend_schema(
        summary=summary,
        description=description + rules,
        tags=tags,
        parameters=parameters,
        responses=responses,
    )


def read_upload(
    request: Request, form: type[serializers.Serializer]
) -> tuple[dict[str, Any], Any, Any, FileFormat]:
    """An import request's validated ``form``, the holder it imports for, the uploaded file
    and its format (each problem a 400 naming its field; a file over ``IMPORT_MAX_BYTES``
    a 413)."""
    serializer = form(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    owner = choose_holder(request.user, data.get("holder"), optional=is_operator(request.user))
    upload = data["file"]
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise PayloadTooLarge(
            _("The file is larger than %(limit)s; split it into smaller files.")
            % {"limit": megabytes(settings.IMPORT_MAX_BYTES)}
        )
    try:
        file_format = format_for(upload.name, data.get("file_format"))
    except ImportFileError as exc:
        raise ValidationError({"file": ValidationError(exc.message, code=exc.code)}) from exc
    return data, owner, upload, file_format


def import_report_response(
    report: ImportReport, summary_serializer: type[serializers.Serializer]
) -> Response:
    """201 (200 on a dry run) with the counts, or 400 with every row error."""
    summary = summary_serializer(report).data
    if not report.ok:
        body = error_body(
            status.HTTP_400_BAD_REQUEST,
            "invalid_rows",
            _("%(count)d errors in the file; nothing was written.") % {"count": report.error_count},
            [
                {
                    "field": error.column,
                    "row": error.row,
                    "column": error.column,
                    "code": error.code,
                    "message": error.message,
                }
                for error in report.errors
            ],
        )
        return Response({**body, "report": summary}, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        summary, status=status.HTTP_200_OK if report.dry_run else status.HTTP_201_CREATED
    )


SIGN_IN_TO_EXPORT_MORE = _(
    "Sign in to export more: a signed-in export of up to EXPORT_MAX_ROWS records runs in "
    "the background."
)


def prefers_async(request: Request) -> bool:
    """Whether the request asks to be answered by a job (``Prefer: respond-async``,
    RFC 7240)."""
    for preference in request.headers.get("Prefer", "").split(","):
        name = preference.split(";", 1)[0].split("=", 1)[0].strip().lower()
        if name == "respond-async":
            return True
    return False


def more_than(queryset: QuerySet[Any], limit: int) -> bool:
    """Whether ``queryset`` holds more than ``limit`` rows, reading at most ``limit + 1``
    ids (never a count of every match)."""
    return queryset.values("pk")[: limit + 1].count() > limit


def header_errors(
    kind: type[ImportKind[Any]], upload: Any, file_format: FileFormat
) -> ImportReport | None:
    """A report with the error that makes the file unreadable (its size, an XLSX's unpacked
    size, its encoding, its header), read from its first row only; None when it reads.
    What a background import checks before it stores the file."""
    report = kind.report_class(batch=uuid.uuid4(), dry_run=True)
    rows = read_rows(
        upload, file_format, kind.columns, FileLimits.for_uploads(), on_header=report.header_read
    )
    with closing(cast(Generator[Any, None, None], rows)):  # read_rows is a generator
        try:
            next(rows, None)
        except ImportFileError as exc:
            report.add_error(exc.row, exc.column, exc.code, exc.message)
    upload.seek(0)
    return None if report.ok else report


def job_accepted(job: FileJob, request: Request) -> Response:
    """202 with the job and where to poll it."""
    headers = {"Location": job_url(job, request)}
    if prefers_async(request):
        headers["Preference-Applied"] = "respond-async"
    return Response(
        FileJobSerializer(job, context={"request": request}).data,
        status=status.HTTP_202_ACCEPTED,
        headers=headers,
    )


class BulkFileMixin:
    """Adds ``import/`` and ``export/`` to a viewset of ``bulk_kind`` records; the other
    attributes are the records' defaults, which patents override."""

    #: The export takes the list's filters (and the schema declares them).
    filtered_actions: frozenset[str] = frozenset({"export"})
    extra_query_parameters: dict[str, tuple[str, ...]] = {"export": ("file_format",)}
    bulk_kind: type[ImportKind[Any]]
    import_form: type[ImportFileSerializer] = RecordImportSerializer
    import_report: type[ImportCountsSerializer] = RecordImportReportSerializer
    export_formats: tuple[FileFormat, ...] = EXPORT_FORMATS
    too_many_to_export: Any = _(
        "An export answered at once holds at most %(limit)d records; narrow the search."
    )

    def get_throttles(self) -> list[Any]:
        throttles: list[Any] = super().get_throttles()  # type: ignore[misc]
        if getattr(self, "action", None) == "export" and throttles:  # throttling is on
            throttles.append(AnonymousExportThrottle())
        return throttles

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[parsers.MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def import_file(self, request: Request) -> Response:
        data, owner, upload, file_format = read_upload(request, self.import_form)
        if prefers_async(request) or upload.size > settings.IMPORT_SYNC_MAX_BYTES:
            unreadable = header_errors(self.bulk_kind, upload, file_format)
            if unreadable is not None:
                return import_report_response(unreadable, self.import_report)
            job = import_job_create(
                actor=request.user,
                target=self.bulk_kind.name,
                stream=upload,
                file_name=upload.name or "",
                file_format=file_format,
                owner=owner,
                dry_run=data["dry_run"],
            )
            return job_accepted(job, request)
        report = self.bulk_kind.import_file(
            actor=request.user,
            stream=upload,
            file_format=file_format,
            owner=owner,
            dry_run=data["dry_run"],
            source=f"import:{upload.name}",
            limits=FileLimits.for_uploads(),
        )
        return import_report_response(report, self.import_report)

    def export_queryset(self) -> QuerySet[Any]:
        """The records an export writes, in order: the list's selection for this request
        (every parameter checked by the filters; an unknown ordering is a 400 there). A
        background job calls it too, on a request rebuilt from the job
        (``job_views.export_queryset``)."""
        view: Any = self
        queryset = view.filter_queryset(view.get_queryset())
        ordering = (
            view.get_keyset_ordering()
            if hasattr(view, "get_keyset_ordering")
            else view.keyset_ordering
        )
        return queryset.order_by(*ordering)

    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        permission_classes=[permissions.AllowAny],
    )
    def export(self, request: Request) -> HttpResponseBase:
        params = ExportQuerySerializer(
            data=request.query_params, formats=[f.value for f in self.export_formats]
        )
        params.is_valid(raise_exception=True)
        file_format = FileFormat(params.validated_data["file_format"])
        queryset = self.export_queryset()
        signed_in = bool(request.user and request.user.is_authenticated)
        limit = min(settings.EXPORT_SYNC_MAX_ROWS, settings.EXPORT_MAX_ROWS)
        if signed_in and (prefers_async(request) or more_than(queryset, limit)):
            job = export_job_create(
                actor=request.user,
                target=self.bulk_kind.name,
                query=dict(request.query_params.lists()),
                file_format=file_format,
            )
            return job_accepted(job, request)
        if not signed_in and more_than(queryset, limit):
            message = self.too_many_to_export % {"limit": limit}
            if settings.EXPORT_SYNC_MAX_ROWS <= settings.EXPORT_MAX_ROWS:
                message = f"{message} {SIGN_IN_TO_EXPORT_MORE}"
            raise ValidationError(
                {NON_FIELD_ERRORS: ValidationError(message, code="too_many_rows")}
            )
        kind = self.bulk_kind
        private_for = private_columns_for(kind, request.user)
        response: HttpResponseBase
        if file_format == FileFormat.XLSX:  # a zip is written whole (a few MB at this cap)
            target = io.BytesIO()
            kind.export_file(queryset, target, file_format, private_for=private_for)
            response = HttpResponse(
                target.getvalue(), content_type=export.CONTENT_TYPES[file_format]
            )
        else:
            rows = kind.export_rows(queryset, private_for=private_for)
            response = StreamingHttpResponse(
                export.lines(rows, kind.columns.names, file_format),
                content_type=export.CONTENT_TYPES[file_format],
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = (
            f'attachment; filename="{kind.name}-{stamp}.{file_format.value}"'
        )
        return response
