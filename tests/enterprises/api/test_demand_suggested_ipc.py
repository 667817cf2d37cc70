"""A demand written the way an SME writes it, with no IPC codes (issue 18): matching uses
the IPC suggestion's best subclasses as a weaker signal and as a candidate source, names
the subclass in the explanation, and offers the codes on the demand for the SME to accept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.matching import matches, terms
from enterprises.matching.matches import MatchQuery
from enterprises.models import TechnologyDemand
from patents.search.ipc_statistics import build_statistics
from tests.factories import PatentFactory

pytestmark = pytest.mark.django_db

DEMANDS = "/api/v1/demands/"
SME_TEXT = "我们是一家电池厂，想找能提高锂离子电池低温放电性能的电解液技术"

CORPUS = [
    ("一种低温锂离子电池电解液", "H01M 10/0567"),
    ("锂离子电池负极材料", "H01M 4/13"),
    ("一种钠离子电池隔膜", "H01M 50/403"),
    ("一种水稻种植用的自动灌溉装置", "A01G 25/02"),
    ("温室喷灌系统", "A01G 25/09"),
    ("分布式数据库查询优化方法", "G06F 16/2453"),
]


@pytest.fixture
def patents(operator, holder_a):
    made = {
        ipc: PatentFactory.create(
            actor=operator,
            title=title,
            ipc_codes=[ipc],
            holders=[holder_a],
        )
        for title, ipc in CORPUS
    }
    build_statistics(scheme=False)
    terms.clear_term_statistics()
    yield made
    terms.clear_term_statistics()


def test_a_conversational_demand_without_ipc_matches_in_its_suggested_subclass(
    client_for, sme, patents
):
    demand = {"title": SME_TEXT, "open": True}
    response = client_for(sme).post(DEMANDS, demand, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["ipc_codes"] == []
    suggested = created["suggested_ipc"]
    assert suggested[0]["code"] == "H01M"
    assert "电" in suggested[0]["title"]  # the scheme's Chinese title
    assert suggested[0]["title_en"]
    assert 0 < suggested[0]["score"] <= 1
    assert len(suggested) <= 3

    found = client_for(sme).get(f"{DEMANDS}{created['id']}/matches/").json()["results"]
    ids = [m["patent"]["id"] for m in found]
    h01m = {patents[code].pk for code in ("H01M 10/0567", "H01M 4/13", "H01M 50/403")}
    assert ids
    assert ids[0] == patents["H01M 10/0567"].pk  # the low-temperature electrolyte
    assert set(ids) <= h01m  # nothing from irrigation or databases
    best = found[0]["explanation"]
    component = next(c for c in best["components"] if c["name"] == "suggested_ipc")
    assert component["weight"] > 0
    assert component["value"] == 1.0
    assert component["reason_en"].startswith("suggested subclass H01M (")
    assert component["reason_zh"].startswith("建议分类 H01M（")
    ipc = next(c for c in best["components"] if c["name"] == "ipc")
    assert ipc["weight"] == 0  # the demand gave no codes
    # The conversation is not what matched.
    for match in found:
        matched = "".join(match["explanation"]["matched_terms"])
        for word in ("我们", "一家", "提高", "技术"):
            assert word not in matched

    # Stored: the suggestion, and its subclasses in the demand's topic (re-matching on
    # newly published offers).
    stored = TechnologyDemand.objects.get(pk=created["id"])
    assert stored.suggested_ipc == suggested
    assert "H01M" in stored.ipc_subclasses

    # The list shows the stored suggestion without a query per demand.
    listed = client_for(sme).get(DEMANDS).json()["results"]
    assert listed[0]["suggested_ipc"][0]["code"] == "H01M"


def test_accepting_a_suggested_code_replaces_the_suggestion(client_for, sme, patents):
    client = client_for(sme)
    created = client.post(DEMANDS, {"title": SME_TEXT, "open": True}, format="json").json()
    response = client.patch(
        f"{DEMANDS}{created['id']}/",
        {"ipc_codes": ["H01M"], "version": created["version"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["ipc_codes"] == ["H01M"]
    assert response.json()["suggested_ipc"] == []


def test_suggested_subclasses_cost_two_queries_whatever_the_limit(patents):
    terms.term_statistics()  # cached per process, as in a running server
    counts = []
    for limit in (1, 10):
        with CaptureQueriesContext(connection) as queries:
            found = matches.find_matches(MatchQuery(text=SME_TEXT), limit=limit)
        assert found
        counts.append(len(queries))
    # suggestion: statistics rows, scheme titles; candidates (no offers here)
    assert counts == [3, 3], counts
    given = MatchQuery(text=SME_TEXT, ipc_codes=("H01M",))
    with CaptureQueriesContext(connection) as queries:
        found = matches.find_matches(given, limit=10)
    assert len(queries) == 1  # codes given: no suggestion asked
    assert all(c.weight == 0 for m in found for c in m.components if c.name == "suggested_ipc")
