"""Shapes of ``/api/v1/auth/…``, ``/api/v1/holders/…``, ``/api/v1/holder-requests/…`` and
``/api/v1/invitations/…``: input serializers validate the body (400 naming each field);
output serializers read records the selectors shaped."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import ApiToken, EnterpriseInvitation, HolderRequest
from conversion_db.api.versioning import version_field
from patents.models import Holder, HolderMembership


# --- Sign-up, sign-in, passwords ----------------------------------------------------------
class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text="What happened, in the request's language. / 结果说明。"
    )


class SignupSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="Your e-mail address. / 电子邮箱。")
    password = serializers.CharField(
        max_length=128,
        style={"input_type": "password"},
        write_only=True,
        help_text="At least 8 characters, not too common, not all digits, not like your "
        "address. / 至少 8 位，不能过于常见、纯数字或与邮箱相似。",
    )


class SignupAnswerSerializer(serializers.Serializer):
    email = serializers.EmailField()
    detail = serializers.CharField()


class VerifyEmailSerializer(serializers.Serializer):
    key = serializers.CharField(
        max_length=200, help_text="The key in the mailed link. / 验证邮件中的密钥。"
    )


class VerifiedSerializer(serializers.Serializer):
    email = serializers.EmailField()
    verified = serializers.BooleanField()
    detail = serializers.CharField()


class ResendSerializer(serializers.Serializer):
    email = serializers.EmailField(
        max_length=254, help_text="The address you signed up with. / 注册邮箱。"
    )


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=254,
        help_text="Your username or e-mail address. / 用户名或电子邮箱。",
    )
    password = serializers.CharField(
        max_length=128, style={"input_type": "password"}, write_only=True, trim_whitespace=False
    )


class TokenRequestSerializer(CredentialsSerializer):
    name = serializers.CharField(
        max_length=100,
        required=False,
        help_text="A name to tell the token apart (default: “sign-in”). / 令牌名称。",
    )
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Days until it expires (default API_TOKEN_DAYS, 90; at most "
        "API_TOKEN_MAX_DAYS, 365). / 有效天数。",
    )


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="What the token is for. / 令牌用途。")
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Days until it expires (default API_TOKEN_DAYS, 90; at most "
        "API_TOKEN_MAX_DAYS, 365). / 有效天数。",
    )


class TokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(
        source="token_key",
        help_text="The key's first characters: tell tokens apart, revoke one. / 令牌前缀。",
    )
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(
        allow_null=True, help_text="When it stops working. / 到期时间。"
    )
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="Last request it signed (to 5 minutes). / 最近使用时间。"
    )

    class Meta:
        model = ApiToken
        fields = ["prefix", "name", "created", "expiry", "last_used_at"]


class NewTokenSerializer(TokenSerializer):
    token = serializers.SerializerMethodField(
        help_text="The key: send it as `Authorization: Token <key>`. Shown this once; only a "
        "hash is stored. / 令牌仅显示这一次，请妥善保存。"
    )

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]

    def get_token(self, token: ApiToken) -> str:
        return str(self.context["key"])


class PasswordResetLinkSerializer(serializers.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()
    detail = serializers.CharField()


# --- You ----------------------------------------------------------------------------------
class HolderMembershipSerializer(serializers.Serializer):
    holder = serializers.IntegerField(source="holder_id")
    name = serializers.CharField(source="holder.name")
    verified = serializers.BooleanField(source="holder.verified")
    role = serializers.ChoiceField(choices=HolderMembership.Role.choices)


class EnterpriseMembershipSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise_id")
    name = serializers.CharField(source="enterprise.name")
    role = serializers.ChoiceField(choices=HolderMembership.Role.choices)


class OwnRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HolderRequest.Kind.choices)
    holder = serializers.IntegerField(source="holder_id")
    holder_name = serializers.CharField(source="holder.name")
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class OwnInvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    role = serializers.CharField()
    expires_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    email = serializers.EmailField(source="user.email", allow_blank=True)
    email_verified = serializers.BooleanField()
    is_operator = serializers.BooleanField(source="user.is_staff")
    date_joined = serializers.DateTimeField(source="user.date_joined")
    holders = HolderMembershipSerializer(many=True, help_text="Holders you act for. / 所属权利人。")
    enterprises = EnterpriseMembershipSerializer(
        many=True, help_text="Enterprises you act for. / 所属企业。"
    )
    requests = OwnRequestSerializer(
        many=True, help_text="Your pending holder requests. / 待处理的申请。"
    )
    invitations = OwnInvitationSerializer(
        many=True, help_text="Invitations waiting for you to accept. / 待接受的邀请。"
    )
    requests_to_decide = serializers.IntegerField(
        help_text="Pending requests you may decide (GET /api/v1/holder-requests/?status=pending). "
        "/ 待您审批的申请数。"
    )


# --- Holders ------------------------------------------------------------------------------
class HolderSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True)

    class Meta:
        model = Holder
        fields = ["id", "name", "name_en", "kind", "region", "verified", "version"]


class HolderDetailSerializer(HolderSerializer):
    class Meta(HolderSerializer.Meta):
        fields = [*HolderSerializer.Meta.fields, "uscc", "created_at"]


class HolderRegisterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Name in Chinese. / 中文名称。")
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    kind = serializers.ChoiceField(
        choices=Holder.Kind.choices, help_text="Kind of holder. / 类型。"
    )
    uscc = serializers.CharField(
        max_length=40, help_text="Unified social credit code (GB 32100). / 统一社会信用代码。"
    )
    region = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="GB/T 2260 code. / 行政区划代码。",
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class MembershipRequestCreateSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Who you are and why you join (the admins read it). / 申请说明。",
    )


class HolderRequestSerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(source="holder.name")
    requested_by = serializers.CharField(source="user.username")
    requested_by_email = serializers.EmailField(source="user.email", allow_blank=True)

    class Meta:
        model = HolderRequest
        fields = [
            "id", "kind", "holder", "holder_name", "requested_by", "requested_by_email", "message",
            "status", "reason", "decided_at", "created_at", "version",
        ]  # fmt: skip


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why, for the person who asked. / 拒绝理由。"
    )
    version = version_field()


# --- Invitations --------------------------------------------------------------------------
class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="Your colleague's address. / 邮箱。")
    role = serializers.ChoiceField(
        choices=HolderMembership.Role.choices,
        default="member",
        help_text="member (default) or admin. / 角色。",
    )


class InvitationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name")

    class Meta:
        model = EnterpriseInvitation
        fields = [
            "id", "enterprise", "enterprise_name", "email", "role", "status", "expires_at",
            "accepted_at", "created_at", "version",
        ]  # fmt: skip


class MembershipSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise_id")
    role = serializers.CharField()
