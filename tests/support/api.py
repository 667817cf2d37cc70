"""The contract every list endpoint keeps, inherited by one test class per endpoint.

As NetBox gives every endpoint the same tests (its ``utilities/testing/api.py``), a list's
test class inherits ``ListEndpointContract``, says what is particular to it in class
attributes and one fixture, and adds only its own behaviour::

    class TestOfferList(ListEndpointContract):
        url = "/api/v1/offers/"
        filters = frozenset({"q", "ipc", ...})          # its FilterSet's filters
        expected_queries = ("the page of offers with their holders", "their patents")
        bad_parameter = ({"royalty_rate_max": "abc"}, "royalty_rate_max")

        @pytest.fixture
        def make_rows(self, university_a, operator, patent_a):
            def make(n):
                return [OfferFactory.create(...).pk for _ in range(n)]
            return make

The contract, for every list:

- **who sees it**: an anonymous caller gets the public rows, or 401 in the error shape for
  a members' list; ``reader`` (a persona of ``tests/conftest.py``) sees the rows
  ``make_rows`` made, and ``outsider`` (when named) sees none of them;
- **the cursor**: a first page has a ``next`` link and no ``previous``; the next page holds
  other rows, the same ones each time it is read, and its ``previous`` link leads back to
  the first page; ``page_size`` takes 1 to 100 and anything else is a 400 on
  ``page_size``;
- **its parameters**: ``filters`` is exactly what the operation reads besides the cursor
  (so a new filter cannot go untested unnoticed), each of them is read by that name, and
  an unknown parameter is a 400 naming it;
- **its cost**: a page of 2 rows and a page of 20 cost the same queries, one per entry of
  ``expected_queries`` (each entry says why that query is there);
- **its errors**: ``bad_parameter`` (a bad value of one of its filters, or a bad page size
  for a list without filters) is a 400 with ``status``, ``code``, ``message`` and
  ``errors`` of ``field``, ``code`` and ``message``, in English and in Chinese.

``tests/conversion_db/api/test_list_contracts.py`` checks that every list operation of the
OpenAPI schema has such a class, so a new list endpoint without one fails.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from rest_framework.test import APIClient

from conversion_db.api.filters import accepted_query_parameters
from conversion_db.api.schema import anonymous_request
from tests.support.errors import assert_error_shape

CJK = re.compile(r"[\u4e00-\u9fff]")
UNKNOWN = "no_such_filter"
CURSOR_PARAMETERS = frozenset({"cursor", "page_size"})

RowMaker = Callable[[int], Sequence[Any]]


def keys(response: Any, key: str) -> list[Any]:
    return [row[key] for row in response.json()["results"]]


class ListEndpointContract:
    """Inherit it in a test class named after the list (``TestOfferList``); see the module
    docstring for what to declare."""

    #: The list's path as the OpenAPI schema spells it (``{id}`` for a nested list; its
    #: ``list_url`` fixture then gives the address to call).
    url: ClassVar[str]
    #: Whether an anonymous caller may read it (a members' list answers 401).
    visible_to_anonymous: ClassVar[bool] = True
    #: The persona (a fixture of tests/conftest.py) the rows are made for, who sees them.
    reader: ClassVar[str] = "anonymous"
    #: A persona who must see none of them, if the list shows each user their own.
    outsider: ClassVar[str | None] = None
    #: The field of a row that ``make_rows`` returns to identify it.
    key: ClassVar[str] = "id"
    #: Query parameters every request of the contract sends (to narrow a large list).
    params: ClassVar[dict[str, str]] = {}
    #: The filters of the list's FilterSet: what the list reads besides the cursor.
    filters: ClassVar[frozenset[str]]
    #: One entry per query a page costs, saying why it is there.
    expected_queries: ClassVar[tuple[str, ...]]
    #: A bad value of one of its parameters and the field the 400 names.
    bad_parameter: ClassVar[tuple[dict[str, str], str]] = ({"page_size": "0"}, "page_size")

    # --- what each endpoint provides -------------------------------------------------------
    @pytest.fixture
    def make_rows(self) -> RowMaker:
        """``make_rows(n)``: n more rows of the list as ``reader`` sees it (made through the
        factories), returning their ``key``; for reference data, the first n rows."""
        raise NotImplementedError(f"{type(self).__name__} must define the make_rows fixture")

    @pytest.fixture
    def list_url(self) -> str:
        """The address to call (override it for a nested list)."""
        return self.url

    # --- the personas ------------------------------------------------------------------------
    def client(self, request: pytest.FixtureRequest, persona: str, language: str = "en") -> Any:
        client = APIClient()
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        if persona != "anonymous":
            client.force_authenticate(request.getfixturevalue(persona))
        return client

    def get(self, client: Any, url: str, params: dict[str, Any] | None = None) -> Any:
        return client.get(url, {**self.params, **(params or {})})

    # --- who sees it -------------------------------------------------------------------------
    def test_an_anonymous_caller_sees_the_public_rows_or_gets_401(
        self, request: pytest.FixtureRequest, make_rows: RowMaker, list_url: str
    ) -> None:
        made = make_rows(3)
        response = self.get(self.client(request, "anonymous"), list_url, {"page_size": 100})
        if self.visible_to_anonymous:
            assert response.status_code == 200, response.content[:500]
            assert set(made) <= set(keys(response, self.key))
        else:
            body = assert_error_shape(response, 401)
            assert body["code"] == "not_authenticated"

    def test_the_reader_sees_the_rows_and_an_outsider_none(
        self, request: pytest.FixtureRequest, make_rows: RowMaker, list_url: str
    ) -> None:
        made = make_rows(3)
        seen = self.get(self.client(request, self.reader), list_url, {"page_size": 100})
        assert seen.status_code == 200, seen.content[:500]
        assert set(made) <= set(keys(seen, self.key))
        if self.outsider is not None:
            other = self.get(self.client(request, self.outsider), list_url, {"page_size": 100})
            assert other.status_code in (200, 404), other.content[:500]
            if other.status_code == 200:
                assert not set(made) & set(keys(other, self.key))

    # --- the cursor --------------------------------------------------------------------------
    def test_pages_are_linked_by_stable_cursors(
        self, request: pytest.FixtureRequest, make_rows: RowMaker, list_url: str
    ) -> None:
        make_rows(3)
        client = self.client(request, self.reader)
        first = self.get(client, list_url, {"page_size": 2})
        assert first.status_code == 200, first.content[:500]
        # ``count``: lists the search engine counts (CountedKeysetPagination) say how many.
        assert set(first.json()) - {"count"} == {"next", "previous", "results"}
        if "count" in first.json():
            assert first.json()["count"] is None or first.json()["count"] >= 3
        assert first.json()["previous"] is None
        assert len(first.json()["results"]) == 2
        assert first.json()["next"]
        second = client.get(first.json()["next"])
        assert second.status_code == 200, second.content[:500]
        assert second.json()["results"]
        assert not set(keys(first, self.key)) & set(keys(second, self.key))
        assert client.get(first.json()["next"]).json() == second.json()  # stable
        assert second.json()["previous"]
        back = client.get(second.json()["previous"])
        assert keys(back, self.key) == keys(first, self.key)

    @pytest.mark.parametrize("size", ["0", "101", "-1", "many"])
    def test_a_page_size_outside_1_to_100_is_a_400(
        self, request: pytest.FixtureRequest, list_url: str, size: str
    ) -> None:
        response = self.get(self.client(request, self.reader), list_url, {"page_size": size})
        body = assert_error_shape(response, 400)
        assert [(e["field"], e["code"]) for e in body["errors"]] == [
            ("page_size", "invalid_page_size")
        ]

    @pytest.mark.parametrize("size", [1, 100])
    def test_page_sizes_1_and_100_are_taken(
        self, request: pytest.FixtureRequest, make_rows: RowMaker, list_url: str, size: int
    ) -> None:
        make_rows(2)
        response = self.get(self.client(request, self.reader), list_url, {"page_size": size})
        assert response.status_code == 200, response.content[:500]
        assert 1 <= len(response.json()["results"]) <= size

    # --- its parameters ----------------------------------------------------------------------
    def test_the_declared_filters_are_what_the_list_reads(self, list_url: str) -> None:
        match = resolve(list_url)
        view_class = match.func.cls  # type: ignore[attr-defined]
        action = (getattr(match.func, "actions", None) or {}).get("get")
        view = view_class(action=action, format_kwarg=None, kwargs=match.kwargs)
        view.request = anonymous_request("get", list_url)
        filterset_class = getattr(view, "filterset_class", None)
        read = accepted_query_parameters(view, filterset_class) if action == "list" else set()
        assert set(self.filters) == read - CURSOR_PARAMETERS

    def test_each_declared_filter_is_read_by_name(
        self, request: pytest.FixtureRequest, list_url: str
    ) -> None:
        """Given empty, a filter is no filter (200), or a value its field refuses (a 400 on
        that field: a multiple choice refuses the empty choice), never an unknown name."""
        client = self.client(request, self.reader)
        for name in sorted(self.filters - set(self.params)):
            response = self.get(client, list_url, {name: ""})
            if response.status_code == 200:
                continue
            body = assert_error_shape(response, 400)
            assert {(e["field"], e["code"] == "unknown_parameter") for e in body["errors"]} == {
                (name, False)
            }, body

    def test_an_unknown_filter_is_a_400_naming_it(
        self, request: pytest.FixtureRequest, list_url: str
    ) -> None:
        response = self.get(self.client(request, self.reader), list_url, {UNKNOWN: "x"})
        body = assert_error_shape(response, 400)
        assert [(e["field"], e["code"]) for e in body["errors"]] == [(UNKNOWN, "unknown_parameter")]
        accepted = body["errors"][0]["message"].split("accepts:")[1]
        for name in sorted(self.filters | CURSOR_PARAMETERS):
            assert name in accepted, name

    # --- its cost ----------------------------------------------------------------------------
    def test_the_query_count_does_not_grow_with_the_page(
        self, request: pytest.FixtureRequest, make_rows: RowMaker, list_url: str
    ) -> None:
        client = self.client(request, self.reader)
        counts = []
        made = 0
        for rows in (2, 20):
            make_rows(rows - made)
            made = rows
            with CaptureQueriesContext(connection) as queries:
                response = self.get(client, list_url, {"page_size": rows})
            assert response.status_code == 200, response.content[:500]
            assert len(response.json()["results"]) == rows
            counts.append(len(queries))
            assert len(queries) == len(self.expected_queries), "\n".join(
                [f"{rows} rows: {len(queries)} queries, expected {self.expected_queries}"]
                + [query["sql"][:200] for query in queries.captured_queries]
            )
        assert counts[0] == counts[1]

    # --- its errors --------------------------------------------------------------------------
    def test_a_bad_parameter_is_a_400_in_the_error_shape_in_both_languages(
        self, request: pytest.FixtureRequest, list_url: str
    ) -> None:
        params, field = self.bad_parameter
        english = assert_error_shape(
            self.get(self.client(request, self.reader, "en"), list_url, params), 400
        )
        chinese = assert_error_shape(
            self.get(self.client(request, self.reader, "zh-hans"), list_url, params), 400
        )
        assert [e["field"] for e in english["errors"]] == [field]
        assert [e["field"] for e in chinese["errors"]] == [field]
        assert english["code"] == chinese["code"]
        assert english["errors"][0]["code"] == chinese["errors"][0]["code"]
        for text in (english["message"], english["errors"][0]["message"]):
            assert not CJK.search(text), text
        for text in (chinese["message"], chinese["errors"][0]["message"]):
            assert CJK.search(text), text


# --- every list has its contract class -------------------------------------------------------
def import_test_modules() -> None:
    """Import every test module, so that every contract class is defined."""
    import tests

    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(module.name)


def contract_classes() -> dict[str, type[ListEndpointContract]]:
    """Every concrete contract class defined so far, by the path it covers."""
    found: dict[str, type[ListEndpointContract]] = {}
    pending = list(ListEndpointContract.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "url" in vars(cls):
            found[cls.url] = cls
    return found


def list_operations(schema: dict[str, Any]) -> list[str]:
    """The paths whose GET answers a page (``next``, ``previous``, ``results``)."""
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        content = operation["responses"].get("200", {}).get("content", {})
        body = content.get("application/json", {}).get("schema", {})
        if "$ref" in body:
            body = components.get(body["$ref"].rsplit("/", 1)[-1], {})
        if {"next", "previous", "results"} <= set(body.get("properties", {})):
            found.append(path)
    return found


def contract_violations(
    schema: dict[str, Any], classes: dict[str, type[ListEndpointContract]]
) -> list[str]:
    """Every list operation has a contract class that pytest collects, and every contract
    class covers a list operation."""
    operations = list_operations(schema)
    violations = [
        f"GET {path}: a list without a ListEndpointContract test class"
        for path in operations
        if path not in classes
    ]
    for path, cls in sorted(classes.items()):
        if path not in operations:
            violations.append(f"{cls.__name__}: {path} is no list operation of the schema")
        if not cls.__name__.startswith("Test"):
            violations.append(f"{cls.__name__}: pytest collects only classes named Test...")
    return violations
