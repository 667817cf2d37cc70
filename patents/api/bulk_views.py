"""``import/`` and ``export/`` of /api/v1/patents/, /offers/, /licences/ and /pledges/: one
mixin over the tabular kit's import kinds.

Thin: parse the upload or the list's own filters, authorise, call the viewset's
``bulk_kind`` (``patents.imports``), render. Imports answer 201 (200 on a dry run) with
the counts, or 400 listing every error by row and column with nothing written; 413 for a
file over ``IMPORT_MAX_BYTES`` and 409 when a concurrent import wrote the same records
first (send it again). Exports stream the records the list endpoint shows for the same
parameters, in the import columns, at most ``EXPORT_SYNC_MAX_ROWS`` within the request
(a 400 says so above it); private columns are empty for records the caller may not see
in full. Anonymous exports have their own, stricter rate (``AnonymousExportThrottle``).
The kit's limits and the formula neutralisation are in docs/file-safety.md.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import parsers, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.errors import PayloadTooLarge, error_body
from conversion_db.api.schema import ERROR_RESPONSES
from conversion_db.api.throttling import AnonymousExportThrottle
from conversion_db.tabular import export
from conversion_db.tabular.files import EXPORT_FORMATS, FileFormat, format_for
from conversion_db.tabular.kinds import ImportKind
from conversion_db.tabular.limits import FileLimits, megabytes
from conversion_db.tabular.report import ImportFileError, ImportReport
from patents.api import examples
from patents.api.bulk_serializers import (
    ExportQuerySerializer,
    ImportCountsSerializer,
    ImportFileSerializer,
    RecordImportReportSerializer,
    RecordImportSerializer,
)
from patents.permissions import choose_holder, is_operator, member_holder_ids

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
    "(5,000) records per export, else 400 (narrow the search); anonymous exports have "
    "their own, stricter rate (429). 按列表参数导出，可直接再导入；单次最多 5000 条。"
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
        description=description + rules,
        tags=tags,
        request={"multipart/form-data": form},
        responses={200: report, 201: report, **IMPORT_ERROR_RESPONSES},
        examples=list(examples),
    )


def export_schema(
    *,
    summary: str,
    description: str,
    formats: Sequence[FileFormat] = EXPORT_FORMATS,
    rules: str = RECORD_EXPORT_RULES,
    tags: list[str] | None = None,
) -> Any:
    """The OpenAPI entry of an ``export/`` action (``BulkFileMixin.export``)."""
    names = [file_format.value for file_format in formats]
    return extend_schema(
        summary=summary,
        description=description + rules,
        tags=tags,
        parameters=[
            OpenApiParameter(
                "file_format",
                str,
                enum=names,
                default="csv",
                description=f"{', '.join(names[:-1])} or {names[-1]}. 导出格式。",
            )
        ],
        responses={
            # CSV and JSON Lines are text (generated clients read them as text); XLSX is binary.
            (200, export.CONTENT_TYPES[file_format].split(";")[0]): (
                OpenApiTypes.BINARY if file_format == FileFormat.XLSX else OpenApiTypes.STR
            )
            for file_format in formats
        },
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
        view: Any = self
        # Filters first: they check every parameter (an unknown ordering is a 400 there).
        queryset = view.filter_queryset(view.get_queryset())
        ordering = (
            view.get_keyset_ordering()
            if hasattr(view, "get_keyset_ordering")
            else view.keyset_ordering
        )
        queryset = queryset.order_by(*ordering)
        limit = min(settings.EXPORT_SYNC_MAX_ROWS, settings.EXPORT_MAX_ROWS)
        if queryset[: limit + 1].count() > limit:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: ValidationError(
                        self.too_many_to_export % {"limit": limit}, code="too_many_rows"
                    )
                }
            )
        kind = self.bulk_kind
        private_for = None
        if kind.columns.private and not is_operator(request.user):
            private_for = member_holder_ids(request.user)
        file_format = FileFormat(params.validated_data["file_format"])
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
