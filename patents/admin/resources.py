"""django-import-export's admin screens over ``patents.imports``: the resources of the
patent, offer, licence and pledge admins (the same columns and rules as the API and the
import commands)."""

import io
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources
from import_export.results import Result, RowResult
from tablib import Dataset

from patents.imports import patents as imports
from patents.imports import records as record_imports
from patents.models import LicenceRecord, LicensingOffer, Patent, Pledge


class PatentResource(resources.ModelResource):
    """django-import-export's admin screens over ``patents.imports.patents``: the same columns and
    rules as the API and ``manage.py import_patents`` (upsert, all or nothing, batch id)."""

    class Meta:
        model = Patent
        fields: tuple[str, ...] = ()

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return list(imports.COLUMNS)

    def get_user_visible_fields(self) -> list[Any]:
        return []

    def export(self, queryset: Any = None, **kwargs: Any) -> Dataset:
        dataset = Dataset(headers=list(imports.COLUMNS))
        for row in imports.export_rows(queryset if queryset is not None else Patent.objects.all()):
            dataset.append(row)
        return dataset

    def import_data(self, dataset: Dataset, dry_run: bool = False, **kwargs: Any) -> Result:
        stream = io.BytesIO(dataset.export("csv").encode("utf-8"))
        report = imports.import_patents(
            actor=kwargs.get("user"),
            stream=stream,
            file_format=imports.FileFormat.CSV,
            dry_run=dry_run,
            source="import:admin",
        )
        return _import_result(dataset, report)


def _import_result(dataset: Dataset, report: imports.ImportReport) -> Result:
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


class RecordResource(resources.ModelResource):
    """Admin import and export of offers, licence records or pledges over
    ``patents.imports.records``: the API's columns, services and rules (all or nothing,
    batch id in the history). The admin is for operators: every column is exported, and
    rows name their holder."""

    kind: record_imports.Kind

    class Meta:
        fields: tuple[str, ...] = ()

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return list(self.kind.columns)

    def get_user_visible_fields(self) -> list[Any]:
        return []

    def export(self, queryset: Any = None, **kwargs: Any) -> Dataset:
        dataset = Dataset(headers=list(self.kind.columns))
        records = queryset if queryset is not None else self.kind.model._default_manager.all()
        for row in record_imports.export_rows(self.kind, records, private_for=None):
            dataset.append(row)
        return dataset

    def import_data(self, dataset: Dataset, dry_run: bool = False, **kwargs: Any) -> Result:
        stream = io.BytesIO(dataset.export("csv").encode("utf-8"))
        report = record_imports.import_records(
            self.kind,
            actor=kwargs.get("user"),
            stream=stream,
            file_format=imports.FileFormat.CSV,
            dry_run=dry_run,
        )
        return _import_result(dataset, report)


class OfferResource(RecordResource):
    kind = record_imports.OFFERS

    class Meta(RecordResource.Meta):
        model = LicensingOffer


class LicenceResource(RecordResource):
    kind = record_imports.LICENCES

    class Meta(RecordResource.Meta):
        model = LicenceRecord


class PledgeResource(RecordResource):
    kind = record_imports.PLEDGES

    class Meta(RecordResource.Meta):
        model = Pledge
