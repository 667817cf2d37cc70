"""The OpenAPI security scheme of ``accounts.authentication.TokenAuthentication``: the same
name (``tokenAuth``) and header as before knox, so generated clients keep working."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 - the header keyword, no secret
        )
        scheme["description"] = (
            "`Authorization: Token <key>`: a key from `POST /api/v1/auth/token/` or "
            "`POST /api/v1/auth/tokens/` (stored hashed, shown once, expires). "
            "接口令牌，仅显示一次，会过期。"
        )
        return scheme
