"""The shared OpenAPI vocabulary: error responses, their examples, common parameters.

The schema is a contract that generated clients rely on
(``tests/conversion_db/api/test_schema_contract.py`` walks it), so what it declares is derived
from what the views really do:

- **Query parameters.** A list declares its FilterSet's filters and the cursor parameters;
  an action that takes the list's filters too (``facets``, ``export``) names itself in its
  viewset's ``filtered_actions`` and declares the same filters.
- **Security.** An operation that an anonymous caller may use carries the empty security
  requirement (``{}``) beside the token and session schemes: the generator asks the view's
  own permission classes, with an anonymous request, instead of guessing from their names.

``AutoSchema`` adds the error responses an operation can really give, so no viewset
repeats them: 400 when the operation takes input (query, path or body), 401/403 when it
needs a signed-in or entitled user (401 alone on an open one: a bad token is refused),
404 when it addresses one object, 429 everywhere (throttling), 412 and a required
``If-Match`` on every write to one record of a versioned viewset
(``conversion_db.api.versioning``), the optional ``Idempotency-Key`` header and its 422 on
every creating ``POST`` (``conversion_db.api.idempotency``). A view adds 409 by listing it
in ``extra_error_statuses``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_manager, get_view_model
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from conversion_db.api.idempotency import IDEMPOTENCY_KEY
from conversion_db.api.versioning import IF_MATCH, VersionedViewSetMixin


class ErrorEntrySerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="Query parameter or body field the error is about (dotted for nested fields); "
        "null when it is not about one field. / 出错的参数或字段。",
    )
    code = serializers.CharField(help_text="Stable machine-readable code. / 稳定的错误代码。")
    message = serializers.CharField(
        help_text="Human-readable message in the request's language. / 按请求语言给出的说明。"
    )


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="HTTP status code. / HTTP 状态码。")
    code = serializers.CharField(help_text="Overall error code. / 总体错误代码。")
    message = serializers.CharField(help_text="Summary in the request's language. / 错误摘要。")
    error_id = serializers.CharField(
        required=False,
        help_text="On a 500 only: quote it to the operators (the log has the details). / "
        "仅 500：请向运营人员提供此编号。",
    )
    # Only used to describe responses; the field name shadows Serializer.errors for mypy alone.
    errors = ErrorEntrySerializer(many=True, help_text="One entry per problem. / 每个问题一条。")  # type: ignore[assignment]

    class Meta:
        ref_name = "Error"


def _example(
    name: str, status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None
) -> OpenApiExample:
    return OpenApiExample(
        name,
        value={
            "status": status,
            "code": code,
            "message": message,
            "errors": errors or [{"field": None, "code": code, "message": message}],
        },
        response_only=True,
        status_codes=[str(status)],
    )


ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="Invalid input: each entry names the field. / 输入无效，逐条指明字段。",
        examples=[
            _example(
                "invalid_parameter",
                400,
                "invalid",
                "Some values are invalid; see errors for each field.",
                [
                    {
                        "field": "page_size",
                        "code": "invalid_page_size",
                        "message": "Page size must be a whole number from 1 to 100.",
                    }
                ],
            ),
            _example(
                "invalid_parameter_zh",
                400,
                "invalid",
                "部分取值无效，请查看各字段的错误说明。",
                [
                    {
                        "field": "page_size",
                        "code": "invalid_page_size",
                        "message": "每页条数必须是 1 到 100 之间的整数。",
                    }
                ],
            ),
        ],
    ),
    401: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Not signed in, or the token sent is invalid or revoked: an operation open to "
            "everyone refuses a bad token rather than ignoring it (send none instead). / "
            "未登录，或所发送的令牌无效或已撤销：公开操作也会拒绝错误的令牌（请不带令牌访问）。"
        ),
        examples=[
            _example(
                "not_authenticated",
                401,
                "not_authenticated",
                "Authentication credentials were not provided.",
            ),
            _example("invalid_token", 401, "authentication_failed", "Invalid token."),
        ],
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Signed in, but not allowed to do this. / 无权执行此操作。",
        examples=[
            _example(
                "permission_denied",
                403,
                "permission_denied",
                "You do not have permission to perform this action.",
            )
        ],
    ),
    404: OpenApiResponse(
        ErrorSerializer,
        description="No such object, or not visible to you. / 对象不存在或不可见。",
        examples=[_example("not_found", 404, "not_found", "Not found.")],
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description="Conflicts with the current state (e.g. other records refer to it). / 与当前状态冲突。",
        examples=[_example("conflict", 409, "conflict", "Other records refer to this one.")],
    ),
    413: OpenApiResponse(
        ErrorSerializer,
        description="The request or its file is larger than the limit the message names. / "
        "请求或文件超过大小上限。",
        examples=[
            _example(
                "too_large",
                413,
                "too_large",
                "The file is larger than 64 MB; split it into smaller files.",
            )
        ],
    ),
    412: OpenApiResponse(
        ErrorSerializer,
        description="The record changed since you read it (stale If-Match / version). / 记录已被他人修改。",
        examples=[
            _example(
                "stale_version",
                412,
                "precondition_failed",
                "This record was changed by someone else; reload it.",
            )
        ],
    ),
    422: OpenApiResponse(
        ErrorSerializer,
        description="The Idempotency-Key was used for a different request. / 幂等键已用于其他请求。",
        examples=[
            _example(
                "idempotency_key_reused",
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used for a different request; use a new key.",
            )
        ],
    ),
    503: OpenApiResponse(
        ErrorSerializer,
        description="The database is not answering; retry after Retry-After seconds. / "
        "数据库暂不可用，请稍后重试。",
        examples=[
            _example(
                "database_unavailable",
                503,
                "database_unavailable",
                "The database is not answering; try again in 5 seconds.",
            )
        ],
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests; wait for the number of seconds in Retry-After. / 请求过于频繁。",
        examples=[
            _example("throttled", 429, "throttled", "Too many requests. Try again in 12 seconds.")
        ],
    ),
}

RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying. / 需等待的秒数。",
        "schema": {"type": "integer"},
    }
}


def language_parameter() -> OpenApiParameter:
    return OpenApiParameter(
        "Accept-Language",
        str,
        OpenApiParameter.HEADER,
        description="`zh-hans` (default) or `en`: language of messages and labels. / 返回语言。",
        enum=["zh-hans", "en"],
    )


class ExampleFilterExtension(DjangoFilterExtension):
    """django-filter's parameters, each with its example from the FilterSet's ``examples``
    (``conversion_db.api.filters.FilterSet``)."""

    priority = 1  # before drf-spectacular's own extension for the same backend

    def get_schema_operation_parameters(
        self, auto_schema: Any, *args: Any, **kwargs: Any
    ) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        model = get_view_model(auto_schema.view)
        if model is None:
            return parameters
        filterset_class = self.target.get_filterset_class(
            auto_schema.view, get_manager(model).none()
        )
        examples = getattr(filterset_class, "examples", {})
        filters = getattr(filterset_class, "base_filters", {})
        for parameter in parameters:
            if isinstance(filters.get(parameter["name"]), django_filters.BooleanFilter):
                # A filter with a ``method`` loses its type (drf-spectacular reads it from
                # the method's annotation); a boolean filter takes true/false, whatever reads it.
                parameter["schema"] = {"type": "boolean"}
            if parameter["name"] in examples:
                parameter["example"] = examples[parameter["name"]]
            # A choice filter's label becomes the title of its items' schema, and generated
            # clients name the enum after it (``PatentsList法律状态``); the name is enough.
            parameter["schema"].pop("title", None)
            parameter["schema"].get("items", {}).pop("title", None)
        return parameters


def anonymous_request(method: str, path: str) -> Request:
    """A request from nobody: no credentials, no session (for asking permission classes)."""
    request = Request(APIRequestFactory().generic(method, path))
    request.user = AnonymousUser()
    return request


def allows_anonymous(view: Any, method: str, path: str) -> bool:
    """Whether the view's permission classes let an anonymous caller make this request
    (object-level checks aside: a record an anonymous caller may not see is a 404)."""
    request = anonymous_request(method, path)
    return all(permission.has_permission(request, view) for permission in view.get_permissions())


class AutoSchema(SpectacularAutoSchema):
    def get_filter_backends(self) -> list[Any]:
        """The list's filters, also on the actions that take them (``filtered_actions``)."""
        if getattr(self.view, "action", None) in getattr(self.view, "filtered_actions", ()):
            return list(getattr(self.view, "filter_backends", []))
        return list(super().get_filter_backends())

    def _get_parameters(self) -> list[dict[str, Any]]:
        """drf-spectacular's parameters, with the examples of the query serializers an
        operation declares (``StrictQuerySerializer.examples``), as its filters have theirs."""
        parameters = super()._get_parameters()
        examples: dict[str, Any] = {}
        for item in self.get_override_parameters():
            if isinstance(item, serializers.BaseSerializer) or (
                isinstance(item, type) and issubclass(item, serializers.BaseSerializer)
            ):
                examples.update(getattr(item, "examples", {}))
        for parameter in parameters:
            name = parameter["name"]
            if parameter["in"] == "query" and name in examples and "examples" not in parameter:
                parameter.setdefault("example", examples[name])
        return parameters

    def get_auth(self) -> list[dict[str, Any]]:
        auths = [auth for auth in super().get_auth() if auth != {}]
        if allows_anonymous(self.view, self.method, self.path):
            auths.append({})
        return auths

    def _needs_user(self) -> bool:
        return not allows_anonymous(self.view, self.method, self.path)

    def is_versioned_write(self) -> bool:
        """A write to one record of a versioned viewset: it takes If-Match and may be 412."""
        view = self.view
        return (
            isinstance(view, VersionedViewSetMixin)
            and self.method not in permissions.SAFE_METHODS
            and "{" in self.path
            and getattr(view, "action", None) not in view.unversioned_actions
        )

    def is_idempotent_create(self) -> bool:
        """A creating operation that takes ``Idempotency-Key`` (``@idempotent``)."""
        action = getattr(self.view, "action", None) or self.method.lower()  # APIView: post()
        handler = getattr(self.view, action, None)
        return self.method == "POST" and bool(getattr(handler, "idempotent", False))

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        named = {p.name for p in parameters if isinstance(p, OpenApiParameter)}
        if self.is_versioned_write() and IF_MATCH.name not in named:
            parameters.append(IF_MATCH)
        if self.is_idempotent_create() and IDEMPOTENCY_KEY.name not in named:
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _takes_input(self) -> bool:
        if self.method in ("POST", "PUT", "PATCH"):
            return True
        if "{" in self.path:
            return True
        return bool(getattr(self.view, "filterset_class", None)) or self._is_list_view()

    def error_statuses(self) -> list[int]:
        statuses = [429, 503]
        if self._takes_input():
            statuses.append(400)
        if self._needs_user():
            statuses += [401, 403]
        elif self.view.get_authenticators():
            statuses.append(401)  # a bad token, even where none is needed
        if "{" in self.path:
            statuses.append(404)
        if self.is_versioned_write():
            statuses.append(412)
        if self.is_idempotent_create():
            statuses.append(422)
        statuses += list(getattr(self.view, "extra_error_statuses", ()))
        return sorted(set(statuses))

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in self.error_statuses():
            key = str(status)
            if key in responses:
                continue
            responses[key] = self._get_response_for_code(
                ERROR_RESPONSES[status], key, direction=direction
            )
            if status in (429, 503):
                responses[key]["headers"] = dict(RETRY_AFTER_HEADER)
        return responses
