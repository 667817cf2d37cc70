"""/api/v1/licences/ and /api/v1/pledges/: recorded licences, assignments and pledges.

The public sees what CNIPA itself publishes (recorded licences only: parties, patents,
dates, type, recordation or registration number); a licence's parties (the licensor's
members, the licensee's through the deal) and the pledgor's members and operators also see
amounts, credit codes and debt periods (``licensing.selectors.licence_records``). Holder
members and operators record new ones through ``patents.licensing.records``, which applies
docs/domain/licences-and-recordation.md and pledges.md.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.idempotency import idempotent
from conversion_db.api.versioning import VersionedViewSetMixin, etag, expected_version
from patents.api.bulk_views import BulkFileMixin, export_schema, import_schema
from patents.api.record_serializers import (
    LicenceCreatedSerializer,
    LicenceSerializer,
    LicenceTerminateSerializer,
    LicenceWriteSerializer,
    PledgeCancelSerializer,
    PledgeDetailSerializer,
    PledgeSerializer,
    PledgeWriteSerializer,
)
from patents.imports.registrations import LicenceImport, PledgeImport
from patents.licensing import records
from patents.licensing.filtersets import LicenceFilterSet, PledgeFilterSet
from patents.licensing.selectors import licence_records, pledge_records
from patents.models import LicenceRecord, Pledge
from patents.permissions import (
    ReadAnyoneWriteHolderMembers,
    choose_holder,
    is_operator,
    member_holder_ids,
)

RECORD_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Its id. 编号。")


class _RecordViewSet(VersionedViewSetMixin, BulkFileMixin, viewsets.GenericViewSet):
    """Shared reading and writing; ``party`` names the holder field (licensor, pledgor)."""

    permission_classes = [ReadAnyoneWriteHolderMembers]
    keyset_ordering = ["-id"]
    lookup_value_regex = "[0-9]+"
    party: str
    public_serializer: type[serializers.Serializer]
    private_serializer: type[serializers.Serializer]

    def _private(self, obj: Any) -> bool:
        user = self.request.user
        return is_operator(user) or getattr(obj, f"{self.party}_id") in member_holder_ids(user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.public_serializer(page, many=True).data)

    write_serializer: type[serializers.Serializer]

    def record(self, request: Request, holder: Any, values: dict[str, Any], patent_ids: Any) -> Any:
        """Write through ``patents.licensing.records``; the view's answer body."""
        raise NotImplementedError

    @idempotent
    def create(self, request: Request) -> Response:
        serializer = self.write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        holder = choose_holder(request.user, data.pop("holder", None))
        patent_ids = data.pop("patents")
        body = self.record(request, holder, data, patent_ids)
        return Response(body, status=status.HTTP_201_CREATED)

    def _own(self, pk: str) -> Any:
        """A record the user may close: the party's members' or any for operators."""
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None or not self._private(obj):
            raise Http404
        return obj

    def retrieve(self, request: Request, pk: str) -> Response:
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise Http404
        serializer = self.private_serializer if self._private(obj) else self.public_serializer
        return Response(serializer(obj).data, headers=etag(obj))


@extend_schema_view(
    list=extend_schema(
        summary="Recorded licences and assignments / 许可备案与转让",
        description=(
            "What CNIPA publishes: recorded licences and assignments (with a recordation "
            "number), their parties, patents, type, term and recordation. The parties (the "
            "licensor's members, the licensee's members through the deal) also see their own "
            "unrecorded records, and with the amount, the licensee's credit code and the "
            "source; operators see all. 公开范围与国家知识产权局公告一致：仅已备案的许可；"
            "当事双方另可见本方未备案记录及金额；运营人员可见全部。"
        ),
        tags=["licences"],
    ),
    retrieve=extend_schema(
        summary="One licence record / 许可备案详情",
        description=(
            "A recorded licence for everyone; an unrecorded one only for its parties and "
            "operators (404 otherwise). The parties (licensor's and licensee's members) and "
            "operators also see the amount, credit code and source. 许可备案详情；当事方"
            "可见金额。"
        ),
        tags=["licences"],
        parameters=[RECORD_ID],
        responses=LicenceSerializer,
    ),
    create=extend_schema(
        summary="Record a licence or assignment / 登记许可或转让",
        description=(
            "The licensor's members (or operators) record a licence or assignment. Refused "
            "(400) with every reason of docs/domain/licences-and-recordation.md §2 for "
            "each patent (patents[<id>]): terminated, fee unpaid, pledged without consent, "
            "term beyond the patent, conflicting licence, not the holder of record. A "
            "recordation more than 3 months after the contract is accepted with a warning. "
            "An assignment makes the assignee the holder of record on "
            "its recordation date. 登记许可/转让，逐件专利说明全部拒绝理由。"
        ),
        tags=["licences"],
        request=LicenceWriteSerializer,
        responses={201: LicenceCreatedSerializer},
    ),
    import_file=import_schema(
        summary="Import licence records from a file / 批量导入许可备案",
        description=(
            "Records each row through the same service as POST, so every rule of "
            "docs/domain/licences-and-recordation.md applies (conflicting exclusive or "
            "sole licences, also between rows of the file). A row matching a record "
            "(`licence_id`, else `recordation_number`) is unchanged when equal and an "
            "error when it differs: recorded licences are not changed by import. A "
            "holder's member imports as licensor; operators name it per row. "
            "批量导入许可备案。"
        ),
    ),
    export=export_schema(
        background=True,
        summary="Export licence records / 导出许可备案",
        description=(
            "The records with the list's filters; amounts, credit codes and sources only for "
            "your own holder's records (operators: all). 导出许可备案。"
        ),
    ),
)
class LicenceViewSet(_RecordViewSet):
    @extend_schema(
        summary="Record that a licence ended / 登记许可终止",
        description=(
            "The licensor's members (or operators) record an early end (termination, "
            "cancelled recordation): from that date it no longer blocks other licences or an "
            "open licence. Assignments are not terminated. 登记许可提前终止。"
        ),
        tags=["licences"],
        request=LicenceTerminateSerializer,
        responses={200: LicenceSerializer},
        parameters=[RECORD_ID],
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str) -> Response:
        record = self._own(pk)
        serializer = LicenceTerminateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = records.licence_terminate(
            actor=request.user,
            record=record,
            on=serializer.validated_data["terminated_at"],
            expected_version=expected_version(request),
        )
        record = self.get_queryset().get(pk=record.pk)
        return Response(LicenceSerializer(record).data, headers=etag(record))

    party = "licensor"
    bulk_kind = LicenceImport

    def get_queryset(self) -> QuerySet[LicenceRecord]:
        return licence_records(self.request.user)

    # One shape: the selector's ``party`` flag decides the private fields per record.
    public_serializer = LicenceSerializer
    private_serializer = LicenceSerializer
    write_serializer = LicenceWriteSerializer
    filterset_class = LicenceFilterSet

    def get_serializer_class(self) -> Any:
        return LicenceSerializer

    def record(self, request: Request, holder: Any, values: dict[str, Any], patent_ids: Any) -> Any:
        created, warnings = records.licence_record_create(
            actor=request.user, licensor=holder, values=values, patent_ids=patent_ids
        )
        created = self.get_queryset().get(pk=created.pk)
        return LicenceCreatedSerializer(created, context={"warnings": warnings}).data


@extend_schema_view(
    list=extend_schema(
        summary="Registered pledges / 专利权质押登记",
        description=(
            "What CNIPA publishes: pledgor, pledgee, patents, registration number and date, status. "
            "Amounts and debt periods only for the pledgor's members and operators. 质押登记（公开信息）。"
        ),
        tags=["pledges"],
    ),
    retrieve=extend_schema(
        summary="One pledge / 质押详情",
        description="The pledgor's members and operators also see the amount and debt period.",
        tags=["pledges"],
        parameters=[RECORD_ID],
        responses=PledgeDetailSerializer,
    ),
    create=extend_schema(
        summary="Register a pledge / 登记质押",
        description=(
            "The pledgor's members (or operators) register a pledge. Refused (400) with "
            "every reason of docs/domain/pledges.md §2 per patent: not the holder of "
            "record, already pledged, fee unpaid, debt period beyond the patent's term, "
            "not granted. 登记质押。"
        ),
        tags=["pledges"],
        request=PledgeWriteSerializer,
        responses={201: PledgeDetailSerializer},
    ),
    import_file=import_schema(
        summary="Import pledges from a file / 批量导入质押登记",
        description=(
            "Registers each row through the same service as POST, so every rule of "
            "docs/domain/pledges.md applies (one active pledge per patent, also between "
            "rows of the file; pledgor of record; debt period). A row matching a pledge "
            "(`pledge_id`, else `registration_number`) is unchanged when equal and an "
            "error when it differs. A "
            "holder's member imports as pledgor; operators name it per row. 批量导入质押登记。"
        ),
    ),
    export=export_schema(
        background=True,
        summary="Export pledges / 导出质押登记",
        description=(
            "The pledges with the list's filters; amounts and debt periods only for your own "
            "holder's pledges (operators: all). 导出质押登记。"
        ),
    ),
)
class PledgeViewSet(_RecordViewSet):
    @extend_schema(
        summary="Record a pledge's cancellation / 登记质押注销",
        description=(
            "The pledgor's members (or operators) record that the registration was cancelled "
            "(e.g. the debt was repaid): the patents are no longer pledged. 登记质押注销，"
            "专利不再处于质押状态。"
        ),
        tags=["pledges"],
        request=PledgeCancelSerializer,
        responses={200: PledgeDetailSerializer},
        parameters=[RECORD_ID],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        pledge = self._own(pk)
        serializer = PledgeCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pledge = records.pledge_cancel(
            actor=request.user,
            pledge=pledge,
            on=serializer.validated_data["cancellation_date"],
            expected_version=expected_version(request),
        )
        pledge = self.get_queryset().get(pk=pledge.pk)
        return Response(PledgeDetailSerializer(pledge).data, headers=etag(pledge))

    party = "pledgor"
    bulk_kind = PledgeImport

    def get_queryset(self) -> QuerySet[Pledge]:
        return pledge_records()

    public_serializer = PledgeSerializer
    private_serializer = PledgeDetailSerializer
    write_serializer = PledgeWriteSerializer
    filterset_class = PledgeFilterSet

    def get_serializer_class(self) -> Any:
        return PledgeSerializer

    def record(self, request: Request, holder: Any, values: dict[str, Any], patent_ids: Any) -> Any:
        pledge = records.pledge_create(
            actor=request.user, pledgor=holder, values=values, patent_ids=patent_ids
        )
        return PledgeDetailSerializer(self.get_queryset().get(pk=pledge.pk)).data
