"""``suggest_ipc`` (``enterprises.matching.ipc_suggestions``) reading the term-to-IPC
statistics of ``patents.search.ipc_statistics``, and falling back to the neighbours' vote
without them."""

from __future__ import annotations

import pytest

from enterprises.matching import ipc_suggestions
from patents.models import IpcTermStatistic
from patents.search.ipc_statistics import build_statistics
from tests.support.corpora import pending_patent_maker, tiny_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(operator, holder_a):
    return pending_patent_maker(operator, holder_a)


@pytest.fixture
def tiny(make):
    return tiny_corpus(make)


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
