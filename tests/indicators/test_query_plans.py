"""Each aggregate of ``indicators.compute`` can be answered from its index (migration
``indicators 0002``): with sequential scans priced out, the plan of every query names the
index, so its partial-index condition matches what the query asks. At a million patents
the planner chooses them by itself (a region's or a year's share of the rows)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.compute import GROUPS
from indicators.definitions import Group

pytestmark = pytest.mark.django_db

EXPECTED = {
    Group.GRANTS: "indicators_patent_grants",
    Group.VALID: "indicators_patent_inventions",
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
    assert EXPECTED[group] in plan, plan
