"""The load test's traffic mix and report, and a short run of it against a live server.

The run uses the in-process live server over the test's transaction (``tests.support.live``)
with one client, so it sees the records the test made and rolls them back; ``manage.py
load`` itself runs gunicorn over a seeded database (docs/benchmarks.md has its figures).
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from accounts.services.tokens import token_create
from conversion_db import loadtest
from conversion_db.management.commands.load import database_sample
from tests.factories import OfferFactory, PatentFactory


def test_the_mix_is_70_percent_searches_20_details_and_10_writes():
    shares = Counter[str]()
    for kind, _, weight in loadtest.MIX:
        shares[kind] += weight
    assert shares == {loadtest.SEARCH: 70, loadtest.DETAIL: 20, loadtest.WRITE: 10}

    rng = random.Random(3)
    drawn = Counter(loadtest.choose(rng)[0] for _ in range(20_000))
    assert drawn[loadtest.SEARCH] / 20_000 == pytest.approx(0.70, abs=0.02)
    assert drawn[loadtest.WRITE] / 20_000 == pytest.approx(0.10, abs=0.02)


def test_the_report_has_percentiles_per_class_and_counts_errors_by_status():
    totals = {kind: loadtest.Tally() for kind in loadtest.CLASSES}
    for ms in range(1, 101):
        totals[loadtest.SEARCH].add(float(ms), 200)
    totals[loadtest.DETAIL].add(5.0, 404, {"status": 404}, "/api/v1/patents/1/")
    totals[loadtest.WRITE].add(7.0, 503)

    rows = loadtest.report(totals, seconds=10)

    assert list(rows) == [*loadtest.CLASSES, "all"]
    assert rows[loadtest.SEARCH] == {
        "requests": 100,
        "per_second": 10.0,
        "p50": 51.0,  # nearest rank
        "p95": 95.0,
        "p99": 99.0,
        "errors": {},
        "examples": {},
    }
    assert rows["all"]["requests"] == 102
    assert rows["all"]["errors"] == {"404": 1, "503": 1}
    assert rows[loadtest.DETAIL]["examples"]["404"].startswith("/api/v1/patents/1/ ")
    assert loadtest.server_errors(rows) == 1  # the 503; a 404 is the client's
    lines = loadtest.table(rows)
    assert lines[0].startswith("| class | requests |")
    assert "| write | 1 | 0.1 | 7 | 7 | 7 | 503: 1 |" in lines


def test_a_short_run_against_the_api_answers_every_class_without_a_5xx(
    live_api, operator, holder_a, patent_a
):
    other = PatentFactory.create(actor=operator, holders=[holder_a], title="一种固态电解质")
    OfferFactory.create(patents=[other], actor=operator, reviewer=operator, status="published")
    _, key = token_create(actor=operator, name="load test", days=1)
    port = int(live_api.rsplit(":", 1)[1])

    totals = loadtest.run(
        port=port, sample=database_sample(), token=key, clients=1, seconds=3, seed=5
    )
    rows = loadtest.report(totals, seconds=3)

    assert all(rows[kind]["requests"] > 0 for kind in loadtest.CLASSES), rows
    assert rows["all"]["errors"] == {}, rows["all"]["examples"]
    assert loadtest.server_errors(rows) == 0
