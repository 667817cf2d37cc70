"""Data that is not lost or doubled, walked over the whole schema:

- every ``PATCH`` changes only the fields it is sent: for each PATCH operation a record is
  built through the API, one field is patched, and every other field reads as before
  (a new PATCH operation fails here until it is added to ``PATCH_CASES``);
- every creating ``POST`` takes an ``Idempotency-Key`` and documents its 422;
- money is a decimal string everywhere: no amount in the schema is a JSON number, and the
  answers that once sent floats now send ``"300000.00"``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

# Changed by the write itself or derived from what it changed.
ALWAYS_MOVING = {"version", "updated_at"}


@pytest.fixture(scope="module")
def openapi() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def operations(openapi: dict, method: str) -> list[tuple[str, dict]]:
    return [(path, ops[method]) for path, ops in openapi["paths"].items() if method in ops]


# --- PATCH changes only what it is sent ---------------------------------------------------
@dataclass
class PatchCase:
    build: Callable[..., tuple[Any, str]]  # (client, url of the record built through the API)
    patch: dict[str, Any]
    changes: set[str]  # the fields the patch may change (besides version and updated_at)


def created(response: Any) -> dict:
    assert response.status_code == 201, response.json()
    return response.json()


def build_patent(c: Any, **_: Any) -> tuple[Any, str]:
    client = c["client_for"](c["university_a"])
    body = created(
        client.post(
            "/api/v1/patents/",
            {
                "application_number": "202010123456.2",
                "title": "一种固态电解质",
                "title_en": "A solid electrolyte",
                "abstract": "摘要",
                "keywords": ["电解质"],
                "ipc_codes": ["H01M 10/0562"],
                "filing_date": "2020-02-14",
                "inventors": ["张三"],
            },
            format="json",
        )
    )
    return client, f"/api/v1/patents/{body['id']}/"


def build_offer(c: Any, **_: Any) -> tuple[Any, str]:
    client = c["client_for"](c["university_a"])
    body = created(
        client.post(
            "/api/v1/offers/",
            {
                "offer_type": "ordinary",
                "title": "普通许可",
                "pricing_mode": "lump_sum",
                "lump_sum_cny": "300000",
                "term_start": "2027-01-01",
                "term_end": "2030-12-31",
                "territory": "中国大陆",
                "contact_name": "王老师",
                "patents": [c["patent_a"].pk],
            },
            format="json",
        )
    )
    return client, f"/api/v1/offers/{body['id']}/"


def build_enterprise(c: Any, **_: Any) -> tuple[Any, str]:
    client = c["client_for"](c["user"])
    body = created(
        client.post(
            "/api/v1/enterprises/",
            {
                "name": "上海某科技有限公司",
                "uscc": "91310115MA1K3BTP2B",
                "industry_code": "C3841",
                "employees": 120,
                "revenue_cny": "38000000",
                "assets_cny": "52000000",
                "region": "310115",
                "contact_name": "李经理",
            },
            format="json",
        )
    )
    return client, f"/api/v1/enterprises/{body['id']}/"


def build_demand(c: Any, **_: Any) -> tuple[Any, str]:
    client = c["client_for"](c["sme"])
    body = created(
        client.post(
            "/api/v1/demands/",
            {
                "title": "寻求固态电解质技术",
                "keywords": ["电解质"],
                "ipc_codes": ["H01M"],
                "wanted_offer_types": ["ordinary"],
                "budget_min_cny": "100000",
                "budget_max_cny": "2000000",
                "preferred_regions": ["310000"],
                "deadline": "2030-01-01",
            },
            format="json",
        )
    )
    return client, f"/api/v1/demands/{body['id']}/"


def build_saved_search(c: Any, **_: Any) -> tuple[Any, str]:
    client = c["client_for"](c["sme"])
    body = created(
        client.post(
            "/api/v1/saved-searches/",
            {"name": "锂电池", "target": "patents", "query": {"q": ["锂电池"]}},
            format="json",
        )
    )
    return client, f"/api/v1/saved-searches/{body['id']}/"


def build_match(c: Any, **_: Any) -> tuple[Any, str]:
    # Matches are written by the matching engine, not posted: the demand is built through
    # the API, the match as the engine stores it.
    from enterprises.models import Match

    client = c["client_for"](c["sme"])
    demand = created(
        client.post("/api/v1/demands/", {"title": "寻求锂电池正极材料"}, format="json")
    )
    match = Match.objects.create(
        demand_id=demand["id"],
        patent=c["patent_a"],
        score=61.5,
        explanation={"reason_en": "IPC", "reason_zh": "分类"},
    )
    return client, f"/api/v1/matches/{match.pk}/"


def build_deal(c: Any, **_: Any) -> tuple[Any, str]:
    sme = c["client_for"](c["sme"])
    inquiry = created(
        sme.post(
            "/api/v1/inquiries/",
            {"message": "许可条件？", "patent": c["patent_a"].pk},
            format="json",
        )
    )
    deal = created(
        c["client_for"](c["university_a"]).post(
            "/api/v1/deals/",
            {
                "inquiry": inquiry["id"],
                "kind": "ordinary",
                "contract_date": str(timezone.localdate()),
                "amount_cny": "300000",
            },
            format="json",
        )
    )
    url = f"/api/v1/deals/{deal['id']}/"
    recorded = sme.patch(
        url,
        {"recordation_number": "X2026310000123", "recordation_date": str(timezone.localdate())},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert recorded.status_code == 200, recorded.json()
    return sme, url


PATCH_CASES: dict[str, PatchCase] = {
    "/api/v1/patents/{id}/": PatchCase(build_patent, {"title_en": "X"}, {"title_en"}),
    "/api/v1/offers/{id}/": PatchCase(build_offer, {"title_en": "X"}, {"title_en"}),
    "/api/v1/enterprises/{id}/": PatchCase(build_enterprise, {"name_en": "X"}, {"name_en"}),
    "/api/v1/demands/{id}/": PatchCase(build_demand, {"title_en": "X"}, {"title_en"}),
    "/api/v1/saved-searches/{id}/": PatchCase(build_saved_search, {"name": "X"}, {"name"}),
    "/api/v1/matches/{id}/": PatchCase(build_match, {"state": "viewed"}, {"state"}),
    "/api/v1/deals/{id}/": PatchCase(
        build_deal, {"recordation_number": "X2026310000999"}, {"licence.recordation_number"}
    ),
}


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(flatten(value, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): data}


def test_every_patch_operation_has_a_case(openapi):
    assert {path for path, _ in operations(openapi, "patch")} == set(PATCH_CASES)


@pytest.mark.parametrize("path", sorted(PATCH_CASES))
def test_a_patch_changes_only_the_fields_it_is_sent(
    path, client_for, operator, university_a, sme, patent_a, django_user_model
):
    case = PATCH_CASES[path]
    registering = django_user_model.objects.create_user("registers_an_enterprise")
    context = {
        "client_for": client_for,
        "operator": operator,
        "university_a": university_a,
        "sme": sme,
        "user": registering,
        "patent_a": patent_a,
    }
    client, url = case.build(context)
    before = client.get(url)
    assert before.status_code == 200
    response = client.patch(url, case.patch, format="json", HTTP_IF_MATCH=before["ETag"])
    assert response.status_code == 200, response.json()
    after = flatten(client.get(url).json())
    unchanged = {k: v for k, v in flatten(before.json()).items() if k not in ALWAYS_MOVING}
    moved = {k for k, v in unchanged.items() if after.get(k) != v}
    assert moved <= case.changes, {k: (unchanged[k], after.get(k)) for k in moved - case.changes}
    assert moved, "the patch changed nothing"


# --- Idempotency-Key on every creating POST ---------------------------------------------
# An import is an upsert on natural keys (a repeated file changes nothing): no key needed.
IMPORTS = {"/api/v1/patents/import/", "/api/v1/offers/import/", "/api/v1/licences/import/"}
IMPORTS |= {"/api/v1/pledges/import/", "/api/v1/legal-events/import/"}
# Sign-up is anonymous (the key is per user) and answers a repeat the same way by itself; a
# token's key is shown once and stored only as a hash, so its answer is never kept to replay.
IMPORTS |= {"/api/v1/auth/signup/", "/api/v1/auth/tokens/"}


def test_every_creating_post_takes_an_idempotency_key(openapi):
    creating = {path for path, op in operations(openapi, "post") if "201" in op["responses"]}
    assert creating - IMPORTS >= {
        *("/api/v1/patents/", "/api/v1/offers/", "/api/v1/licences/", "/api/v1/pledges/"),
        *("/api/v1/enterprises/", "/api/v1/demands/", "/api/v1/inquiries/", "/api/v1/deals/"),
        *("/api/v1/deals/open-licence/", "/api/v1/saved-searches/"),
    }
    for path in creating - IMPORTS:
        op = openapi["paths"][path]["post"]
        names = {p["name"] for p in op.get("parameters", [])}
        assert "Idempotency-Key" in names, path
        assert "422" in op["responses"], path
    for path, op in operations(openapi, "post"):
        if path not in creating:
            assert "Idempotency-Key" not in {p["name"] for p in op.get("parameters", [])}, path


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/enterprises/", {"name": "幂等企业", "uscc": "91310115MA1K3BTP2B"}),
        ("/api/v1/demands/", {"title": "幂等需求"}),
        ("/api/v1/saved-searches/", {"name": "幂等", "target": "offers", "query": {"q": ["电池"]}}),
    ],
)
def test_a_repeated_create_with_its_key_creates_once(path, body, client_for, sme):
    client = client_for(sme)
    first = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="same-request")
    again = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="same-request")
    assert first.status_code == again.status_code == 201, first.json()
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    listed = client.get(path).json()["results"]
    assert [row["id"] for row in listed].count(first.json()["id"]) == 1
    assert len(listed) == (2 if path == "/api/v1/enterprises/" else 1)  # sme's own + this


def test_a_repeated_patent_offer_licence_and_pledge_create_once(client_for, university_a, patent_a):
    from patents.models import LicenceRecord, LicensingOffer, Patent, Pledge

    client = client_for(university_a)
    bodies = {
        "/api/v1/patents/": {"application_number": "202010123456.2", "title": "固态电解质"},
        "/api/v1/offers/": {"offer_type": "ordinary", "title": "许可", "patents": [patent_a.pk]},
        "/api/v1/licences/": {
            "licensee_name": "某公司",
            "kind": "ordinary",
            "patents": [patent_a.pk],
            "contract_date": str(timezone.localdate()),
        },
        "/api/v1/pledges/": {
            "pledgee_name": "某银行",
            "patents": [patent_a.pk],
            "secured_amount_cny": "1000000",
            "registration_date": str(timezone.localdate()),
            "debt_end": "2030-01-01",
        },
    }
    for path, body in bodies.items():
        first = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=f"k{path}")
        again = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=f"k{path}")
        assert first.status_code == again.status_code == 201, (path, first.json())
        assert again.json() == first.json()
    assert Patent.objects.count() == 2  # patent_a and the new one
    assert LicensingOffer.objects.count() == 1
    assert LicenceRecord.objects.count() == 1
    assert Pledge.objects.count() == 1


# --- Money is a decimal string ------------------------------------------------------------
MONEY_WORDS = ("_cny", "amount", "price", "fee")


def number_properties(openapi: dict) -> list[str]:
    found = []

    def walk(schema: Any, where: str) -> None:
        if not isinstance(schema, dict):
            return
        for name, prop in schema.get("properties", {}).items():
            if prop.get("type") in ("number", "integer") and any(w in name for w in MONEY_WORDS):
                found.append(f"{where}.{name}")
            walk(prop, f"{where}.{name}")
        walk(schema.get("items"), f"{where}[]")
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []):
                walk(part, where)

    for name, schema in openapi["components"]["schemas"].items():
        walk(schema, name)
    return found


def test_no_amount_in_the_schema_is_a_json_number(openapi):
    assert number_properties(openapi) == []
    deal_licence = openapi["components"]["schemas"]["DealLicence"]["properties"]["amount_cny"]
    assert (deal_licence["type"], deal_licence["format"]) == ("string", "decimal")


def test_amounts_in_answers_are_decimal_strings(client_for, sme, university_a, patent_a):
    inquiry = created(
        client_for(sme).post(
            "/api/v1/inquiries/", {"message": "？", "patent": patent_a.pk}, format="json"
        )
    )
    deal = created(
        client_for(university_a).post(
            "/api/v1/deals/",
            {
                "inquiry": inquiry["id"],
                "kind": "ordinary",
                "contract_date": str(timezone.localdate()),
                "amount_cny": 300000,
            },
            format="json",
        )
    )
    assert deal["licence"]["amount_cny"] == "300000.00"
    listed = client_for(sme).get("/api/v1/deals/").json()["results"][0]
    assert listed["licence"]["amount_cny"] == "300000.00"
    licence = client_for(sme).get(f"/api/v1/licences/{deal['licence']['id']}/").json()
    assert licence["amount_cny"] == "300000.00"
