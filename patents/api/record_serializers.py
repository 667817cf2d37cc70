"""Serializers of /api/v1/licences/ and /api/v1/pledges/: what the public sees (what CNIPA
publishes), what the parties and operators see, and what they send (the rules are in
``patents.licensing.records``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversion_db.api.fields import ChoiceField, ModelSerializer, money_field
from conversion_db.api.versioning import version_field
from patents.api.offer_serializers import ProblemSerializer
from patents.models import LicenceKind, LicenceRecord, Pledge


class RecordPatentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application_number = serializers.CharField(allow_null=True)
    publication_number = serializers.CharField()
    title = serializers.CharField()
    main_ipc = serializers.CharField()


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _patents(obj: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "application_number": p.application_number,
            "publication_number": p.publication_number,
            "title": p.title,
            "main_ipc": p.main_ipc,
        }
        for p in obj.patents.all()
    ]


LICENCE_PRIVATE_FIELDS = ("licensee_uscc", "amount_cny", "source")


class LicenceSerializer(ModelSerializer):
    """A licence record as the reader may see it: what CNIPA publishes, and for the
    record's parties and operators also the amount, the licensee's credit code and the
    source. Which it is comes from the ``party`` flag the selector computes
    (``patents.licensing.selectors.licence_records``), never from a query per row."""

    licensor = serializers.SerializerMethodField(help_text="许可方。")
    patents = serializers.SerializerMethodField(help_text="许可的专利。")
    licensee_uscc = serializers.CharField(
        required=False,
        help_text="Only for the parties and operators. 被许可方信用代码（仅当事方可见）。",
    )
    amount_cny = money_field(
        required=False,
        allow_null=True,
        help_text='CNY, e.g. "300000.00"; only for the parties and operators. 金额（仅当事方可见）。',
    )
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, help_text="Only for the parties and operators. 来源（仅当事方可见）。"
    )

    class Meta:
        model = LicenceRecord
        fields = [
            "id", "licensor", "licensee_name", "kind", "patents", "term_start", "term_end",
            "contract_date", "recordation_number", "recordation_date", "under_open_licence",
            "version", *LICENCE_PRIVATE_FIELDS,
        ]  # fmt: skip

    @extend_schema_field(PartySerializer)
    def get_licensor(self, obj: LicenceRecord) -> dict[str, Any]:
        return {"id": obj.licensor_id, "name": obj.licensor.name}

    @extend_schema_field(RecordPatentSerializer(many=True))
    def get_patents(self, obj: LicenceRecord) -> list[dict[str, Any]]:
        return _patents(obj)

    def to_representation(self, instance: LicenceRecord) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not getattr(instance, "party", False):
            for name in LICENCE_PRIVATE_FIELDS:
                data.pop(name, None)
        return data


class LicenceWriteSerializer(serializers.Serializer):
    licensee_name = serializers.CharField(max_length=200)
    licensee_uscc = serializers.CharField(max_length=30, required=False, allow_blank=True)
    kind = ChoiceField(choices=LicenceKind.choices)
    patents = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200
    )
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)
    contract_date = serializers.DateField(required=False, allow_null=True)
    recordation_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    recordation_date = serializers.DateField(required=False, allow_null=True)
    under_open_licence = serializers.BooleanField(required=False)
    amount_cny = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    # DRF's metaclass moves declared fields off the class: no clash with Field.source.
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=200, required=False, allow_blank=True
    )
    holder = serializers.IntegerField(
        required=False, min_value=1, help_text="The licensor, if you act for several holders."
    )


class LicenceCreatedSerializer(LicenceSerializer):
    warnings = serializers.SerializerMethodField(help_text="Accepted, but note these. 提示。")

    class Meta(LicenceSerializer.Meta):
        fields = [*LicenceSerializer.Meta.fields, "warnings"]

    @extend_schema_field(ProblemSerializer(many=True))
    def get_warnings(self, obj: LicenceRecord) -> list[dict[str, str]]:
        return [
            {"code": w.code, "basis": w.basis, "message": str(w.message)}
            for w in self.context.get("warnings", [])
        ]


class PledgeSerializer(ModelSerializer):
    pledgor = serializers.SerializerMethodField(help_text="出质人。")
    patents = serializers.SerializerMethodField(help_text="出质的专利。")

    class Meta:
        model = Pledge
        fields = [
            "id", "pledgor", "pledgee_name", "patents", "registration_number",
            "registration_date", "status", "cancellation_date", "version",
        ]  # fmt: skip

    @extend_schema_field(PartySerializer)
    def get_pledgor(self, obj: Pledge) -> dict[str, Any]:
        return {"id": obj.pledgor_id, "name": obj.pledgor.name}

    @extend_schema_field(RecordPatentSerializer(many=True))
    def get_patents(self, obj: Pledge) -> list[dict[str, Any]]:
        return _patents(obj)


class PledgeDetailSerializer(PledgeSerializer):
    class Meta(PledgeSerializer.Meta):
        fields = [
            *PledgeSerializer.Meta.fields, "pledgee_uscc", "secured_amount_cny", "debt_start",
            "debt_end", "trademark_numbers", "consents_to_licensing",
        ]  # fmt: skip


class PledgeWriteSerializer(serializers.Serializer):
    pledgee_name = serializers.CharField(max_length=200)
    pledgee_uscc = serializers.CharField(max_length=30, required=False, allow_blank=True)
    patents = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200
    )
    trademark_numbers = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=200
    )
    secured_amount_cny = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    registration_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    registration_date = serializers.DateField()
    debt_start = serializers.DateField(required=False, allow_null=True)
    debt_end = serializers.DateField()
    consents_to_licensing = serializers.BooleanField(required=False)
    holder = serializers.IntegerField(
        required=False, min_value=1, help_text="The pledgor, if you act for several holders."
    )


class PledgeCancelSerializer(serializers.Serializer):
    cancellation_date = serializers.DateField(
        help_text="When the registration was cancelled. 注销日期。"
    )
    version = version_field()


class LicenceTerminateSerializer(serializers.Serializer):
    terminated_at = serializers.DateField(help_text="When the licence ended. 终止日期。")
    version = version_field()
