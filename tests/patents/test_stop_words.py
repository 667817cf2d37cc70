"""Stop words (patents.search.stopwords): what patent search, demand matching and IPC
suggestions ignore, seen through the API."""

import datetime

import pytest

from patents.models import Holder
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from patents.search import stopwords

pytestmark = pytest.mark.django_db

PATENTS = "/api/v1/patents/"
DEMANDS = "/api/v1/demands/"
SUGGEST = "/api/v1/ipc/suggest/"


@pytest.fixture
def catalogue(operator):
    company = Holder.objects.create(
        name="上海某新材料有限公司", kind="enterprise", region_id="310115"
    )
    meters = Holder.objects.create(name="上海某仪表有限公司", kind="enterprise", region_id="310112")

    def make(number, title, codes, holder, **values):
        return services.patent_create(
            actor=operator,
            data=PatentInput(
                values={
                    "application_number": number,
                    "title": title,
                    "ipc_codes": codes,
                    "filing_date": datetime.date(2019, 3, 21),
                    "grant_date": datetime.date(2021, 6, 1),
                    "legal_status": "in_force",
                    **values,
                },
                holdings=[HoldingInput(holder)],
            ),
        )

    return {
        "cathode_method": make(
            "201910209152.5", "一种锂离子电池正极材料的制备方法", ["H01M 4/13"], company
        ),
        "cathode": make("201610920041.1", "锂电池正极材料", ["H01M 4/13"], company),
        "thermocouple": make("201811490544.5", "一种反应釜用热电偶", ["G01K 7/02"], meters),
        "herbal": make("201110144387.4", "中药提取装置的可靠性检测", ["A61J 3/00"], company),
    }


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_boilerplate_before_a_word_searches_the_word(anonymous, catalogue):
    method = ids(anonymous.get(PATENTS, {"q": "方法"}))
    assert method == [catalogue["cathode_method"].pk]
    assert ids(anonymous.get(PATENTS, {"q": "一种方法"})) == method
    assert ids(anonymous.get(PATENTS, {"q": "本发明涉及一种方法"})) == method
    # A long query keeps its meaningful words, whatever boilerplate stands between them.
    assert ids(anonymous.get(PATENTS, {"q": "一种热电偶"})) == [catalogue["thermocouple"].pk]


def test_demand_phrasing_is_not_searched(anonymous, catalogue):
    cathode = ids(anonymous.get(PATENTS, {"q": "正极材料"}))
    assert set(cathode) == {catalogue["cathode_method"].pk, catalogue["cathode"].pk}
    assert ids(anonymous.get(PATENTS, {"q": "我公司需要正极材料"})) == cathode
    assert ids(anonymous.get(PATENTS, {"q": "我们寻求热电偶相关技术"})) == [
        catalogue["thermocouple"].pk
    ]
    assert ids(anonymous.get(PATENTS, {"q": "we need thermocouple"})) == []  # no English text


def test_stop_words_never_cut_a_word_apart(anonymous, catalogue):
    # 中 and 可 are stop words on their own, not inside 中药 or 可靠性.
    herbal = [catalogue["herbal"].pk]
    assert ids(anonymous.get(PATENTS, {"q": "中药"})) == herbal
    assert ids(anonymous.get(PATENTS, {"q": "可靠性"})) == herbal
    # Documents keep every character and pair: a substring across boilerplate is found.
    assert ids(anonymous.get(PATENTS, {"q": "种锂离"})) == [catalogue["cathode_method"].pk]


def test_a_query_of_only_stop_words_is_a_400_naming_them(client_for, catalogue):
    english = client_for(language="en").get(PATENTS, {"q": "一种 我们需要 the"})
    assert english.status_code == 400
    error = english.json()["errors"][0]
    assert (error["field"], error["code"]) == ("q", "query_too_common")
    assert "一种、我们、需要、the" in error["message"]
    assert "more specific" in error["message"]
    chinese = client_for(language="zh-hans").get(PATENTS, {"q": "本发明涉及"})
    assert chinese.status_code == 400
    error = chinese.json()["errors"][0]
    assert error["code"] == "query_too_common"
    assert "本发明、涉及" in error["message"]
    assert "更具体" in error["message"]
    facets = client_for(language="en").get(PATENTS + "facets/", {"q": "公司 需要"})
    assert facets.status_code == 400
    assert facets.json()["errors"][0]["code"] == "query_too_common"


def test_matches_never_rest_on_the_demand_phrasing(client_for, sme, catalogue):
    demand = {
        "title": "我公司需要正极材料",
        "description": "希望引进一家公司的相关技术。",
        "open": True,
    }
    response = client_for(sme).post(DEMANDS, demand, format="json")
    assert response.status_code == 201, response.json()
    matches = client_for(sme).get(f"{DEMANDS}{response.json()['id']}/matches/").json()["results"]
    found = [m["patent"]["id"] for m in matches]
    assert set(found[:2]) == {catalogue["cathode_method"].pk, catalogue["cathode"].pk}
    # The thermocouple's holder is a 公司 too; that is no reason to suggest it.
    assert catalogue["thermocouple"].pk not in found
    for match in matches:
        terms = "".join(match["explanation"]["matched_terms"])
        assert "公司" not in terms
        assert "需要" not in terms


def test_ipc_suggestions_need_more_than_stop_words(client_for, catalogue):
    response = client_for(language="en").get(SUGGEST, {"text": "我们需要寻求相关技术"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("text", "query_too_common")
    assert client_for().get(SUGGEST, {"text": "我们需要正极材料"}).status_code == 200


# --- The lists as data -------------------------------------------------------------------
def test_every_stop_word_has_a_reason_and_the_index_drops_nothing_queries_keep():
    for name in ("FUNCTION_WORDS", "PATENT_BOILERPLATE", "DEMAND_PHRASING"):
        words = getattr(stopwords, name)
        assert words, name
        for word, reason in words.items():
            assert word == word.strip().lower(), (name, word)
            assert len(reason) > 3, (name, word)
    assert stopwords.INDEX_STOP_WORDS <= stopwords.QUERY_STOP_WORDS
    # Demand phrasing stays in documents (holder names end in 公司).
    assert not set(stopwords.DEMAND_PHRASING) & stopwords.INDEX_STOP_WORDS
    assert {"一种", "本发明", "涉及", "公开", "及其"} <= set(stopwords.PATENT_BOILERPLATE)
    assert {"我公司", "公司", "我们", "需要", "寻求", "希望", "引进", "想找", "一家"} <= set(
        stopwords.DEMAND_PHRASING
    )
    assert "方法" not in stopwords.QUERY_STOP_WORDS  # searched on purpose (docs/search.md)


# --- A demand's conversational and procurement words (matching only) ------------------------
SME_DEMAND = "我们是一家电池厂，想找能提高锂离子电池低温放电性能的电解液技术，欢迎高校转让或许可"


def test_matching_drops_a_demands_conversational_and_procurement_words():
    from enterprises.matching.terms import query_terms

    lexemes = {term.lexeme for term in query_terms(SME_DEMAND)}
    assert {"锂离子", "电池", "低温", "放电", "电解液"} <= lexemes
    for word in ("我们", "一家", "想找", "提高", "技术", "欢迎", "高校", "转让", "许可"):
        assert word not in lexemes, word


def test_the_conversation_list_is_data_with_reasons_and_search_keeps_it():
    words = stopwords.DEMAND_CONVERSATION
    assert {"提高", "能够", "企业", "转让", "许可", "专利", "欢迎"} <= set(words)
    for word, reason in words.items():
        assert word == word.strip().lower(), word
        assert len(reason) > 3, word
    assert stopwords.QUERY_STOP_WORDS <= stopwords.MATCHING_STOP_WORDS
    assert set(words) <= stopwords.MATCHING_STOP_WORDS
    # Patent search still searches them: 提高 and 转让 are fair search words.
    assert not (set(words) - set(stopwords.DEMAND_PHRASING)) & stopwords.QUERY_STOP_WORDS
    assert "方法" not in stopwords.MATCHING_STOP_WORDS


def test_a_factory_word_in_a_demand_counts_as_its_product_in_matching_only():
    from enterprises.matching.terms import query_terms
    from patents.search.text import parse_query, text_terms

    lexemes = [term.lexeme for term in query_terms("我们是一家电池厂，想找电解液")]
    assert "电池" in lexemes
    assert "电池厂" not in lexemes
    assert "池厂" not in lexemes
    assert "化工" in [term.lexeme for term in query_terms("我公司有一个化工厂")]
    # Search and the IPC statistics keep the word as written.
    assert parse_query("电池厂").terms == ("电池厂",)
    assert "电池厂" in [term.lexeme for term in text_terms("电池厂")]
