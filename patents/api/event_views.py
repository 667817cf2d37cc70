"""/api/v1/legal-events/: the patents' legal-status events (public register data), and
their import and export; a patent's own events are ``/api/v1/patents/{id}/events/``
(``patents.api.views``). Imports go through ``patents.imports.events``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from patents.api import examples
from patents.api.bulk_views import BulkFileMixin, export_schema, import_schema
from patents.api.event_serializers import (
    LegalEventImportReportSerializer,
    LegalEventImportSerializer,
    LegalEventSerializer,
)
from patents.imports.events import LegalEventImport
from patents.models import LegalStatusEvent
from patents.permissions import ReadAnyoneWriteHolderMembers, is_operator
from patents.register.filtersets import LegalEventFilterSet
from patents.register.selectors import legal_events


@extend_schema_view(
    list=extend_schema(
        summary="Legal-status events / 法律状态事件",
        description=(
            "The register entries imported for the patents (grant, lapse, transfer, licence "
            "recordation, pledge registration ...), newest first: the event in the source's "
            "words and as a code of ours, its details and what applying it did (effect, and the "
            "licence record or pledge it wrote). Filter by patent and event type. Amounts and "
            "debt periods read from pledge files: operators only. 法律状态事件（最新在前），"
            "含原文、映射类型、详情与处理结果。"
        ),
        tags=["legal events"],
        examples=[examples.LEGAL_EVENT],
    ),
    import_file=import_schema(
        summary="Import legal-status events / 导入法律状态事件",
        description=(
            "One event per row on an existing patent: its number, date, the event in the "
            "register's or a platform's words (专利权的终止, 专利权的转移, 专利实施许可合同备案的生效, "
            "专利权质押合同登记的注销 ...) and its details, in columns or in the details text as the "
            "register labels them (变更后权利人：…, 受让人：…, 质权人：…). Each event is applied "
            "through the services, in file order: a status event sets the legal status (the "
            "words kept in legal_status_source), a transfer records an assignment and changes "
            "the holders, a licence recordation records a licence, a pledge registration a "
            "pledge, a cancellation ends them; an event that breaks a rule is a row error. An "
            "unknown patent or event word, or a date before the filing date, is a row error. "
            "An event stored already (patent, date, type, number) is unchanged: importing a "
            "file again writes nothing. A holder's member may only name its holder's patents. "
            "`event_types` counts the rows by type. 逐行导入法律状态事件，经各业务规则处理。"
        ),
        form=LegalEventImportSerializer,
        report=LegalEventImportReportSerializer,
        examples=[examples.LEGAL_EVENT_IMPORT_REPORT, examples.LEGAL_EVENT_IMPORT_ROW_ERRORS],
        tags=["legal events"],
    ),
    export=export_schema(
        summary="Export legal-status events / 导出法律状态事件",
        description=(
            "The events the list selects, in the import columns (event_type written, not "
            "read). 按列表参数导出法律状态事件。"
        ),
        tags=["legal events"],
    ),
)
class LegalEventViewSet(BulkFileMixin, viewsets.GenericViewSet):
    permission_classes = [ReadAnyoneWriteHolderMembers]
    keyset_ordering = ["-event_date", "-id"]
    filterset_class = LegalEventFilterSet
    serializer_class = LegalEventSerializer
    bulk_kind = LegalEventImport
    import_form = LegalEventImportSerializer
    import_report = LegalEventImportReportSerializer

    def get_queryset(self) -> QuerySet[LegalStatusEvent]:
        return legal_events()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "operator": is_operator(self.request.user)}

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
