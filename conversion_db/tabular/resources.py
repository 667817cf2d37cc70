"""The admin's Import and Export (django-import-export) over an import kind.

``KindResource`` hands django-import-export's screens to the kind: the file the admin
read is imported by ``ImportKind.import_file`` (its dry-run preview is the kind's dry
run, its confirmation the real import), and exports write the kind's columns. The admin
is for operators: every column is exported, and rows name their owner.

The admin exports CSV and XLSX and imports those, XLS and JSON Lines: exported cells are
neutralised against formula injection (``formulas``) as the API's are, and imports read under
the web's limits (``FileLimits.for_uploads``), the workbook reading itself too
(``WorkbookFormat``: the zip's declared sizes checked before it is opened, every row counted;
``OldWorkbookFormat``: the size checked, the kit's XLS reader, every row counted;
``JsonLinesFormat``: the file handed to the kind unchanged). The header goes through the
kind's columns as in the API, Chinese export headers included. A collision with a
concurrent import is an error of the file. Admins of kinds use ``KindAdminMixin``.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.results import Result, RowResult
from tablib import Dataset

from conversion_db.services import Conflict
from conversion_db.tabular.files import XLS_ERROR, FileFormat, check_xls, xls_rows
from conversion_db.tabular.formulas import neutralise
from conversion_db.tabular.kinds import ImportKind
from conversion_db.tabular.limits import FileLimits, check_size, check_workbook, too_many_rows
from conversion_db.tabular.report import ImportFileError, ImportReport


class KindResource(resources.ModelResource):
    """A subclass sets ``kind`` and ``Meta.model``."""

    kind: ClassVar[type[ImportKind[Any]]]

    class Meta:
        fields: tuple[str, ...] = ()

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return list(self.kind.columns.names)

    def get_user_visible_fields(self) -> list[Any]:
        return []

    def export(self, queryset: Any = None, **kwargs: Any) -> Dataset:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        dataset = Dataset(headers=list(self.kind.columns.names))
        for row in self.kind.export_rows(queryset):
            dataset.append([neutralise(value) for value in row])
        return dataset

    def import_data(self, dataset: Dataset, dry_run: bool = False, **kwargs: Any) -> Result:
        # A JSON Lines file goes to the kind as it was sent (arrays, absent keys); a
        # spreadsheet's rows as CSV.
        raw = getattr(dataset, "jsonl", None)
        try:
            report = self.kind.import_file(
                actor=kwargs.get("user"),
                stream=io.BytesIO(raw if raw is not None else dataset.export("csv").encode()),
                file_format=FileFormat.JSONL if raw is not None else FileFormat.CSV,
                dry_run=dry_run,
                source="import:admin",
                limits=FileLimits.for_uploads(),
            )
        except Conflict as exc:
            report = ImportReport(batch=uuid.uuid4(), dry_run=dry_run)
            report.add_error(1, None, exc.code or "conflict", exc.message)
        return import_result(dataset, report, header_rows=0 if raw is not None else 1)


def import_result(dataset: Dataset, report: ImportReport, header_rows: int = 1) -> Result:
    """django-import-export's result screen for one of our import reports (kept whole as
    ``kind_report``: the screen shows its counts and every error by row and column)."""
    result = Result()
    result.kind_report = report
    result.diff_headers = list(dataset.headers or [])
    result.total_rows = report.rows
    result.totals[RowResult.IMPORT_TYPE_NEW] = report.created
    result.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
    result.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
    by_row: dict[int, dict[str, list[str]]] = {}
    for error in report.errors:
        by_row.setdefault(error.row or 1, {}).setdefault(
            error.column or NON_FIELD_ERRORS, []
        ).append(error.message)
    for row, errors in sorted(by_row.items()):
        index = row - 1 - header_rows
        values = (
            dict(zip(result.diff_headers, dataset[index], strict=False))
            if 0 <= index < len(dataset)
            else {}
        )
        result.append_invalid_row(row, values, ValidationError(errors))
    return result


class WorkbookFormat(base_formats.XLSX):
    """XLSX for the admin's Import, read under the web's limits (django-import-export's
    own reader opens any zip and keeps every row, empty ones included)."""

    def create_dataset(self, in_stream: bytes) -> Dataset:
        from openpyxl import load_workbook

        limits = FileLimits.for_uploads()
        stream = io.BytesIO(in_stream)
        check_size(stream, limits)
        check_workbook(stream, limits)
        workbook = load_workbook(stream, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            dataset = Dataset()
            dataset.headers = list(next(rows, ()))
            for count, row in enumerate(rows, start=1):
                if limits.max_rows is not None and count > limits.max_rows:
                    raise too_many_rows(limits.max_rows)
                dataset.append(list(row))
        finally:
            workbook.close()
        return dataset


class OldWorkbookFormat(base_formats.Format):
    """XLS (Excel 97–2003) for the admin's Import, read by the kit's reader under the web's
    limits. Import only: nothing here writes XLS (tablib's own XLS format would need xlwt,
    which the project does not install)."""

    def __init__(self, encoding: str | None = None) -> None:
        self.encoding = encoding  # (the admin passes it; a workbook has its own)

    def get_title(self) -> str:
        return "xls"

    def get_extension(self) -> str:
        return "xls"

    def get_content_type(self) -> str:
        return "application/vnd.ms-excel"

    def can_import(self) -> bool:
        return True

    def can_export(self) -> bool:
        return False

    def create_dataset(self, in_stream: bytes) -> Dataset:
        limits = FileLimits.for_uploads()
        stream = io.BytesIO(in_stream)
        check_size(stream, limits)
        check_xls(stream, limits)
        rows = xls_rows(stream)
        dataset = Dataset()
        dataset.headers = [cell if cell is not XLS_ERROR else "" for cell in next(rows)]
        for count, row in enumerate(rows, start=1):
            if limits.max_rows is not None and count > limits.max_rows:
                raise too_many_rows(limits.max_rows)
            dataset.append([None if cell is XLS_ERROR else cell for cell in row])
        return dataset


class JsonLinesFormat(base_formats.Format):
    """JSON Lines for the admin's Import, as the API and the command read them: the file is
    handed to the kind unchanged (``Dataset.jsonl``); the dataset only shows its values in
    the preview. Import only (exports are CSV or XLSX)."""

    def __init__(self, encoding: str | None = None) -> None:
        self.encoding = encoding  # always UTF-8, as the kind reads it

    def get_title(self) -> str:
        return "jsonl"

    def get_extension(self) -> str:
        return "jsonl"

    def get_content_type(self) -> str:
        return "application/jsonl"

    def is_binary(self) -> bool:
        return True

    def can_import(self) -> bool:
        return True

    def can_export(self) -> bool:
        return False

    def create_dataset(self, in_stream: bytes | str) -> Dataset:
        raw = in_stream.encode() if isinstance(in_stream, str) else bytes(in_stream)
        check_size(io.BytesIO(raw), FileLimits.for_uploads())
        records = []
        for line in raw.decode("utf-8-sig", errors="replace").splitlines():
            try:
                record = json.loads(line) if line.strip() else None
            except ValueError:
                record = None
            records.append(record if isinstance(record, dict) else {})
        headers = list(dict.fromkeys(key for record in records for key in record))
        dataset = Dataset(headers=headers)
        for record in records:
            dataset.append([_shown(record.get(key)) for key in headers])
        dataset.jsonl = raw
        return dataset


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class KindAdminMixin(ImportExportMixin):
    """Import and Export in the admin of a kind's records: CSV and XLSX, and (import only)
    XLS and JSON Lines, read safely, and a file that cannot be read is named on the form with the
    reason. The Import screen lists the kind's columns, the dry run's counts before
    "Confirm import" and each error with its row and column
    (``admin/tabular/import.html``)."""

    formats = [base_formats.CSV, WorkbookFormat]
    import_formats = [base_formats.CSV, WorkbookFormat, OldWorkbookFormat, JsonLinesFormat]
    export_formats = [base_formats.CSV, WorkbookFormat]
    import_template_name = "admin/tabular/import.html"

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_import_context_data(**kwargs)
        kind = self.get_import_resource_classes(None)[0].kind
        context["accepted_columns"] = [
            (column.name, column.doc) for column in kind.columns if column.imported
        ]
        return context

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e.message))
        else:
            super().add_data_read_fail_error_to_form(form, e)
