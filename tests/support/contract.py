"""The OpenAPI schema as a contract: checks that compare what it declares with what the
views do. Each returns the violations it finds (an empty list when the schema is right),
so that a test can assert there are none, and another can prove a check catches a
mistake by planting one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.urls import resolve
from rest_framework.test import APIClient

from conversion_db.api.filters import accepted_query_parameters
from conversion_db.api.schema import anonymous_request

WRITE_METHODS = ("post", "put", "patch", "delete")
PATH_SAMPLES = {"id": "1", "symbol": "H01M", "code": "310000"}
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", *WRITE_METHODS):
                yield path, method, operation


def concrete(path: str) -> str:
    """A path of the schema with sample values in its placeholders."""
    return re.sub(r"\{(\w+)\}", lambda m: PATH_SAMPLES.get(m.group(1), "1"), path)


def view_of(path: str, method: str) -> tuple[Any, str | None]:
    """The viewset class behind an operation and the action it runs."""
    match = resolve(concrete(path))
    view_class = match.func.cls  # type: ignore[attr-defined]
    actions = getattr(match.func, "actions", None) or {}
    return view_class, actions.get(method)


def query_names(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def accepted(view_class: Any, action: str | None) -> set[str] | None:
    """What the operation reads, as the filter backend that refuses unknown parameters
    computes it (asking a view instance: some choose their FilterSet per request); ``None``
    when the operation takes no filters."""
    view = view_class(action=action, format_kwarg=None)
    view.request = anonymous_request("get", "/")
    filterset_class = getattr(view, "filterset_class", None)
    filtered = action == "list" or action in getattr(view_class, "filtered_actions", ())
    if filterset_class is None or not filtered:
        return None
    return accepted_query_parameters(view, filterset_class)


def filter_parameter_violations(schema: dict[str, Any]) -> list[str]:
    """Every list, facets and export operation declares exactly what it reads: its
    FilterSet's filters, a list's cursor, an export's format."""
    violations = []
    for path, method, operation in operations(schema):
        if method != "get" or "{" in path:
            continue
        view_class, action = view_of(path, method)
        expected = accepted(view_class, action)
        if expected is None:
            continue
        declared = query_names(operation)
        for name in sorted(expected - declared):
            violations.append(f"GET {path}: accepts `{name}` but does not declare it")
        for name in sorted(declared - expected):
            violations.append(f"GET {path}: declares `{name}`, which its filters do not take")
    return violations


def anonymous_allowed(operation: dict[str, Any]) -> bool:
    return {} in operation.get("security", [{}])


def security_violations(schema: dict[str, Any], client: APIClient) -> list[str]:
    """An operation marked as open to anonymous callers answers them (not 401), and one
    marked as needing credentials refuses them with 401."""
    violations = []
    for path, method, operation in operations(schema):
        response = getattr(client, method)(concrete(path), {}, format="json")
        refused = response.status_code in (401, 403)
        if anonymous_allowed(operation) and refused:
            violations.append(
                f"{method.upper()} {path}: marked open to anonymous callers, "
                f"answered them {response.status_code}"
            )
        if not anonymous_allowed(operation) and response.status_code != 401:
            violations.append(
                f"{method.upper()} {path}: marked as needing credentials, "
                f"answered an anonymous caller {response.status_code}"
            )
    return violations


def versioned_write_violations(schema: dict[str, Any]) -> list[str]:
    """Every write to one record of a versioned viewset requires If-Match and lists 412."""
    from conversion_db.api.versioning import VersionedViewSetMixin

    violations = []
    for path, method, operation in operations(schema):
        if method not in WRITE_METHODS or "{" not in path:
            continue
        view_class, action = view_of(path, method)
        if not issubclass(view_class, VersionedViewSetMixin):
            continue
        if action in view_class.unversioned_actions:
            continue
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        if not headers.get("If-Match", {}).get("required"):
            violations.append(f"{method.upper()} {path}: does not require If-Match")
        if "412" not in operation["responses"]:
            violations.append(f"{method.upper()} {path}: does not list 412")
    return violations


def parameter_documentation_violations(schema: dict[str, Any]) -> list[str]:
    """Every query parameter has a description in English and Chinese, and an example or
    an enumeration of its values."""
    violations = []
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            where = f"{method.upper()} {path} `{parameter['name']}`"
            description = parameter.get("description", "")
            if not (CJK.search(description) and LATIN.search(description)):
                violations.append(f"{where}: description is not in English and Chinese")
            schema_ = parameter.get("schema", {})
            has_values = "enum" in schema_ or "enum" in schema_.get("items", {})
            if not has_values and "example" not in parameter and "examples" not in parameter:
                violations.append(f"{where}: no example")
    return violations
