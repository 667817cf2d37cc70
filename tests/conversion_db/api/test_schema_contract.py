"""The schema declares what the API really accepts and who may call it.

Generated clients take the schema at its word: a parameter it does not declare cannot be
passed, and an operation it marks as needing credentials demands them. These tests walk
every operation; the checks live in ``tests/support/contract.py``, and the last tests
plant a mistake to prove each check catches it.
"""

from __future__ import annotations

import copy
import io

import pytest
import yaml
from django.core.management import call_command

from tests.support.contract import (
    filter_parameter_violations,
    operations,
    parameter_documentation_violations,
    security_violations,
    versioned_write_violations,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def test_lists_facets_and_exports_declare_exactly_their_filters(openapi):
    assert filter_parameter_violations(openapi) == []


def test_facets_and_exports_take_the_same_filters_as_their_list(openapi):
    paths = openapi["paths"]
    for base in ("/api/v1/patents/", "/api/v1/offers/"):
        listed = {p["name"] for p in paths[base]["get"]["parameters"]} - {"cursor", "page_size"}
        facets = {p["name"] for p in paths[f"{base}facets/"]["get"]["parameters"]}
        exported = {p["name"] for p in paths[f"{base}export/"]["get"]["parameters"]}
        assert "q" in listed
        assert facets == listed, base
        assert exported == listed | {"file_format"}, base


def test_anonymous_access_is_marked_as_the_permissions_allow(openapi, anonymous):
    assert security_violations(openapi, anonymous) == []


def test_public_reads_carry_the_empty_security_requirement(openapi):
    paths = openapi["paths"]
    for path in ("/api/v1/patents/", "/api/v1/offers/facets/", "/api/v1/ipc/suggest/"):
        assert {} in paths[path]["get"]["security"], path
    assert {} not in paths["/api/v1/patents/"]["post"]["security"]


def test_every_versioned_write_requires_if_match_and_lists_412(openapi):
    assert versioned_write_violations(openapi) == []


def test_every_query_parameter_is_described_in_both_languages_with_an_example(openapi):
    assert parameter_documentation_violations(openapi) == []


def example_value(parameter: dict) -> object:
    example = parameter["example"]
    return str(example).lower() if isinstance(example, bool) else example


def test_every_documented_example_is_accepted_by_its_operation(openapi, client_for, operator):
    """A client that copies a parameter's example from the schema (beside the examples of
    the required ones) gets an answer, not a 400; the operator may call every list. A
    cursor is opaque and belongs to the list that issued it: its example shows its shape."""
    client = client_for(operator)
    tried = 0
    for path, method, operation in operations(openapi):
        if method != "get" or "{" in path or path.endswith("/export/"):
            continue
        parameters = [
            p
            for p in operation.get("parameters", [])
            if p["in"] == "query" and "example" in p and p["name"] != "cursor"
        ]
        required = {p["name"]: example_value(p) for p in parameters if p.get("required")}
        for parameter in parameters:
            query = {**required, parameter["name"]: example_value(parameter)}
            response = client.get(path, query)
            tried += 1
            assert response.status_code == 200, (path, query, response.json())
    assert tried > 50


# --- each check catches the mistake it is for ------------------------------------------------
def test_the_filter_check_catches_an_undeclared_parameter(openapi):
    planted = copy.deepcopy(openapi)
    facets = planted["paths"]["/api/v1/patents/facets/"]["get"]
    facets["parameters"] = [p for p in facets["parameters"] if p["name"] != "q"]

    assert filter_parameter_violations(planted) == [
        "GET /api/v1/patents/facets/: accepts `q` but does not declare it"
    ]


def test_the_security_check_catches_a_wrong_marking(openapi, anonymous):
    planted = copy.deepcopy(openapi)
    planted["paths"] = {
        "/api/v1/patents/": planted["paths"]["/api/v1/patents/"],
        "/api/v1/demands/": planted["paths"]["/api/v1/demands/"],
    }
    planted["paths"]["/api/v1/patents/"]["get"]["security"] = [{"tokenAuth": []}]
    planted["paths"]["/api/v1/demands/"]["get"]["security"].append({})

    assert security_violations(planted, anonymous) == [
        "GET /api/v1/patents/: marked as needing credentials, answered an anonymous caller 200",
        "GET /api/v1/demands/: marked open to anonymous callers, answered them 401",
    ]


def test_the_versioning_check_catches_an_optional_if_match(openapi):
    planted = copy.deepcopy(openapi)
    submit = planted["paths"]["/api/v1/offers/{id}/submit/"]["post"]
    for parameter in submit["parameters"]:
        if parameter["name"] == "If-Match":
            parameter["required"] = False

    assert versioned_write_violations(planted) == [
        "POST /api/v1/offers/{id}/submit/: does not require If-Match"
    ]


def test_the_documentation_check_catches_a_missing_example_or_language(openapi):
    planted = copy.deepcopy(openapi)
    planted["paths"] = {"/api/v1/patents/": planted["paths"]["/api/v1/patents/"]}
    for parameter in planted["paths"]["/api/v1/patents/"]["get"]["parameters"]:
        if parameter["name"] == "q":
            del parameter["example"]
        if parameter["name"] == "ipc":
            parameter["description"] = "IPC symbol at any level."

    assert parameter_documentation_violations(planted) == [
        "GET /api/v1/patents/ `ipc`: description is not in English and Chinese",
        "GET /api/v1/patents/ `q`: no example",
    ]
