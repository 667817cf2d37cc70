"""``import/`` and ``export/`` of /api/v1/offers/, /api/v1/licences/ and /api/v1/pledges/.

Thin: parse the upload or the list's own filters, authorise, call
``patents.imports.records`` (which writes through the offers and records services), render.
Imports answer like the patent import: 201 (200 on a dry run) with the counts, or 400
listing every error by row and column with nothing written. Exports stream the records
the list endpoint shows for the same parameters, in the import columns, at most
``EXPORT_MAX_ROWS``; private columns are empty for records the caller may not see in full.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.errors import error_body
from patents.api import examples
from patents.imports import patents as imports
from patents.imports import records as record_imports
from patents.imports.patents import FileFormat
from patents.imports.records import Kind
from patents.permissions import choose_holder, is_operator, member_holder_ids

CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.JSONL: "application/x-ndjson; charset=utf-8",
}


class RecordImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=(
            "CSV (UTF-8 or GB18030), XLSX or JSON Lines in the columns of the README's import "
            "section (an exported file is a template). CSV、XLSX 或 JSON Lines 文件。"
        )
    )
    file_format = serializers.ChoiceField(
        choices=["csv", "xlsx", "jsonl"],
        required=False,
        help_text="When the file name's extension does not tell. 文件格式（扩展名不明时）。",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Check and count, write nothing. 试运行：只校验和统计。"
    )
    holder = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "The holder to import for; defaults to your only holder (operators: none, each "
            "row names its holder). 导入到哪个权利人名下。"
        ),
    )


class RecordImportReportSerializer(serializers.Serializer):
    batch = serializers.UUIDField(
        help_text="Import batch id, in every history row written. 批次号。"
    )
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField(help_text="Data rows read (empty rows skipped). 读取的行数。")
    created = serializers.IntegerField(help_text="Records created. 新建数。")
    updated = serializers.IntegerField(help_text="Records changed (offers only). 更新数。")
    unchanged = serializers.IntegerField(help_text="Rows equal to a record. 无变化数。")


class RecordExportQuerySerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(
        choices=["csv", "xlsx", "jsonl"], default="csv", help_text="导出格式。"
    )


def import_schema(*, summary: str, description: str) -> Any:
    return extend_schema(
        summary=summary,
        description=description
        + (
            " Upload the file as multipart field `file`. All or nothing: when any row is "
            "invalid (a cell, or a rule of DOMAIN.md 7-9 the service applies) nothing is "
            "written and the 400 lists every error with its `row` (the line in the file; "
            "the header is row 1), `column` and message. `dry_run` checks and counts without "
            "writing. At most IMPORT_MAX_ROWS rows per file. 全部成功才写入，逐行报告错误。"
        ),
        request={"multipart/form-data": RecordImportSerializer},
        responses={200: RecordImportReportSerializer, 201: RecordImportReportSerializer},
        examples=[examples.RECORD_IMPORT_REPORT, examples.RECORD_IMPORT_ROW_ERRORS],
    )


def export_schema(*, summary: str, description: str) -> Any:
    return extend_schema(
        summary=summary,
        description=description
        + (
            " The records the list selects with the same parameters, in its order, in the "
            "import columns: an exported file imports again unchanged. CSV is UTF-8 with a "
            "BOM; at most EXPORT_MAX_ROWS records, else 400. 按列表参数导出，可直接再导入。"
        ),
        parameters=[
            OpenApiParameter(
                "file_format",
                str,
                enum=["csv", "xlsx", "jsonl"],
                default="csv",
                description="csv, xlsx or jsonl. 导出格式。",
            )
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,  # text: clients read it as a string
            (200, CONTENT_TYPES[FileFormat.XLSX]): OpenApiTypes.BINARY,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
        },
    )


def read_upload(
    request: Request, form: type[serializers.Serializer]
) -> tuple[dict[str, Any], Any, Any, FileFormat]:
    """An import request's validated ``form``, the holder it imports for, the uploaded file
    and its format (each problem a 400 naming its field)."""
    serializer = form(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    owner = choose_holder(request.user, data.get("holder"), optional=is_operator(request.user))
    upload = data["file"]
    try:
        file_format = imports.format_for(upload.name, data.get("file_format"))
    except imports.ImportFileError as exc:
        raise ValidationError({"file": ValidationError(exc.message, code=exc.code)}) from exc
    return data, owner, upload, file_format


def import_report_response(
    report: imports.ImportReport,
    summary_serializer: type[serializers.Serializer] = RecordImportReportSerializer,
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
    """Adds ``import/`` and ``export/`` to a viewset of ``bulk_kind`` records."""

    #: The export takes the list's filters (and the schema declares them).
    filtered_actions: frozenset[str] = frozenset({"export"})

    bulk_kind: Kind

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[parsers.MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def import_file(self, request: Request) -> Response:
        data, owner, upload, file_format = read_upload(request, RecordImportSerializer)
        report = record_imports.import_records(
            self.bulk_kind,
            actor=request.user,
            stream=upload,
            file_format=file_format,
            owner=owner,
            dry_run=data["dry_run"],
            max_rows=settings.IMPORT_MAX_ROWS,
        )
        return import_report_response(report)

    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        permission_classes=[permissions.AllowAny],
    )
    def export(self, request: Request) -> HttpResponseBase:
        params = RecordExportQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        view: Any = self
        ordering = (
            view.get_keyset_ordering()
            if hasattr(view, "get_keyset_ordering")
            else view.keyset_ordering
        )
        queryset = view.filter_queryset(view.get_queryset()).order_by(*ordering)
        limit = settings.EXPORT_MAX_ROWS
        if queryset[: limit + 1].count() > limit:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: ValidationError(
                        _("At most %(limit)d records per export; narrow the search.")
                        % {"limit": limit},
                        code="too_many_rows",
                    )
                }
            )
        kind = self.bulk_kind
        private_for = None if is_operator(request.user) else member_holder_ids(request.user)
        rows = record_imports.export_rows(kind, queryset, private_for=private_for)
        file_format = FileFormat(params.validated_data["file_format"])
        response: HttpResponseBase
        if file_format == FileFormat.XLSX:
            response = HttpResponse(
                imports.xlsx_bytes(rows, kind.columns, kind.name),
                content_type=CONTENT_TYPES[file_format],
            )
        elif file_format == FileFormat.JSONL:
            response = StreamingHttpResponse(
                record_imports.jsonl_lines(rows, kind.columns),
                content_type=CONTENT_TYPES[file_format],
            )
        else:
            response = StreamingHttpResponse(
                imports.csv_lines(rows, kind.columns), content_type=CONTENT_TYPES[file_format]
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = (
            f'attachment; filename="{kind.name}-{stamp}.{file_format.value}"'
        )
        return response
