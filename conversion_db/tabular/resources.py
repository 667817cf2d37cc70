"""The admin's Import and Export (django-import-export) over an import kind.

``KindResource`` hands django-import-export's screens to the kind: the file the admin
read is imported by ``ImportKind.import_file`` (its dry-run preview is the kind's dry
run, its confirmation the real import), and exports write the kind's columns. The admin
is for operators: every column is exported, and rows name their owner.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources
from import_export.results import Result, RowResult
from tablib import Dataset

from conversion_db.tabular.files import FileFormat
from conversion_db.tabular.kinds import ImportKind
from conversion_db.tabular.report import ImportReport


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
            dataset.append(row)
        return dataset

    def import_data(self, dataset: Dataset, dry_run: bool = False, **kwargs: Any) -> Result:
        report = self.kind.import_file(
            actor=kwargs.get("user"),
            stream=io.BytesIO(dataset.export("csv").encode("utf-8")),
            file_format=FileFormat.CSV,
            dry_run=dry_run,
            source="import:admin",
        )
        return import_result(dataset, report)


def import_result(dataset: Dataset, report: ImportReport) -> Result:
    """django-import-export's result screen for one of our import reports."""
    result = Result()
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
        values = dict(zip(result.diff_headers, dataset[row - 2], strict=False)) if row >= 2 else {}
        result.append_invalid_row(row, values, ValidationError(errors))
    return result
