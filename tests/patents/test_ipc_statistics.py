"""The term-to-IPC statistics (``patents.search.ipc_statistics``) and ``manage.py
build_ipc_statistics``; ``suggest_ipc`` reading them is tested beside it, in
``tests/enterprises/test_ipc_suggestions.py``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from patents.models import IpcTermStatistic
from patents.search.ipc_statistics import TOTAL, build_statistics, document_terms, statistic_codes
from tests.support.corpora import pending_patent_maker, tiny_corpus

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
    return pending_patent_maker(operator, holder_a)


@pytest.fixture
def tiny(make):
    return tiny_corpus(make)


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


def test_build_ipc_statistics_command(tiny):
    out = io.StringIO()
    call_command("build_ipc_statistics", "--min-documents", "1", "--chunk-size", "2", stdout=out)
    assert "build_ipc_statistics:" in out.getvalue()
    assert " rows from 3 patents and " in out.getvalue()
    assert found("电池", "H01M")[0] == 2  # chunks of two patents add up
    assert found(TOTAL, TOTAL)[0] == 3
