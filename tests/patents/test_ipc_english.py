"""English works where the data has English: IPC title search by English stem, and IPC
suggestions learnt from the English titles of the scheme (and of patents), over the
seeded IPC scheme. Chinese answers are unchanged."""

import datetime
import io

import pytest
from django.core.management import call_command

from patents.models import IpcClass, IpcTermStatistic
from patents.register import services
from patents.register.services import HoldingInput, PatentInput

pytestmark = pytest.mark.django_db

IPC = "/api/v1/ipc/"
SUGGEST = "/api/v1/ipc/suggest/"


def symbols(response):
    assert response.status_code == 200, response.json()
    assert response.json()["next"] is None  # the whole answer is on the page
    return [row["symbol"] for row in response.json()["results"]]


def build_statistics():
    call_command("build_ipc_statistics", stdout=io.StringIO())


def codes(response):
    assert response.status_code == 200, response.json()
    return [row["code"] for row in response.json()]


# --- /api/v1/ipc/?q= --------------------------------------------------------------------------
def test_english_words_find_titles_by_their_stem(anonymous):
    found = symbols(anonymous.get(IPC, {"q": "lithium battery", "page_size": 100}))
    assert "H01M 10/0525" in found  # "Rocking-chair batteries, i.e. batteries with lithium …"
    assert all(symbol.startswith("H01M") for symbol in found)
    assert "H01M 10/0525" in symbols(anonymous.get(IPC, {"q": "lithium ion battery"}))
    # Singular and plural find the same titles, among them the subclass H01M (BATTERIES).
    battery = symbols(anonymous.get(IPC, {"q": "battery", "page_size": 100}))
    assert battery == symbols(anonymous.get(IPC, {"q": "Batteries", "page_size": 100}))
    assert "H01M" in battery


def test_english_function_words_are_skipped_beside_other_words(anonymous):
    with_for = symbols(anonymous.get(IPC, {"q": "batteries for vehicles", "page_size": 100}))
    assert with_for == symbols(anonymous.get(IPC, {"q": "batteries vehicles", "page_size": 100}))
    assert with_for
    assert {"B60K 1/04", "B60L 50/64"} <= set(with_for)  # batteries of vehicles


def test_chinese_title_search_is_unchanged(anonymous):
    assert symbols(anonymous.get(IPC, {"q": "锂离子电池"})) == ["H01M 10/0525"]
    found = symbols(anonymous.get(IPC, {"q": "电池 燃料", "page_size": 100}))
    expected = list(
        IpcClass.objects.filter(title_zh__contains="电池")
        .filter(title_zh__contains="燃料")
        .order_by("key")
        .values_list("symbol", flat=True)
    )
    assert found == expected
    assert expected


# --- /api/v1/ipc/suggest/ ---------------------------------------------------------------------
def test_english_text_is_suggested_the_subclass_its_english_titles_name(anonymous, patent_a):
    build_statistics()  # the scheme's titles, and one Chinese patent (H01M)
    assert codes(anonymous.get(SUGGEST, {"text": "lithium ion battery"}))[0] == "H01M"
    assert codes(anonymous.get(SUGGEST, {"text": "lithium batteries"}))[0] == "H01M"
    assert codes(anonymous.get(SUGGEST, {"text": "solid electrolyte for batteries"}))[0] == "H01M"
    # English terms are counted by their stem (batteries and battery are one term).
    assert IpcTermStatistic.objects.get(term="batteri", code="H01M").scheme_titles > 10
    assert not IpcTermStatistic.objects.filter(term="batteries").exists()
    # Chinese: the same subclass, from the Chinese titles.
    assert codes(anonymous.get(SUGGEST, {"text": "锂离子电池"}))[0] == "H01M"


def test_the_statistics_learn_english_from_patents_too(anonymous, operator, holder_a, patent_a):
    services.patent_create(
        actor=operator,
        data=PatentInput(
            values={
                "publication_number": "CN130000001A",
                "title": "一种新型喷头",
                "title_en": "Sprinkler nozzle with a rotating swirlplate",
                "ipc_codes": ["B05B 3/04"],
                "legal_status": "pending",
                "filing_date": datetime.date(2021, 5, 1),
            },
            holdings=[HoldingInput(holder_a)],
        ),
    )
    build_statistics()
    assert IpcTermStatistic.objects.get(term="swirlplat", code="B05B").documents == 1
    best = anonymous.get(SUGGEST, {"text": "swirlplates"}).json()[0]
    assert (best["code"], best["method"], best["supporting_patents"]) == ("B05B", "statistics", 1)
