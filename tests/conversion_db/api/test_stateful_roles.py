"""No client mistake is a 5xx, for each kind of user, along chains of calls (issue 16).

``test_schema.py`` calls every operation anonymously, one request at a time. Here the API is
driven as its three kinds of users, each signed in with a real API token from
``POST /api/v1/auth/token/``: ``sme`` (a member of an enterprise), ``university_a`` (a member
of a university's tech-transfer office, holding ``patent_a`` with a published offer) and
``operator`` (staff). Every response is checked as in ``test_schema.py``: no 5xx, a
documented status code, content type and headers, a body that conforms to the schema.

- ``test_every_operation_in_chains_as`` runs schemathesis in its stateful mode: the schema
  declares no OpenAPI links, so schemathesis infers them (a created or listed record's
  ``id`` feeds the operations on ``{id}``), and this module adds the record's ``ETag`` as
  the ``If-Match`` of each linked write, so that updates and state changes really happen
  rather than all stopping at 400 or 412. Only the role's token authenticates: generated
  cookies and undeclared headers are dropped, and the two operations that revoke the token
  (sign out, revoke a token) are left out, or the rest of a scenario would run with a
  revoked token.
- ``test_journeys_as`` is a Hypothesis state machine written by hand for the main journeys,
  where generated bodies seldom get far: create (an SME's demands, saved searches and
  inquiries; a holder member's patents and offers; the operator's on both sides), read,
  update with the version read or a stale one, change state (submit, withdraw, review an
  offer; close, open a demand), delete, and read the published offer. Bodies are valid
  ones with, one time in three, a field replaced by a generated value. After each answer
  it also checks what the answer means: a created record reads back, an update reads
  back with a higher version, a stale version is refused and changes nothing, a deleted
  record is a 404.

Each scenario runs inside a savepoint rolled back at its end (and the caches are emptied),
so scenarios are independent and Hypothesis can replay them; ``derandomize=True`` makes the
run the same on every machine; there is no shrinking, so that a failing run stays short
too (each failure is reported with its curl command). The budget (40 scenarios of up to 15 calls per role, half
as many journeys) keeps the module near two minutes on two cores; raise
``STATEFUL_EXAMPLES`` locally to search longer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache, caches
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    multiple,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import PASSWORD, OfferFactory, application_number

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ROLES = ["sme", "university_a", "operator"]
# Scenarios per role (each up to 15 calls; a journey's calls also read back what they did).
EXAMPLES = int(os.environ.get("STATEFUL_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=15,
    derandomize=True,
    deadline=None,
    database=None,
    # No shrinking: a failure is reported as found (each call with its curl command), so a
    # failing run also stays within CI's time.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
# Operations that end the token the scenario runs with.
TOKEN_ENDING = [("POST", "/api/v1/auth/logout/"), ("DELETE", "/api/v1/auth/tokens/{prefix}/")]


@pytest.fixture
def world(operator, university_a, sme, patent_a):
    """What the three users find: ``patent_a`` of holder A with a published open licence."""
    return OfferFactory.create(
        actor=university_a, reviewer=operator, patents=[patent_a], status="published"
    )


def token_of(user: Any) -> str:
    """A new API token of ``user``, signed in as a client does."""
    answer = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD, "name": "stateful suite"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    return str(answer.json()["token"])


@contextmanager
def served_in_the_test_transaction() -> Iterator[Any]:
    """The WSGI application, its requests kept on the test's connection (as in
    ``test_schema.py``; Django's test client reconnects the signals after each of its own
    requests, so this wraps only the schemathesis calls)."""
    from conversion_db.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def with_if_match_links(schema: Any) -> int:
    """Infer the links, then send the source record's ETag as If-Match along each link that
    feeds a versioned write with that record's id; returns how many links were given it."""
    schema.analysis.inject_links()
    paths = schema.raw_schema["paths"]
    given = 0
    for methods in paths.values():
        for operation in methods.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                for link in (response.get("links") or {}).values():
                    target_path, target_method = (
                        link["operationRef"].removeprefix("#/paths/").rsplit("/", 1)
                    )
                    target = paths[target_path.replace("~1", "/").replace("~0", "~")]
                    parameters = link.setdefault("parameters", {})
                    takes_version = any(
                        p.get("name") == "If-Match"
                        for p in target[target_method].get("parameters", [])
                    )
                    if takes_version and "$response.body#/id" in parameters.values():
                        parameters["header.If-Match"] = "$response.header.ETag"
                        given += 1
    return given


class RoleScenarios:
    """What every state machine of this module shares: the role's token on each call, the
    checks on each answer, and a savepoint around each scenario."""

    token: str

    def start_scenario(self) -> None:
        self._savepoint = transaction.savepoint()

    def end_scenario(self) -> None:
        transaction.savepoint_rollback(self._savepoint)
        for store in (cache, caches["search"]):
            store.clear()

    def sign(self, case: Any) -> None:
        declared = {parameter.name.lower() for parameter in case.operation.headers}
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() in declared}
        case.headers = {**headers, "Authorization": f"Token {self.token}"}
        case.cookies = {}


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_in_chains_as(role, request, world):
    token = token_of(request.getfixturevalue(role))
    with served_in_the_test_transaction() as application:
        schema: Any = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
        for method, path in TOKEN_ENDING:
            schema = schema.exclude(method=method, path=path)
        assert with_if_match_links(schema) >= 20

        class Machine(RoleScenarios, schema.as_state_machine()):  # type: ignore[misc]
            def setup(self) -> None:
                self.token = token
                self.start_scenario()

            def teardown(self) -> None:
                self.end_scenario()

            def before_call(self, case: Any) -> None:
                self.sign(case)

            def validate_response(self, response: Any, case: Any, *args: Any, **kw: Any) -> None:
                case.validate_response(response, checks=CHECKS)

        Machine.run(settings=SETTINGS)


# --- the journeys, by hand -------------------------------------------------------------------

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["", " ", "0", "-1", "2026-02-30", "9" * 30, "NaN", "\x00", "中文"]),
)

# A valid body per creating operation; a rule may replace one field with JUNK.
SAVED_SEARCH = {"name": "锂电池", "target": "patents", "query": {"q": "锂离子电池"}}
DEMAND = {"title": "寻求固态电解质制备技术", "keywords": ["固态电解质"], "open": True}
INQUIRY = {"message": "请问许可条件？"}  # and the published offer
PATENT = {
    "title": "一种固态电解质的制备方法",
    "patent_type": "invention",
    "filing_date": "2023-05-04",
}
OFFER = {
    "offer_type": "ordinary",
    "pricing_mode": "negotiable",
    "title": "固态电解质普通许可",
    "term_start": "2027-01-01",
    "term_end": "2030-12-31",
}
# What each role creates: an SME its demands, saved searches and inquiries about the
# published offer, the university's member
# its patents and offers, the operator both sides (naming the holder or enterprise).
CREATES: dict[str, dict[str, dict[str, Any]]] = {
    "sme": {"saved-searches": SAVED_SEARCH, "demands": DEMAND, "inquiries": INQUIRY},
    "university_a": {"patents": PATENT, "offers": OFFER},
    "operator": {"patents": PATENT, "offers": OFFER, "demands": DEMAND},
}
# The field a PATCH changes: to a valid value (which must read back) or to a generated one.
EDITS = {
    "saved-searches": ("name", st.text(min_size=1, max_size=20)),
    "demands": ("title", st.text(min_size=2, max_size=40)),
    "patents": ("title", st.text(min_size=2, max_size=40)),
    "offers": ("title", st.text(min_size=2, max_size=40)),
}
# State changes on one record: action, body (each but eligibility takes If-Match).
CHANGES: dict[str, list[tuple[str, st.SearchStrategy[Any]]]] = {
    "offers": [
        ("submit", st.just({})),
        ("withdraw", st.just({})),
        ("review", st.fixed_dictionaries({"approve": st.booleans()}, optional={"note": JUNK})),
        ("eligibility", st.none()),  # no body, no version: it only reads
    ],
    "demands": [("close", st.just({})), ("open", st.just({}))],
}


def journeys(schema: Any, role: str, token: str, context: dict[str, int]) -> type:
    """The hand-written state machine for ``role``: records it created are kept in a
    bundle, and later rules read, update, change the state of, or delete them."""

    class Journeys(RoleScenarios, RuleBasedStateMachine):
        records = Bundle("records")  # (kind, id) of a record the role created

        def __init__(self) -> None:
            super().__init__()
            self.token = token
            self.serial = 0
            self.start_scenario()

        def teardown(self) -> None:
            self.end_scenario()

        def call(self, method: str, path: str, headers: Any = None, **parts: Any) -> Any:
            case = schema[path][method].Case(**parts)
            self.sign(case)
            case.headers.update(headers or {})
            response = case.call()
            case.validate_response(response, checks=CHECKS)
            return response

        def read(self, kind: str, pk: int) -> Any:
            return self.call("GET", f"/api/v1/{kind}/{{id}}/", path_parameters={"id": pk})

        def body_for(self, kind: str, data: st.DataObject) -> dict[str, Any]:
            body = dict(CREATES[role][kind])
            if kind == "patents":
                self.serial += 1
                body["application_number"] = application_number(9_000_000 + self.serial)
            if kind == "offers":
                body["patents"] = [context["patent"]]
            if kind == "inquiries":
                body["offer"] = context["offer"]
            if role == "operator":
                body["enterprise" if kind == "demands" else "holder"] = context[
                    "enterprise" if kind == "demands" else "holder"
                ]
            if data.draw(st.integers(0, 2), label="spoil a field?") == 0:
                field = data.draw(st.sampled_from(sorted(body)), label="field")
                body[field] = data.draw(JUNK, label="value")
            return body

        @rule(target=records, kind=st.sampled_from(sorted(CREATES[role])), data=st.data())
        def create(self, kind: str, data: st.DataObject) -> Any:
            response = self.call("POST", f"/api/v1/{kind}/", body=self.body_for(kind, data))
            if response.status_code != 201:
                return multiple()
            pk = response.json()["id"]
            assert self.read(kind, pk).status_code == 200, "a created record reads back"
            return (kind, pk)

        @rule(record=records, data=st.data(), stale=st.booleans())
        def update(self, record: tuple[str, int], data: st.DataObject, stale: bool) -> None:
            kind, pk = record
            if kind not in EDITS:
                return
            before = self.read(kind, pk)
            if before.status_code != 200:
                return
            version = before.json()["version"]
            field, valid = EDITS[kind]
            value = data.draw(valid if data.draw(st.booleans()) else JUNK, label="value")
            answer = self.call(
                "PATCH",
                f"/api/v1/{kind}/{{id}}/",
                path_parameters={"id": pk},
                headers={"If-Match": f'"{version + 7 if stale else version}"'},
                body={field: value},
            )
            after = self.read(kind, pk).json()
            if stale:
                assert answer.status_code in (400, 403, 412), answer.status_code
                assert after["version"] == version, "a refused update changes nothing"
            elif answer.status_code == 200:
                assert after[field] == answer.json()[field]
                assert after["version"] > version
            else:
                assert after["version"] == version, "a refused update changes nothing"

        @rule(record=records, data=st.data(), stale=st.booleans())
        def change_state(self, record: tuple[str, int], data: st.DataObject, stale: bool) -> None:
            kind, pk = record
            if kind not in CHANGES:
                return
            before = self.read(kind, pk)
            if before.status_code != 200:
                return
            version = before.json()["version"]
            action, bodies = data.draw(st.sampled_from(CHANGES[kind]), label="action")
            versioned = action != "eligibility"
            answer = self.call(
                "POST",
                f"/api/v1/{kind}/{{id}}/{action}/",
                path_parameters={"id": pk},
                headers={"If-Match": f'"{version + 7 if stale else version}"'} if versioned else {},
                **({"body": body} if (body := data.draw(bodies, label="body")) is not None else {}),
            )
            after = self.read(kind, pk).json()
            if versioned and stale:
                assert answer.status_code in (400, 403, 412), answer.status_code
            if answer.status_code != 200 or not versioned:
                assert after["version"] == version, "a refused change changes nothing"

        @rule(kind=st.sampled_from(["offers", "patents"]))
        def read_what_is_published(self, kind: str) -> None:
            """Everyone reads the published offer and its patent, the lists included."""
            pk = context["offer" if kind == "offers" else "patent"]
            assert self.read(kind, pk).status_code == 200
            listed = self.call("GET", f"/api/v1/{kind}/", query={"page_size": 5})
            assert listed.status_code == 200

        @rule(record=consumes(records), stale=st.booleans())
        def delete(self, record: tuple[str, int], stale: bool) -> None:
            kind, pk = record
            if "delete" not in schema.raw_schema["paths"][f"/api/v1/{kind}/{{id}}/"]:
                return
            before = self.read(kind, pk)
            if before.status_code != 200:
                return
            version = before.json()["version"]
            answer = self.call(
                "DELETE",
                f"/api/v1/{kind}/{{id}}/",
                path_parameters={"id": pk},
                headers={"If-Match": f'"{version + 7 if stale else version}"'},
            )
            if answer.status_code == 204:
                assert not stale, "a stale delete is refused"
                assert self.read(kind, pk).status_code == 404, "a deleted record is gone"
            else:
                assert self.read(kind, pk).status_code == 200, "a refused delete keeps it"

    return Journeys


@pytest.mark.parametrize("role", ROLES)
def test_journeys_as(role, request, world, patent_a, holder_a, enterprise_s):
    token = token_of(request.getfixturevalue(role))
    context = {
        "patent": patent_a.pk,
        "offer": world.pk,
        "holder": holder_a.pk,
        "enterprise": enterprise_s.pk,
    }
    with served_in_the_test_transaction() as application:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
        machine = journeys(schema, role, token, context)
        run_state_machine_as_test(machine, settings=settings(SETTINGS, max_examples=EXAMPLES // 2))


def test_a_match_explained_with_every_component_conforms_to_the_schema(sme, world, client_for):
    """Found by this suite: the score components documented for a match's explanation
    left out ``suggested_ipc``, which every explanation carries, so a list of matches
    did not conform to its schema."""
    demand = client_for(sme).post(
        "/api/v1/demands/",
        {"title": "锂离子电池正极材料", "ipc_codes": ["H01M 10/0525"], "open": True},
        format="json",
    )
    assert demand.status_code == 201, demand.json()
    token = token_of(sme)
    with served_in_the_test_transaction() as application:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
        case = schema["/api/v1/matches/"]["GET"].Case(headers={"Authorization": f"Token {token}"})
        response = case.call()
        [match] = response.json()["results"]
        names = {c["name"] for c in match["explanation"]["components"]}
        assert "suggested_ipc" in names
        case.validate_response(response, checks=CHECKS)
