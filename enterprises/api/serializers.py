"""Shapes of the demand side's API: enterprises, demands, matches, inquiries, deals."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversion_db.api.fields import ChoiceField, ModelSerializer, money, money_field
from conversion_db.api.versioning import version_field
from enterprises.api.matching_serializers import ExplainedMatchSerializer
from enterprises.models import (
    Deal,
    DeclineReason,
    DemandStatus,
    Designation,
    Enterprise,
    Inquiry,
    Match,
    MatchState,
    TechnologyDemand,
)
from enterprises.models.demands import DismissalReason
from patents.api.serializers import (
    HOLDERS_HELP,
    NUMBER_HELP,
    PatentHolderNameSerializer,
    current_holder_names,
    patent_number,
)
from patents.models import LicenceKind, OfferType


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.id, "name": obj.name} if obj is not None else None


# --- Enterprises ------------------------------------------------------------------------
class DesignationSerializer(ModelSerializer):
    class Meta:
        model = Designation
        fields = ["kind", "authority", "year", "valid_until", "registration_number", "source_url"]


class SizeStandardRefSerializer(serializers.Serializer):
    industry_group = serializers.CharField(help_text="The standard's industry group. 行业。")
    valid_from = serializers.DateField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named source


class EnterpriseSerializer(ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True, help_text="所在地区代码。")
    size_standard = serializers.SerializerMethodField(
        help_text="The size standard row that produced size_class. 适用的划型标准。"
    )
    holder = serializers.IntegerField(
        source="holder_id",
        allow_null=True,
        help_text="The patent holder that is the same legal entity (same credit code). 对应专利权人。",
    )
    designations = DesignationSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "name_en", "uscc", "region", "address", "industry_code", "employees",
            "revenue_cny", "assets_cny", "size_class", "size_standard", "size_reason",
            "size_reason_zh", "holder", "designations", "contact_name", "contact_email",
            "contact_phone", "verified", "version", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(SizeStandardRefSerializer(allow_null=True))
    def get_size_standard(self, obj: Enterprise) -> dict[str, Any] | None:
        standard = obj.size_standard
        if standard is None:
            return None
        return {
            "industry_group": standard.industry_group,
            "valid_from": standard.valid_from,
            "source": standard.source,
        }


class EnterpriseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    uscc = serializers.CharField(
        max_length=30, help_text="Unified social credit code, 18 characters. 统一社会信用代码。"
    )
    region = serializers.CharField(
        max_length=12, required=False, allow_blank=True, allow_null=True,
        help_text="Administrative division code, e.g. 310115. 行政区划代码。",
    )  # fmt: skip
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    industry_code = serializers.CharField(
        max_length=10, required=False, allow_blank=True,
        help_text="GB/T 4754-2017, e.g. C3841 or I65. 国民经济行业代码。",
    )  # fmt: skip
    employees = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    revenue_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Operating revenue of the last year, CNY. 上年营业收入（元）。",
    )  # fmt: skip
    assets_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Total assets, CNY. 资产总额（元）。",
    )  # fmt: skip
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    designations = DesignationSerializer(
        many=True,
        required=False,
        help_text="Replaces the designations (high-tech, tech-based SME, 专精特新 tiers), each "
        "with its year and validity; verified by operators. 资质认定（整体替换）。",
    )
    version = version_field()


# --- Demands ----------------------------------------------------------------------------
class SuggestedIpcSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="An IPC subclass, e.g. H01M. IPC 小类。")
    title = serializers.CharField(help_text="The scheme's Chinese title. 中文类名。")
    title_en = serializers.CharField(help_text="The scheme's English title. 英文类名。")
    score = serializers.FloatField(help_text="Suggestion score, 0..1. 建议得分。")


class DemandSerializer(ModelSerializer):
    enterprise = serializers.SerializerMethodField(help_text="The enterprise. 需求企业。")
    suggested_ipc = SuggestedIpcSerializer(
        many=True,
        read_only=True,
        help_text=(
            "When the demand gives no IPC codes: the subclasses matching suggested for its "
            "text (best first, at most three) and used as a weaker IPC signal; accept one "
            'by sending it in ipc_codes. E.g. [{"code": "H01M", "title": "用于直接转变化学能'
            '为电能的方法或装置，例如电池组", "title_en": "Processes or means, e.g. batteries, '
            'for the direct conversion of chemical energy into electrical energy", "score": '
            "0.62}]. Empty when it gives IPC codes or has not been matched yet. "
            "未填写 IPC 分类时系统建议的小类（最多三个），可采纳后填入 ipc_codes。"
        ),
    )

    class Meta:
        model = TechnologyDemand
        fields = [
            "id", "enterprise", "title", "title_en", "description", "description_en", "keywords",
            "ipc_codes", "wanted_offer_types", "budget_min_cny", "budget_max_cny",
            "preferred_regions", "suggested_ipc", "deadline", "status", "opened_at",
            "closed_at", "matched_at", "version", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(RefSerializer)
    def get_enterprise(self, obj: TechnologyDemand) -> dict[str, Any] | None:
        return _ref(obj.enterprise)

    def to_representation(self, instance: TechnologyDemand) -> dict[str, Any]:
        """A live demand past its deadline reads as expired before the daily command runs."""
        data = super().to_representation(instance)
        if instance.is_past_deadline(timezone.localdate()):
            data["status"] = DemandStatus.EXPIRED
        return data


class DemandWriteSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        min_value=1, required=False,
        help_text="On create, if you act for several enterprises. 代表多家企业时指明。",
    )  # fmt: skip
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=20, required=False
    )
    ipc_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=20, required=False,
        help_text="Any level, e.g. H01M or H01M 10/0525 (see /api/v1/ipc/suggest/). IPC 分类号。",
    )  # fmt: skip
    wanted_offer_types = serializers.ListField(
        child=ChoiceField(choices=OfferType.choices), max_length=6, required=False
    )
    budget_min_cny = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    budget_max_cny = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    preferred_regions = serializers.ListField(
        child=serializers.CharField(max_length=6), max_length=20, required=False,
        help_text="Administrative division codes; a province covers its cities. 优先地区代码。",
    )  # fmt: skip
    deadline = serializers.DateField(required=False, allow_null=True)
    open = serializers.BooleanField(
        required=False, default=False,
        help_text="On create: publish and match at once. 创建时立即发布并匹配。",
    )  # fmt: skip
    version = version_field()


# --- Matches ----------------------------------------------------------------------------
class MatchPatentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text=NUMBER_HELP)
    holders = PatentHolderNameSerializer(many=True, help_text=HOLDERS_HELP)
    application_number = serializers.CharField(allow_null=True)
    publication_number = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    title_en = serializers.CharField()
    main_ipc = serializers.CharField()
    legal_status = serializers.CharField()
    expiry_date = serializers.DateField(allow_null=True)


class MatchOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    offer_type = serializers.CharField()
    pricing_mode = serializers.CharField()
    lump_sum_cny = money_field(allow_null=True)
    royalty_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    status = serializers.CharField()


class MatchSerializer(ModelSerializer):
    patent = serializers.SerializerMethodField()
    offer = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField(
        help_text="Each component's weight, value and reason. 各项得分、权重与理由。"
    )

    class Meta:
        model = Match
        fields = [
            "id", "demand", "patent", "offer", "score", "explanation", "state",
            "dismissal_reason", "version", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(MatchPatentSerializer)
    def get_patent(self, obj: Match) -> dict[str, Any]:
        p = obj.patent
        return {
            "id": p.id,
            "number": patent_number(p),
            "holders": current_holder_names(p),
            "application_number": p.application_number,
            "publication_number": p.publication_number,
            "title": p.title,
            "title_en": p.title_en,
            "main_ipc": p.main_ipc,
            "legal_status": p.legal_status,
            "expiry_date": p.expiry_date,
        }

    @extend_schema_field(MatchOfferSerializer(allow_null=True))
    def get_offer(self, obj: Match) -> dict[str, Any] | None:
        o = obj.offer
        if o is None:
            return None
        return {
            "id": o.id,
            "offer_type": o.offer_type,
            "pricing_mode": o.pricing_mode,
            "lump_sum_cny": money(o.lump_sum_cny),
            "royalty_rate": money(o.royalty_rate),  # a percentage, written like an amount
            "status": o.status,
        }

    @extend_schema_field(ExplainedMatchSerializer)
    def get_explanation(self, obj: Match) -> dict[str, Any]:
        return obj.explanation


class MatchStateSerializer(serializers.Serializer):
    state = ChoiceField(choices=MatchState.choices)
    dismissal_reason = ChoiceField(
        choices=DismissalReason.choices, required=False, allow_blank=True,
        help_text="Required when dismissing. 排除时必填。",
    )  # fmt: skip
    version = version_field()


# --- Inquiries --------------------------------------------------------------------------
class InquiryPatentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    publication_number = serializers.CharField(allow_null=True)
    title = serializers.CharField()


class InquirySerializer(ModelSerializer):
    enterprise = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()
    patent = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id", "enterprise", "holder", "offer", "patent", "match", "message", "status", "reply",
            "decline_reason", "created_at", "responded_at", "response_seconds", "version",
        ]  # fmt: skip

    @extend_schema_field(RefSerializer)
    def get_enterprise(self, obj: Inquiry) -> dict[str, Any] | None:
        return _ref(obj.enterprise)

    @extend_schema_field(RefSerializer)
    def get_holder(self, obj: Inquiry) -> dict[str, Any] | None:
        return _ref(obj.holder)

    @extend_schema_field(InquiryPatentSerializer)
    def get_patent(self, obj: Inquiry) -> dict[str, Any]:
        p = obj.patent
        return {"id": p.id, "publication_number": p.publication_number, "title": p.title}


class InquiryWriteSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        min_value=1, required=False, help_text="If you act for several enterprises. 指明企业。"
    )
    offer = serializers.IntegerField(min_value=1, required=False, help_text="A published offer.")
    patent = serializers.IntegerField(min_value=1, required=False, help_text="A patent.")
    match = serializers.IntegerField(
        min_value=1, required=False, help_text="One of your demand's matches. 需求匹配。"
    )
    message = serializers.CharField(max_length=5000)


class InquiryReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)
    version = version_field()


class InquiryDeclineSerializer(serializers.Serializer):
    reason = ChoiceField(choices=DeclineReason.choices)
    reply = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    version = version_field()


# --- Deals ------------------------------------------------------------------------------
class DealLicenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    patents = serializers.ListField(child=serializers.IntegerField())
    term_start = serializers.DateField(allow_null=True)
    term_end = serializers.DateField(allow_null=True)
    contract_date = serializers.DateField(allow_null=True)
    recordation_number = serializers.CharField()
    recordation_date = serializers.DateField(allow_null=True)
    under_open_licence = serializers.BooleanField()
    amount_cny = money_field(allow_null=True, help_text='CNY, e.g. "300000.00". 金额（元）。')


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    basis = serializers.CharField()
    message = serializers.CharField()


class DealSerializer(ModelSerializer):
    enterprise = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()
    licence = serializers.SerializerMethodField(help_text="The recorded licence. 许可备案。")
    recorded = serializers.SerializerMethodField(help_text="Recorded with CNIPA. 是否已备案。")
    warnings = serializers.SerializerMethodField(
        help_text="On create: accepted, but note these. 提示。"
    )

    class Meta:
        model = Deal
        fields = [
            "id", "enterprise", "holder", "origin", "inquiry", "match", "offer", "licence",
            "notice_date", "payment_evidence", "recordation_due", "recorded", "warnings",
            "version", "created_at",
        ]  # fmt: skip

    @extend_schema_field(RefSerializer)
    def get_enterprise(self, obj: Deal) -> dict[str, Any] | None:
        return _ref(obj.enterprise)

    @extend_schema_field(RefSerializer)
    def get_holder(self, obj: Deal) -> dict[str, Any] | None:
        return _ref(obj.holder)

    @extend_schema_field(DealLicenceSerializer)
    def get_licence(self, obj: Deal) -> dict[str, Any]:
        r = obj.licence_record
        return {
            "id": r.id,
            "kind": r.kind,
            "patents": [p.id for p in r.patents.all()],
            "term_start": r.term_start,
            "term_end": r.term_end,
            "contract_date": r.contract_date,
            "recordation_number": r.recordation_number,
            "recordation_date": r.recordation_date,
            "under_open_licence": r.under_open_licence,
            "amount_cny": money(r.amount_cny),
        }

    def get_recorded(self, obj: Deal) -> bool:
        return obj.licence_record.is_recorded

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, obj: Deal) -> list[dict[str, str]]:
        return [
            {"code": w.code, "basis": w.basis, "message": str(w.message)}
            for w in self.context.get("warnings", [])
        ]


class DealWriteSerializer(serializers.Serializer):
    inquiry = serializers.IntegerField(
        min_value=1, help_text="The inquiry the deal arose from. 来源咨询。"
    )
    kind = ChoiceField(choices=LicenceKind.choices)
    patents = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=200, required=False,
        help_text="Default: the inquiry's patent. 默认为咨询的专利。",
    )  # fmt: skip
    contract_date = serializers.DateField()
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)
    amount_cny = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    recordation_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    recordation_date = serializers.DateField(required=False, allow_null=True)


class DealRecordationSerializer(serializers.Serializer):
    recordation_number = serializers.CharField(
        max_length=60,
        help_text="The number CNIPA gave the recordation (备案号), e.g. X2023310000123: 6-40 "
        "letters, digits or hyphens. 国家知识产权局给出的备案号。",
    )
    recordation_date = serializers.DateField(
        help_text="The recordation date: not before the contract, not in the future. 备案日期。"
    )
    version = version_field()


class OpenLicenceAcceptSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        min_value=1, required=False, help_text="If you act for several enterprises. 指明企业。"
    )
    offer = serializers.IntegerField(min_value=1, help_text="A published open licence. 开放许可。")
    notice_date = serializers.DateField(
        help_text="When you notified the patentee in writing. 书面通知日期。"
    )
    payment_evidence = serializers.CharField(
        max_length=200, help_text="The payment's reference. 付款凭证编号。"
    )
    patents = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=200, required=False,
        help_text="Default: every patent of the offer. 默认为全部专利。",
    )  # fmt: skip
    match = serializers.IntegerField(min_value=1, required=False)
