"""Every list operation of the OpenAPI schema has a test class keeping the list contract
(``tests/support/api.py``): a new list endpoint without one fails here."""

from __future__ import annotations

import copy
import io

import pytest
import yaml
from django.core.management import call_command

from tests.support.api import (
    contract_classes,
    contract_violations,
    import_test_modules,
    list_operations,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


@pytest.fixture(scope="module")
def classes() -> dict:
    import_test_modules()
    return contract_classes()


def test_every_list_operation_has_a_contract_test_class(openapi, classes):
    assert len(list_operations(openapi)) >= 14
    assert contract_violations(openapi, classes) == []


def test_the_check_catches_a_list_without_a_contract_class(openapi, classes):
    planted = copy.deepcopy(openapi)
    planted["paths"]["/api/v1/new-things/"] = planted["paths"]["/api/v1/deals/"]

    assert contract_violations(planted, classes) == [
        "GET /api/v1/new-things/: a list without a ListEndpointContract test class"
    ]


def test_the_check_catches_a_contract_class_pytest_would_not_collect(openapi, classes):
    renamed = dict(classes)
    original = renamed["/api/v1/deals/"]
    renamed["/api/v1/deals/"] = type("DealListContract", (original,), {})

    assert contract_violations(openapi, renamed) == [
        "DealListContract: pytest collects only classes named Test..."
    ]
