"""Each aggregate of ``indicators.compute`` can be answered from its index (migration
``indicators 0002``). On a test's few rows the planner may prefer any index of the table, so
the test leaves it no other: inside the test's transaction (rolled back after it) it drops
the table's other non-unique indexes and prices sequential scans out; the plan must then
read the group's index, which it can only do if the index's columns and partial condition
match what the query asks. At a million patents the planner chooses them by itself (a
region's or a year's share of the rows)."""

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


def leave_only(index: str) -> None:
    """Drop the other non-unique indexes of ``index``'s table (in this transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT other.relname
            FROM pg_index own
            JOIN pg_index x ON x.indrelid = own.indrelid
            JOIN pg_class other ON other.oid = x.indexrelid
            WHERE own.indexrelid = %s::regclass
              AND x.indexrelid <> own.indexrelid
              AND NOT x.indisunique AND NOT x.indisprimary
            """,
            [index],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')


@pytest.mark.parametrize("group", list(Group))
@pytest.mark.parametrize("region", ["310000", "310115"])
def test_every_aggregate_reads_its_index(group, region):
    leave_only(EXPECTED[group])
    with CaptureQueriesContext(connection) as captured:
        GROUPS[group](region, [2022, 2023])
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert EXPECTED[group] in plan, plan
