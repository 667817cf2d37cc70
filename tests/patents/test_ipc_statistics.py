"""The term-to-IPC statistics (``patents.search.ipc_statistics``), ``manage.py
build_ipc_statistics``, and ``suggest_ipc`` reading them (and falling back without them)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from enterprises.matching import ipc_suggestions
from patents.models import IpcTermStatistic
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from patents.search.ipc_statistics import TOTAL, build_statistics, document_terms, statistic_codes

pytestmark = pytest.mark.django_db


def count(term: str, code: str) -> tuple[int, int] | None:
    row = IpcTermStatistic.objects.filter(term=term, code=code).first()
    return (row.documents, row.scheme_titles) if row else None


def found(term: str, code: str) -> tuple[int, int]:
    row = count(term, code)
    assert row is not None, (term, code)
    return row


@pytest.fixture
def make(operator, holder_a):
    number = [130000000]

    def make(title: str, codes: list[str], **values):
        number[0] += 1
        return services.patent_create(
            actor=operator,
            data=PatentInput(
                values={
                    "publication_number": f"CN{number[0]}A",
                    "title": title,
                    "ipc_codes": codes,
                    "legal_status": "pending",
                    "filing_date": datetime.date(2021, 5, 1),
                    **values,
                },
                holdings=[HoldingInput(holder_a)],
            ),
        )

    return make


@pytest.fixture
def tiny(make):
    return {
        "cathode": make("锂电池正极", ["H01M 4/13", "H01M 10/0525"]),
        "separator": make("锂电池隔膜", ["H01M 2/16"], keywords=["隔膜"]),
        "nozzle": make("灌溉喷头", ["A01G 25/02", "B05B 1/00"]),
        "no_code": make("锂电池外壳", []),
    }


def test_document_terms_and_codes():
    assert {"锂电池", "电池", "锂电", "正极"} <= document_terms("锂电池正极", [], "")
    assert "隔膜" in document_terms("锂电池", ["隔膜"], "")
    assert statistic_codes(["H01M 10/0525", "H01M 4/13", "H01M", "bad"]) == [
        "H01M",
        "H01M 10/00",
        "H01M 4/00",
    ]


def test_build_counts_patents_per_term_and_code(tiny):
    report = build_statistics(scheme=False)
    assert report.patents == 3  # the patent without a code is not counted
    assert report.scheme_titles == 0
    assert report.rows == IpcTermStatistic.objects.count()
    assert count(TOTAL, TOTAL) == (3, 0)
    assert count(TOTAL, "H01M") == (2, 0)
    assert count(TOTAL, "H01M 10/00") == (1, 0)
    assert count("电池", TOTAL) == (2, 0)  # 外壳's patent has no code
    assert count("电池", "H01M") == (2, 0)  # counted once per patent, codes deduplicated
    assert count("电池", "H01M 4/00") == (1, 0)
    assert count("正极", "H01M 2/00") is None
    assert count("隔膜", "H01M") == (1, 0)  # title and keyword: one patent
    assert count("喷头", "B05B") == (1, 0)
    assert count("喷头", "B05B 1/00") == (1, 0)
    # A rebuild replaces the table, and drops pairs under the minimum (totals stay).
    report = build_statistics(scheme=False, min_documents=2)
    assert count("电池", "H01M") == (2, 0)
    assert count("喷头", "B05B") is None
    assert count(TOTAL, TOTAL) == (3, 0)
    assert report.rows == IpcTermStatistic.objects.count()


def test_build_counts_the_scheme_titles(db):
    report = build_statistics()
    assert report.patents == 0
    assert report.scheme_titles > 8000  # subclasses and main groups of IPC 2026.01
    documents, titles = found("电池", "H01M")
    assert documents == 0
    assert titles >= 2  # the subclass title (电池组) and main groups such as 10/00
    assert found("电池", "H01M 10/00")[1] == 1  # its own title only
    assert found("batteri", "H01M")[1] >= 1  # English titles too, by their English stem
    # References to other places are cut out of the titles: 入A01C5/00 counts for nothing.
    assert count("a01c5", "A01B") is None


def test_suggest_ipc_from_the_statistics(tiny, make):
    for title in ("锂离子电池负极", "锂电池电解液", "锂电池极片"):
        make(title, ["H01M 4/13"])
    make("滴灌灌溉系统", ["A01G 25/16"])
    assert ipc_suggestions.suggest_ipc("锂电池隔膜")[0].method == "neighbours"  # not built yet
    build_statistics()
    suggestions = ipc_suggestions.suggest_ipc("锂电池复合隔膜", limit=10)
    best = suggestions[0]
    assert (best.code, best.level, best.method) == ("H01M", "subclass", "statistics")
    assert best.supporting_patents == 5  # 电池 (and 锂电 ...) in five H01M patents
    assert "电" in best.title
    assert 0 < best.score <= 1
    assert sum(s.score for s in suggestions if s.level == "subclass") <= 1.0 + 1e-9
    groups = [s for s in suggestions if s.level == "group"]
    assert all(s.score <= best.score for s in groups)
    # Two irrigation patents against the scheme's irrigation titles (E02B, A01G ...).
    assert "A01G" in [s.code for s in ipc_suggestions.suggest_ipc("农田滴灌灌溉", limit=3)]
    assert ipc_suggestions.suggest_ipc("一种 涉及") == []  # boilerplate only


def test_suggest_ipc_leaves_excluded_patents_out_of_the_counts(make):
    only = make("锆钛酸铅陶瓷", ["C04B 35/491"])
    make("农田灌溉喷头", ["A01G 25/02"])
    build_statistics(scheme=False)
    assert ipc_suggestions.suggest_ipc("锆钛酸铅")[0].code == "C04B"
    # Held out, the only patent with these words no longer suggests its own code; with
    # nothing left in the statistics for them, the neighbours' vote answers (and finds
    # nothing either, the patent being excluded there too).
    assert ipc_suggestions.suggest_ipc("锆钛酸铅", exclude_patent_ids=frozenset({only.id})) == []


def test_suggest_ipc_falls_back_to_the_neighbours_vote(tiny, make):
    assert not IpcTermStatistic.objects.exists()
    suggestions = ipc_suggestions.suggest_ipc("锂电池隔膜", limit=5)
    assert suggestions[0].code == "H01M"
    assert {s.method for s in suggestions} == {"neighbours"}
    # Built, but none of the text's terms is in the statistics (a patent added since):
    # the neighbours answer too.
    build_statistics(scheme=False)
    make("钛合金锻件", ["C22C 14/00"])
    suggestions = ipc_suggestions.suggest_ipc("钛合金锻件", limit=5)
    assert (suggestions[0].code, suggestions[0].method) == ("C22C", "neighbours")
    assert ipc_suggestions.suggest_ipc("锂电池外壳", limit=5)[0].method == "statistics"


def test_build_ipc_statistics_command(tiny):
    out = io.StringIO()
    call_command("build_ipc_statistics", "--min-documents", "1", "--chunk-size", "2", stdout=out)
    assert "build_ipc_statistics:" in out.getvalue()
    assert " rows from 3 patents and " in out.getvalue()
    assert found("电池", "H01M")[0] == 2  # chunks of two patents add up
    assert found(TOTAL, TOTAL)[0] == 3
