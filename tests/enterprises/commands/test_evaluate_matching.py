"""``manage.py evaluate_matching`` on a small constructed corpus: well-formed figures, and
high accuracy where the answer is easy (so that a broken engine fails this test)."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command

from enterprises.matching import terms
from patents.search.ipc_statistics import build_statistics
from tests.factories import PatentFactory

pytestmark = pytest.mark.django_db

CLUSTERS = {
    "H01M 10/0525": [
        "锂离子电池正极材料",
        "锂离子电池负极片",
        "锂离子电池电解液",
        "锂离子电池隔膜",
    ],
    "A01G 25/02": ["农田喷灌喷头", "果园喷灌系统", "温室喷灌装置", "喷灌用旋转喷头"],
    "G06F 16/00": ["数据库索引查询", "分布式数据库查询", "数据库查询优化", "数据库索引结构"],
    "B65G 47/00": ["物流输送带分拣", "快递输送带装置", "输送带分拣机构", "皮带输送带纠偏"],
}
LINE = {
    "suggest_ipc[title]": r"suggest_ipc\[title\] n=(\d+) top1_any=([\d.]+)% top3_any=([\d.]+)% "
    r"top1_main=([\d.]+)% top3_main=([\d.]+)%",
    "find_matches": r"find_matches\[title\] n=(\d+) top10_in_main_subclass=([\d.]+)%",
    "latency": r"latency\[(\w+)\] n=(\d+) median=([\d.]+)ms p95=([\d.]+)ms",
}


@pytest.fixture
def easy_corpus(operator, holder_a):
    for code, titles in CLUSTERS.items():
        for title in titles:
            PatentFactory.create(
                actor=operator,
                publication_only=True,
                title=title,
                ipc_codes=[code],
                pending=True,
                filing_date=datetime.date(2021, 5, 1),
                holders=[holder_a],
            )
    terms.clear_term_statistics()
    yield
    terms.clear_term_statistics()


@pytest.mark.parametrize("method", ["statistics", "neighbours"])
def test_evaluate_matching_prints_well_formed_high_figures(easy_corpus, method):
    if method == "statistics":
        build_statistics()  # with the scheme's titles, as seed builds them
    out = io.StringIO()
    call_command("evaluate_matching", "--sample", "16", "--seed", "3", stdout=out)
    text = out.getvalue()
    suggest = re.search(LINE["suggest_ipc[title]"], text)
    assert suggest, text
    n, top1, top3, _top1_main, top3_main = suggest.groups()
    assert int(n) == 16
    assert float(top3) >= 90.0, text  # every title shares a distinctive word with its cluster
    assert float(top3_main) >= 90.0, text
    assert float(top1) >= 75.0, text
    methods = re.search(r"suggest_ipc\[title\] methods: (.*)", text)
    assert methods, text
    assert f"{method}=16" in methods.group(1).split(), text
    matches = re.search(LINE["find_matches"], text)
    assert matches, text
    assert float(matches.group(2)) >= 60.0, text
    latencies = {
        name: (float(median), float(p95))
        for name, _n, median, p95 in re.findall(LINE["latency"], text)
    }
    assert set(latencies) == {"suggest_title", "matches"}, text  # no abstracts here
    assert all(0 <= median <= p95 for median, p95 in latencies.values())


def test_evaluate_matching_on_judged_demands(easy_corpus, tmp_path):
    build_statistics()
    judged = tmp_path / "judged.jsonl"
    judged.write_text(
        "\n".join(
            json.dumps({"id": f"d{i}", "industry": "-", "text": text, "subclasses": codes})
            for i, (text, codes) in enumerate(
                [
                    ("我们是一家电池厂，想找能提高锂离子电池电解液性能的技术", ["H01M"]),
                    ("本公司做物流，希望引进输送带分拣的技术", ["B65G"]),
                    ("我们是农场，需要果园喷灌的设备", ["A01G"]),
                ]
            )
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("evaluate_matching", "--judged", str(judged), stdout=out)
    text = out.getvalue()
    found = re.search(
        r"find_matches\[judged\] n=3 zero_match=([\d.]+)% precision@10_subclass=([\d.]+)% "
        r"relevant_in_top10=([\d.]+)%",
        text,
    )
    assert found, text
    zero, precision, relevant = map(float, found.groups())
    assert zero == 0.0, text
    assert relevant == 100.0, text
    assert precision >= 60.0, text
    suggest = re.search(r"suggest_ipc\[judged\] n=3 top1=([\d.]+)% top3=([\d.]+)%", text)
    assert suggest, text
    assert float(suggest.group(2)) == 100.0, text


HELDOUT = (
    r"ipc_methods\[(?P<label>[\w-]+)\] method=(?P<method>\w+) n=(?P<n>\d+) "
    r"top1=(?P<top1>[\d.]+)% top3=(?P<top3>[\d.]+)%"
)


def test_evaluate_matching_held_out_compares_the_model_with_the_statistics(
    easy_corpus, operator, holder_a, tmp_path, monkeypatch
):
    """A model trained without the held-out tenth (patent numbers hashed) against the
    statistics on their titles, and on judged demands. The scheme's titles are left out
    here (they would make training take a minute)."""
    from patents.search import ipc_model

    monkeypatch.setattr(ipc_model, "scheme_examples", lambda: [])
    # More titles, so that the held-out tenth holds some.
    for code, titles in CLUSTERS.items():
        for title in titles:
            for suffix in ("及其制备方法", "的控制方法", "用装置"):
                PatentFactory.create(
                    actor=operator,
                    publication_only=True,
                    title=title + suffix,
                    ipc_codes=[code],
                    pending=True,
                    filing_date=datetime.date(2021, 5, 1),
                    holders=[holder_a],
                )
    build_statistics()
    judged = tmp_path / "judged.jsonl"
    judged.write_text(
        json.dumps(
            {
                "id": "d1",
                "industry": "-",
                "text": "我们想找锂离子电池电解液",
                "subclasses": ["H01M"],
            }
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("evaluate_matching", "--heldout", "--judged", str(judged), stdout=out)
    text = out.getvalue()
    held = re.search(r"held out (\d+) of 64 labelled patents", text)
    assert held, text
    assert int(held.group(1)) > 0, text
    rows = {(m["label"], m["method"]): m for m in re.finditer(HELDOUT, text)}
    for label in ("heldout-title", "judged"):
        for method in ("statistics", "model", "answered"):
            assert (label, method) in rows, text
    assert float(rows[("heldout-title", "model")]["top3"]) >= 75.0, text
    assert float(rows[("judged", "model")]["top1"]) == 100.0, text
    assert re.search(r"ipc_methods\[heldout-title\] answered_by: model=\d+", text), text
    assert re.search(r"latency\[heldout-title:model\] n=\d+ median=[\d.]+ms", text), text
