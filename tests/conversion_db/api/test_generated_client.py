"""A client generated from the OpenAPI schema drives the API over HTTP.

The schema is served as it is built (``spectacular --validate --fail-on-warn``), a Python
client is generated from it with openapi-python-client (the common generator, pinned as a
development dependency), and that client calls a live server: one read journey per kind of
user (search with filters, facets with the same filters, a patent's detail, offers, IPC
suggestions, a cursor's next page, an export) and an authenticated write with If-Match.
Every answer must parse into the generated types: a parameter the schema does not declare
cannot even be passed, and an answer that does not match its documented shape fails here.

openapi-python-client types every operation that has any security requirement with
``AuthenticatedClient``, even when the empty requirement (``{}``, "anonymous is fine") is
listed; at run time a plain ``Client`` works for those operations, which is what an
anonymous caller uses below.
"""

from __future__ import annotations

import datetime
import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from patents.models import Holder
from tests.factories import PatentFactory
from tests.support.tokens import issue_token

pytestmark = pytest.mark.django_db

PACKAGE = "conversion_db_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The generated client package, imported from a temporary folder."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    config = folder / "config.yml"
    config.write_text(
        f"project_name_override: conversion-db-client\npackage_name_override: {PACKAGE}\n"
        "post_hooks: []\n"
    )
    subprocess.run(  # noqa: S603 - our own pinned tool on our own schema
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    try:
        yield Generated(importlib.import_module(PACKAGE))
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


class Generated:
    """Access to the generated modules: ``api("patents", "patents_list")``, ``model(...)``."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package

    def api(self, tag: str, operation: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation}")

    def model(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{PACKAGE}.models"), name)

    def client(self, base_url: str, token: str | None = None) -> Any:
        if token is None:
            return self.package.Client(base_url=base_url, raise_on_unexpected_status=True)
        return self.package.AuthenticatedClient(
            base_url=base_url, token=token, prefix="Token", raise_on_unexpected_status=True
        )


@pytest.fixture
def battery_patents(operator, holder_a) -> list:
    """Three granted lithium-battery inventions of holder A, in force (H01M)."""
    return [
        PatentFactory.create(
            actor=operator,
            application_number=number,
            title=title,
            ipc_codes=["H01M 10/0525"],
            filing_date=filed,
            grant_date=filed + datetime.timedelta(days=700),
            holders=[holder_a],
        )
        for number, title, filed in (
            ("201910209152.5", "一种锂离子电池正极材料", datetime.date(2019, 3, 21)),
            ("202010123456.2", "一种锂离子电池电解液及其制备方法", datetime.date(2020, 2, 14)),
            ("202110654321.3", "锂离子电池负极极片", datetime.date(2021, 7, 2)),
        )
    ]


def token_of(user) -> str:
    return issue_token(user)


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def publish_offer(generated, live_api, university_a, operator, patent) -> Any:
    """An open licence, drafted and submitted by the holder's member, approved by an
    operator: three authenticated writes through the generated client."""
    member = generated.client(live_api, token_of(university_a))
    draft = generated.api("offers", "offers_create").sync(
        client=member,
        body=generated.model("OfferWriteRequest").from_dict(
            {
                "offer_type": "open_licence",
                "title": "锂电池正极材料开放许可",
                "pricing_mode": "royalty_net_sales",
                "royalty_rate": "3.00",
                "term_start": "2026-01-01",
                "term_end": "2030-12-31",
                "patents": [patent.pk],
            }
        ),
    )
    assert isinstance(draft, generated.model("OfferDetail")), draft
    submitted = generated.api("offers", "offers_submit_create").sync(
        draft.id, client=member, if_match=f'"{draft.version}"'
    )
    assert isinstance(submitted, generated.model("OfferDetail")), submitted
    reviewer = generated.client(live_api, token_of(operator))
    published = generated.api("offers", "offers_review_create").sync(
        submitted.id,
        client=reviewer,
        body=generated.model("ReviewRequest").from_dict({"approve": True}),
        if_match=f'"{submitted.version}"',
    )
    assert isinstance(published, generated.model("OfferDetail")), published
    assert str(published.status) == "published"
    return published


@pytest.mark.parametrize("persona", ["anonymous", "sme", "university_a", "operator"])
def test_each_user_reads_through_the_generated_client(
    request, persona, generated, live_api, battery_patents, university_a, operator
):
    offer = publish_offer(generated, live_api, university_a, operator, battery_patents[0])
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = generated.client(live_api, None if user is None else token_of(user))
    in_force = [generated.model("PatentsListLegalStatusItem")("in_force")]

    # Search with filters, a page of one, then the cursor's next page.
    first = generated.api("patents", "patents_list").sync(
        client=client, q="锂离子电池", ipc="H01M", legal_status=in_force, page_size=1
    )
    assert isinstance(first, generated.model("PaginatedPatentListList")), first
    assert len(first.results) == 1
    assert first.next_
    second = generated.api("patents", "patents_list").sync(
        client=client,
        q="锂离子电池",
        ipc="H01M",
        legal_status=in_force,
        page_size=1,
        cursor=cursor_of(first.next_),
    )
    assert isinstance(second, generated.model("PaginatedPatentListList")), second
    assert second.results[0].id != first.results[0].id

    # Facets with the same filters count the same three patents.
    facets = generated.api("patents", "patents_facets_retrieve").sync(
        client=client,
        q="锂离子电池",
        ipc="H01M",
        legal_status=[generated.model("PatentsFacetsRetrieveLegalStatusItem")("in_force")],
    )
    assert isinstance(facets, generated.model("PatentFacets")), facets
    assert sum(value.count for value in facets.legal_status) == len(battery_patents)

    # A patent's detail, with its holder.
    detail = generated.api("patents", "patents_retrieve").sync(first.results[0].id, client=client)
    assert isinstance(detail, generated.model("PatentDetail")), detail
    assert detail.application_number in {p.application_number for p in battery_patents}
    assert "甲大学" in {holder.name for holder in detail.holders}

    # Offers: the published one, found by text and by its facets.
    offers = generated.api("offers", "offers_list").sync(client=client, q="锂离子电池")
    assert isinstance(offers, generated.model("PaginatedOfferList")), offers
    assert [item.id for item in offers.results] == [offer.id]
    offer_facets = generated.api("offers", "offers_facets_retrieve").sync(
        client=client, q="锂离子电池"
    )
    assert isinstance(offer_facets, generated.model("OfferFacets")), offer_facets

    # IPC suggestions for free text (a list of typed suggestions; may be short on a small
    # database, never malformed).
    suggestions = generated.api("ipc", "ipc_suggest_list").sync(
        client=client, text="锂离子电池正极材料"
    )
    assert isinstance(suggestions, list), suggestions
    assert all(isinstance(s, generated.model("IpcSuggestion")) for s in suggestions)

    # An export of the same search: the CSV has the three patents.
    exported = generated.api("patents", "patents_export_retrieve").sync_detailed(
        client=client, q="锂离子电池", ipc="H01M"
    )
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    assert all(p.application_number in text for p in battery_patents)


def test_a_holder_member_changes_a_patent_with_if_match(
    generated, live_api, battery_patents, university_a
):
    client = generated.client(live_api, token_of(university_a))
    patent = battery_patents[0]
    update = generated.api("patents", "patents_partial_update")
    body = generated.model("PatchedPatentWriteRequest").from_dict(
        {"title_en": "Cathode material for lithium-ion batteries"}
    )

    changed = update.sync(patent.pk, client=client, body=body, if_match='"1"')

    assert isinstance(changed, generated.model("PatentDetail")), changed
    assert changed.title_en == "Cathode material for lithium-ion batteries"
    assert changed.version == 2
    stale = update.sync_detailed(patent.pk, client=client, body=body, if_match='"1"')
    assert stale.status_code == 412
    assert isinstance(stale.parsed, generated.model("Error"))
    assert stale.parsed.code == "precondition_failed"
    assert Holder.objects.filter(name="甲大学").exists()
