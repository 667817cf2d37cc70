"""The matching engine: component functions, find_matches, suggest_ipc, similar patents."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.matching import candidates, ipc_suggestions, matches, scoring, terms
from enterprises.matching.matches import MatchQuery
from patents.models import Patent
from patents.search.ipc_statistics import build_statistics
from tests.factories import OfferFactory, PatentFactory

TODAY = datetime.date(2026, 1, 1)


# --- Pure component functions -------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "patent", "level", "value"),
    [
        (["H01M 10/0525"], ["H01M 10/058"], "group", 1.0),  # same main group 10/00
        (["H01M 10/0525"], ["H01M 4/13"], "subclass", 0.75),
        (["H01M 10/0525"], ["H01B 1/04"], "class", 0.5),
        (["H01M 10/0525"], ["H02J 7/00"], "section", 0.25),
        (["H01M 10/0525"], ["A61K 9/00"], "none", 0.0),
        (["H01M"], ["H01M 10/0525"], "subclass", 0.75),  # a subclass shares at most a subclass
        (["H01"], ["H01M 10/0525"], "class", 0.5),
        (["A61K 9/00", "H01M 4/00"], ["H01M 4/13"], "group", 1.0),  # the best pair counts
        (["not a code"], ["H01M 4/13"], "none", 0.0),
    ],
)
def test_ipc_closeness_orders_group_subclass_class_section_none(query, patent, level, value):
    assert scoring.ipc_closeness_level(query, patent) == level
    assert scoring.ipc_value(query, patent) == value


def test_legal_status_values_and_terminated_patents_score_zero():
    assert scoring.legal_status_value("in_force") == 1.0
    assert scoring.legal_status_value("in_grace_period") == 0.6
    assert scoring.legal_status_value("pending") == 0.5
    for status in ("lapsed", "expired", "invalidated", "withdrawn", "rejected"):
        assert scoring.legal_status_value(status) == 0.0


def test_remaining_life():
    assert scoring.remaining_life_value(None, TODAY) == 0.5
    assert scoring.remaining_life_value(datetime.date(2025, 1, 1), TODAY) == 0.0
    assert scoring.remaining_life_value(datetime.date(2046, 1, 1), TODAY) == 1.0
    assert scoring.remaining_life_value(datetime.date(2031, 1, 1), TODAY) == pytest.approx(
        0.5, abs=0.001
    )


def test_budget_fit_and_offer_value():
    low, high = Decimal("100000"), Decimal("200000")
    assert scoring.budget_fit(Decimal("150000"), low, high) == 1.0  # within
    assert scoring.budget_fit(Decimal("50000"), low, high) == 1.0  # cheaper is fine
    assert scoring.budget_fit(Decimal("300000"), low, high) == 0.5  # 50 % over
    assert scoring.budget_fit(Decimal("400000"), low, high) == 0.0  # twice the maximum
    assert scoring.budget_fit(None, low, high) == 0.5  # negotiable against a budget
    assert scoring.budget_fit(Decimal("9"), None, None) == 1.0  # no budget stated
    assert scoring.offer_value(None, None, (), None, None) == 0.0  # no offer
    assert scoring.offer_value("ordinary", None, ("assignment",), None, None) == 0.0
    assert scoring.offer_value("assignment", Decimal("150000"), ("assignment",), low, high) == 1.0


def test_region_value_uses_prefixes():
    assert scoring.region_value("310115", ["31"]) == 1.0
    assert scoring.region_value("310115", ["310000"]) == 1.0
    assert scoring.region_value("310115", ["310110"]) == 0.5  # same province
    assert scoring.region_value("440305", ["310000"]) == 0.0
    assert scoring.region_value(None, ["310000"]) == 0.0


def test_weights_rescale_over_the_applicable_components():
    weights = scoring.effective_weights(["text", "offer"])
    assert weights["ipc"] == 0.0
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["text"] / weights["offer"] == pytest.approx(
        scoring.WEIGHTS["text"] / scoring.WEIGHTS["offer"]
    )
    # suggested_ipc stands in for ipc when a demand gives no codes, never beside it.
    table = {name: weight for name, weight in scoring.WEIGHTS.items() if name != "suggested_ipc"}
    assert sum(table.values()) == pytest.approx(1.0)
    assert 0 < scoring.WEIGHTS["suggested_ipc"] < scoring.WEIGHTS["ipc"]


def test_query_terms_skip_boilerplate_and_single_characters():
    lexemes = [term.lexeme for term in terms.query_terms("一种锂离子电池及其制备方法 LED")]
    assert "锂离子" in lexemes
    assert "电池" in lexemes
    assert "led" in lexemes
    assert "一种" not in lexemes
    assert "种锂" not in lexemes
    assert "及其" not in lexemes
    assert all(len(lexeme) > 1 for lexeme in lexemes)


# --- Selectors over real patents ----------------------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_statistics():
    terms.clear_term_statistics()
    yield
    terms.clear_term_statistics()


@pytest.fixture
def corpus(db, operator, holder_a):
    def make(number: str, title: str, codes: list[str], legal_status: str = "in_force"):
        """Numbered by publication only, not dated; granted 2022-01-04 when in force."""
        return PatentFactory.create(
            actor=operator,
            application_number=None,
            publication_number=number,
            title=title,
            ipc_codes=codes,
            filing_date=None,
            grant_date=datetime.date(2022, 1, 4) if legal_status == "in_force" else None,
            legal_status=legal_status,
            holders=[holder_a],
        )

    return {
        "group": make("CN110000001A", "一种锂离子电池正极材料及其制备方法", ["H01M 10/0525"]),
        "class_only": make("CN110000002A", "一种锂离子电池包装箱", ["H01B 7/00"]),
        "other": make("CN110000003A", "一种农业灌溉喷头", ["A01G 25/02"]),
        "lapsed": make(
            "CN110000004A", "锂离子电池正极材料", ["H01M 10/0525"], legal_status="lapsed"
        ),
        "battery_2": make("CN110000005A", "锂离子电池负极材料", ["H01M 4/13"]),
        "battery_3": make("CN110000006A", "锂离子电池电解液", ["H01M 10/056"]),
        "irrigation_2": make("CN110000007A", "滴灌灌溉系统", ["A01G 25/16"]),
        "irrigation_3": make("CN110000008A", "农田灌溉喷头装置", ["A01G 25/02", "B05B 1/00"]),
    }


def test_find_matches_ranks_text_and_same_group_above_class_level(corpus):
    found = matches.find_matches(
        MatchQuery(text="锂离子电池正极材料", ipc_codes=("H01M 10/0525",)), limit=10
    )
    ids = [match.patent_id for match in found]
    assert ids.index(corpus["group"].id) < ids.index(corpus["class_only"].id)
    best = found[0]
    assert best.patent_id == corpus["group"].id
    assert "正极材料" in best.matched_terms or "正极" in best.matched_terms
    assert {c.name for c in best.components} == set(scoring.COMPONENTS)
    assert 0 <= best.score <= 100
    assert best.reason_en
    assert best.reason_zh
    data = best.as_json()
    assert data["patent_id"] == best.patent_id
    assert len(data["components"]) == 8  # suggested_ipc is there, weight 0 with IPC codes
    assert corpus["lapsed"].id not in ids  # terminated patents are never matched
    assert corpus["other"].id not in ids


def test_excluded_patents_are_absent(corpus):
    query = MatchQuery(text="锂离子电池", exclude_patent_ids=frozenset({corpus["group"].id}))
    ids = [match.patent_id for match in matches.find_matches(query)]
    assert corpus["group"].id not in ids
    assert corpus["battery_2"].id in ids


def test_ipc_codes_alone_bring_candidates(corpus):
    ids = [m.patent_id for m in matches.find_matches(MatchQuery(text="", ipc_codes=("A01G",)))]
    assert set(ids) == {corpus["other"].id, corpus["irrigation_2"].id, corpus["irrigation_3"].id}


def test_wanted_offer_type_and_budget_pick_the_offer(corpus, operator):
    patent = corpus["group"]

    def published(offer_type, price):
        """A published offer of the patent at a lump sum, without term or royalty."""
        return OfferFactory.create(
            patents=[patent],
            reviewer=operator,
            status="published",
            offer_type=offer_type,
            title=f"{offer_type} offer",
            pricing_mode="lump_sum",
            lump_sum_cny=price,
            royalty_rate=None,
            term_start=None,
            term_end=None,
        )

    ordinary = published("ordinary", Decimal("50000"))
    assignment = published("assignment", Decimal("900000"))
    cheap_assignment = published("assignment", Decimal("150000"))
    query = MatchQuery(
        text="锂离子电池正极材料",
        wanted_offer_types=("assignment",),
        budget_min=Decimal("100000"),
        budget_max=Decimal("200000"),
    )
    match = next(m for m in matches.find_matches(query) if m.patent_id == patent.id)
    assert match.offer_id == cheap_assignment.id
    assert match.offer_id not in (ordinary.id, assignment.id)
    offer = next(c for c in match.components if c.name == "offer")
    assert offer.value == 1.0
    # Only an unwanted type: no offer is chosen and the component is 0.
    query = MatchQuery(text="锂离子电池正极材料", wanted_offer_types=("equity_contribution",))
    match = next(m for m in matches.find_matches(query) if m.patent_id == patent.id)
    assert match.offer_id is None
    assert next(c for c in match.components if c.name == "offer").value == 0.0


def test_suggest_ipc_returns_the_right_subclass(corpus):
    suggestions = ipc_suggestions.suggest_ipc("锂离子电池隔膜", limit=5)
    assert suggestions[0].code == "H01M"
    assert suggestions[0].level == "subclass"
    assert suggestions[0].supporting_patents >= 3
    assert "电" in suggestions[0].title  # the scheme's Chinese title
    assert 0 < suggestions[0].score <= 1
    assert ipc_suggestions.suggest_ipc("喷灌灌溉设备", limit=3)[0].code == "A01G"
    assert ipc_suggestions.suggest_ipc("一种 涉及") == []  # boilerplate only


def test_similar_patents_exclude_the_patent_itself(corpus):
    found = matches.similar_patents(corpus["group"].id, limit=5)
    ids = [m.patent_id for m in found]
    assert corpus["group"].id not in ids
    assert ids[0] in (corpus["battery_2"].id, corpus["battery_3"].id)
    assert matches.similar_patents(10**9) == []


@pytest.fixture
def window_of_one(monkeypatch, operator, holder_a):
    """One candidate per query; an older patent with every word of the query in its title,
    and two newer ones sharing one word."""
    monkeypatch.setattr(candidates, "CANDIDATE_WINDOW", 1)  # PostgreSQL's window
    monkeypatch.setattr(candidates, "TEXT_CANDIDATES", 1)  # the engine's best
    make = lambda number, title: PatentFactory.create(  # noqa: E731
        actor=operator, publication_number=number, title=title, holders=[holder_a]
    )
    best = make("CN110000011A", "固态电解质薄膜沉积工艺")
    make("CN110000012A", "一种薄膜包装袋")
    newest = make("CN110000013A", "薄膜开关面板")
    return best, newest


def _candidate_ids(text: str) -> list[int]:
    return [
        c.id for c in candidates.find_candidates(terms.query_terms(text), terms.term_statistics())
    ]


def test_matching_draws_the_best_text_matches_from_the_search_engine(window_of_one):
    best, _newest = window_of_one
    assert _candidate_ids("固态电解质薄膜沉积") == [best.id]
    found = matches.find_matches(MatchQuery(text="固态电解质薄膜沉积"), limit=5)
    assert [m.patent_id for m in found] == [best.id]


def test_without_the_engine_postgresql_gives_the_newest_matches_of_the_rarest_terms(
    window_of_one, settings
):
    settings.SEARCH_ENGINE = False
    _best, newest = window_of_one
    assert _candidate_ids("固态电解质薄膜沉积") == [newest.id]


# --- HTTP API -----------------------------------------------------------------------------
SUGGEST = "/api/v1/ipc/suggest/"


def test_suggest_endpoint(anonymous, corpus):
    response = anonymous.get(SUGGEST, {"text": "锂离子电池隔膜", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body[0]["code"] == "H01M"
    assert body[0]["level"] == "subclass"
    assert len(body) <= 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "电" * 501}, "text"),
        ({"text": "一种 本发明"}, "text"),
        ({"text": "电池", "limit": 0}, "limit"),
        ({"text": "电池", "limit": 51}, "limit"),
        ({"text": "电池", "limit": "ten"}, "limit"),
    ],
)
def test_suggest_rejects_bad_input_naming_the_field(client_for, db, params, field):
    for language, marker in (("en", "e"), ("zh-hans", None)):
        response = client_for(language=language).get(SUGGEST, params)
        assert response.status_code == 400
        assert [error["field"] for error in response.json()["errors"]] == [field]
        message = response.json()["errors"][0]["message"]
        if marker is None:
            assert any("\u4e00" <= char <= "\u9fff" for char in message)


def test_similar_endpoint_with_summaries_and_explanations(anonymous, corpus):
    url = f"/api/v1/patents/{corpus['group'].id}/similar/"
    response = anonymous.get(url, {"limit": 5})
    assert response.status_code == 200
    rows = response.json()
    assert rows
    assert corpus["group"].id not in [row["id"] for row in rows]
    first = rows[0]
    assert first["holders"][0]["name"] == "甲大学"
    assert first["ipc_codes"]
    assert first["title"]
    assert first["explanation"]["patent_id"] == first["id"]
    assert {c["name"] for c in first["explanation"]["components"]} == set(scoring.COMPONENTS)


def test_similar_endpoint_404_and_400(anonymous, corpus, operator):
    assert anonymous.get("/api/v1/patents/999999999/similar/").status_code == 404
    deleted = corpus["other"]
    Patent.all_objects.filter(pk=deleted.pk).update(deleted_at=datetime.datetime.now(datetime.UTC))
    assert anonymous.get(f"/api/v1/patents/{deleted.pk}/similar/").status_code == 404
    response = anonymous.get(f"/api/v1/patents/{corpus['group'].id}/similar/", {"limit": 0})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


def test_query_counts_do_not_grow_with_the_results(anonymous, corpus):
    terms.term_statistics()  # cached per process, as in a running server
    url = f"/api/v1/patents/{corpus['group'].id}/similar/"
    for limit in (1, 5):
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get(url, {"limit": limit})
        assert response.status_code == 200
        # exists; the patent's text; candidates; summaries; current holders
        assert len(queries) == 5, [q["sql"][:120] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        assert anonymous.get(SUGGEST, {"text": "锂离子电池"}).status_code == 200
    # the statistics (not built: the fallback); candidates; the scheme's titles
    assert len(queries) == 3, [q["sql"][:120] for q in queries]
    build_statistics(scheme=False)
    with CaptureQueriesContext(connection) as queries:
        assert anonymous.get(SUGGEST, {"text": "锂离子电池"}).status_code == 200
    assert len(queries) == 2, [q["sql"][:120] for q in queries]  # statistics; titles
