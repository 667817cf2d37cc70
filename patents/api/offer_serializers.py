"""Serializers of /api/v1/offers/ (the rules are in patents.licensing.offers and patents.licensing.rules)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversion_db.api.fields import ChoiceField, ModelSerializer
from conversion_db.api.versioning import version_field
from patents.api.serializers import (
    HOLDERS_HELP,
    NUMBER_HELP,
    PatentHolderNameSerializer,
    patent_number,
)
from patents.models import LicensingOffer, OfferType, PricingMode

OFFER_FIELDS = [
    "id", "offer_type", "pricing_mode", "lump_sum_cny", "royalty_rate", "term_start", "term_end",
    "territory", "field_of_use", "sublicensing_allowed", "title", "title_en", "description",
    "description_en", "status", "published_at", "version",
]  # fmt: skip
PRIVATE_FIELDS = [
    "contact_name", "contact_email", "contact_phone", "pledgee_consent", "co_owners_consent",
    "evaluation_report", "submitted_at", "reviewed_at", "review_note",
]  # fmt: skip


class OfferHolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    verified = serializers.BooleanField()


class OfferPatentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application_number = serializers.CharField(allow_null=True)
    publication_number = serializers.CharField()
    patent_type = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    main_ipc = serializers.CharField()
    legal_status = serializers.CharField()
    expiry_date = serializers.DateField(allow_null=True)
    is_high_value = serializers.BooleanField()
    number = serializers.CharField(help_text=NUMBER_HELP)
    holders = PatentHolderNameSerializer(many=True, help_text=HOLDERS_HELP)


OFFER_PATENT_FIELDS = [
    name for name in OfferPatentSerializer._declared_fields if name not in ("number", "holders")
]


class OfferSerializer(ModelSerializer):
    holder = serializers.SerializerMethodField(help_text="The offering holder. 许可方。")
    patents = serializers.SerializerMethodField(
        help_text="The offered patents, in order. 许可专利。"
    )

    class Meta:
        model = LicensingOffer
        fields = [*OFFER_FIELDS, "holder", "patents"]

    @extend_schema_field(OfferHolderSerializer)
    def get_holder(self, offer: LicensingOffer) -> dict[str, Any]:
        holder = offer.holder
        return {
            "id": holder.id,
            "name": holder.name,
            "name_en": holder.name_en,
            "kind": holder.kind,
            "region": holder.region_id,
            "verified": holder.verified,
        }

    @extend_schema_field(OfferPatentSerializer(many=True))
    def get_patents(self, offer: LicensingOffer) -> list[dict[str, Any]]:
        return [
            {
                **{name: _plain(getattr(item.patent, name)) for name in OFFER_PATENT_FIELDS},
                "number": patent_number(item.patent),
                "holders": item.patent_holders,
            }
            for item in getattr(offer, "ordered_items", [])
        ]


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class OfferDetailSerializer(OfferSerializer):
    """An offer as its holder's members and operators see it (contact and review)."""

    class Meta(OfferSerializer.Meta):
        fields = [*OfferSerializer.Meta.fields, *PRIVATE_FIELDS]


class OfferWriteSerializer(serializers.Serializer):
    offer_type = ChoiceField(choices=OfferType.choices, required=False)
    pricing_mode = ChoiceField(choices=PricingMode.choices, required=False)
    lump_sum_cny = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Lump sum, or the entry fee, in CNY. 一次性费用或入门费（元）。",
    )  # fmt: skip
    royalty_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False,
        allow_null=True, help_text="Percent of net sales or profit. 提成比例（%）。",
    )  # fmt: skip
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)
    territory = serializers.CharField(required=False, allow_blank=True, max_length=200)
    field_of_use = serializers.CharField(required=False, allow_blank=True, max_length=300)
    sublicensing_allowed = serializers.BooleanField(required=False)
    title = serializers.CharField(required=False, max_length=300)
    title_en = serializers.CharField(required=False, allow_blank=True, max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    description_en = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    pledgee_consent = serializers.BooleanField(required=False)
    co_owners_consent = serializers.BooleanField(required=False)
    evaluation_report = serializers.BooleanField(required=False)
    patents = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        min_length=1,
        max_length=200,
        help_text="Ids of your holder's patents, in order. 本单位专利的 ID。",
    )
    holder = serializers.IntegerField(
        required=False, min_value=1, help_text="On create, if you act for several holders."
    )
    version = version_field()


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true publishes; false returns it as a draft.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required to reject. 驳回理由。",
    )
    version = version_field()


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    basis = serializers.CharField(help_text="The legal basis. 法律依据。")
    message = serializers.CharField()


class PatentEligibilitySerializer(serializers.Serializer):
    patent = serializers.IntegerField(help_text="The patent's id. 专利 ID。")
    number = serializers.CharField(help_text=NUMBER_HELP)
    title = serializers.CharField()
    holders = PatentHolderNameSerializer(many=True, help_text=HOLDERS_HELP)
    ok = serializers.BooleanField()
    errors = ProblemSerializer(many=True)  # type: ignore[assignment]
    warnings = ProblemSerializer(many=True)


class EligibilitySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    patents = PatentEligibilitySerializer(many=True)


class OfferFacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class OfferFacetsSerializer(serializers.Serializer):
    approximate = serializers.BooleanField(
        help_text=(
            "True when so many offers match that the counts come from a sample of them "
            "(scaled up); exact otherwise. 匹配过多时为抽样估算值。"
        )
    )
    offer_type = OfferFacetValueSerializer(many=True)
    pricing_mode = OfferFacetValueSerializer(many=True)
    holder_kind = OfferFacetValueSerializer(many=True)
    patent_type = OfferFacetValueSerializer(many=True)
    ipc_section = OfferFacetValueSerializer(many=True)
