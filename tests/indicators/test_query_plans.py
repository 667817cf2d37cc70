"""Each aggregate of ``indicators.compute`` can be answered from an index of migration
``indicators 0002``: with sequential scans priced out, the plan of every query reads one of
them and no table whole. On this test's few rows two indexes may serve the same query equally
well (the valid inventions' can be read through the grants' index), so the plan may name
either of the indexes made for the group's table; at a million patents the planner chooses
them by itself (a region's or a year's share of the rows)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.compute import GROUPS
from indicators.definitions import Group

pytestmark = pytest.mark.django_db

EXPECTED = {
    Group.GRANTS: "indicators_patent_grants",
    Group.VALID: ("indicators_patent_inventions", "indicators_patent_grants"),
    Group.PCT: "indicators_patent_pct",
    Group.LICENCES: "indicators_licence_recorded",
    Group.PLEDGES: "indicators_pledge_registered",
    Group.INQUIRIES: "indicators_inquiry_responded",
    Group.DEALS: "indicators_licence_contract",
}


@pytest.mark.parametrize("group", list(Group))
@pytest.mark.parametrize("region", ["310000", "310115"])
def test_every_aggregate_reads_its_index(group, region):
    with CaptureQueriesContext(connection) as captured:
        GROUPS[group](region, [2022, 2023])
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    expected = EXPECTED[group]
    assert any(name in plan for name in ([expected] if isinstance(expected, str) else expected)), (
        plan
    )
    assert "Seq Scan" not in plan, plan
