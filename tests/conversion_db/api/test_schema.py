"""The OpenAPI schema builds cleanly, documents every operation, and the API honours it.

The schemathesis test generates requests from the schema for every operation and checks
each response: no 5xx, a documented status code, a documented content type and headers,
and a body that conforms to the documented schema. It grows with every endpoint added.
"""

import io

import pytest
import schemathesis
import yaml
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_has_a_summary_description_and_error_responses(openapi):
    found = list(operations(openapi))
    assert len(found) >= 5
    for path, method, operation in found:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        assert "429" in operation["responses"], where
        assert any(code.startswith("4") and code != "429" for code in operation["responses"]), where
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), f"{where} parameter {parameter['name']}"


def test_error_responses_share_one_schema_with_examples(openapi):
    for path, method, operation in operations(openapi):
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                content = response["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (
                    path,
                    method,
                    code,
                )
                assert content.get("examples"), (path, method, code)


def test_swagger_ui_is_served_from_the_sidecar_not_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/schema/").status_code == 200


@pytest.fixture
def api_schema(db):
    """The schema, served by the real WSGI application inside the test transaction.

    Like Django's test client, keep the request signals from closing the connection
    the test transaction runs on.
    """
    from conversion_db.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ]
    )
