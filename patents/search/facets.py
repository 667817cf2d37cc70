"""Facet counts of a search: how many matches have each value, in one statement.

Up to a limit of matches (the planner's estimate) the counts are exact. Above it they are
counted on a sample of the table's pages sized to hold about that many matches, scaled
up, and the answer says ``approximate``: exact counts over 800,000 matches would take far
longer than a search. Matches few enough that reading them costs less than the sample are
still counted exactly (``facet_sample``).

``facet_counts`` runs any list's facets (``Facet``) this way: patents' here
(``patent_facets``), offers' in ``patents.licensing.selectors``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.sql.datastructures import BaseTable

from conversion_db.estimates import estimated_rows, table_rows
from patents.models import Patent


class _SampledTable(BaseTable):
    """The query's base table read through ``TABLESAMPLE SYSTEM`` (a share of its pages)."""

    def __init__(self, table: BaseTable, percent: float) -> None:
        super().__init__(table.table_name, table.table_alias)
        self.percent = percent

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(compiler, connection)
        return f"{sql} TABLESAMPLE SYSTEM ({self.percent:.4f}) REPEATABLE (7)", list(params)


# Reading one match through an index costs about this many times reading one row of a
# page sample (measured at a million patents).
FACET_INDEX_ROW_COST = 6.0


def facet_sample(matches: QuerySet[Any], limit: int) -> tuple[QuerySet[Any], float]:
    """``matches`` as they are while the planner expects at most ``limit`` rows; above
    that, read through a sample of its base table's pages sized to hold about that many.
    With the sampled percentage (100.0: every row), to scale counts up.

    A sample reads ``rows * limit / estimate`` rows of the table, whatever they hold, so
    it only pays when the matches are a small share of it. Between the two, the cheaper
    read wins: the 17,000 patents under G06N in a million are counted exactly rather than
    from a sample of 59% of the table, while a word in most patents is sampled."""
    estimate = estimated_rows(matches)
    if estimate <= limit:
        return matches, 100.0
    matches = matches.all()
    query = matches.query
    alias = query.get_initial_alias()
    table = query.alias_map[alias]
    assert isinstance(table, BaseTable)  # the initial alias is the base table
    sampled_rows = table_rows(table.table_name) * limit / estimate
    if FACET_INDEX_ROW_COST * estimate <= sampled_rows:
        return matches, 100.0
    percent = max(0.1, 100.0 * limit / estimate)
    query.alias_map[alias] = _SampledTable(table, percent)
    return matches, percent


@dataclass(frozen=True)
class Facet:
    """One facet: the values it counts, as SQL over the matches ``m`` (or over another
    table of the statement, see ``facet_counts``). Our SQL, never user input."""

    name: str
    value: str  # the value counted (sent as text)
    source: str = "m"  # FROM: "m", "m, unnest(m.ipc_index) s", another table
    condition: str = "TRUE"  # which rows of the source count
    count: str = "count(*)"  # how a value's matches are counted
    limit: int | None = None  # at most this many values, the most frequent first
    convert: Callable[[str], Any] = str  # the answer's value from the text value

    def sql(self) -> str:
        return (
            f"SELECT '{self.name}', ({self.value})::text, {self.count} "  # noqa: S608 - our SQL
            f"FROM {self.source} WHERE {self.condition} GROUP BY 2"
        )


def facet_counts(
    matches: QuerySet[Any],
    facets: Sequence[Facet],
    *,
    exact_limit: int,
    tables: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every facet's counts over ``matches`` (a ``values()`` query of the columns the
    facets read), in one statement (one pass over the matches): exact up to
    ``exact_limit`` matches, above that sampled (``facet_sample``), scaled up and marked
    ``approximate``. ``tables`` adds further tables to the statement, by name, each a
    SELECT that may read ``m`` (an offer's patents, say).

    ``{"approximate": bool, name: [{"value": ..., "count": n}, ...], ...}``, each facet's
    values most frequent first."""
    sampled, percent = facet_sample(matches, exact_limit)
    sql, params = sampled.query.sql_with_params()
    common = [f"m AS MATERIALIZED ({sql})"]
    common += [f"{name} AS MATERIALIZED ({select})" for name, select in (tables or {}).items()]
    statement = f"WITH {', '.join(common)} " + " UNION ALL ".join(f.sql() for f in facets)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    scale = 100.0 / percent
    grouped: dict[str, list[tuple[str, int]]] = {facet.name: [] for facet in facets}
    for name, value, count in rows:
        grouped[name].append((value, round(count * scale)))
    result: dict[str, Any] = {"approximate": percent < 100.0}
    for facet in facets:
        values = sorted(grouped[facet.name], key=lambda item: (-item[1], item[0]))
        result[facet.name] = [
            {"value": facet.convert(value), "count": count}
            for value, count in values[: facet.limit]
        ]
    return result


def _is_true(value: str) -> bool:
    return value == "true"


# The columns the patent facets read, and the facets over them.
PATENT_FACET_COLUMNS = (
    "patent_type", "legal_status", "ipc_index", "holder_kinds", "region_id", "filing_date", "is_high_value",
)  # fmt: skip
PATENT_FACETS = (
    Facet("patent_type", "m.patent_type", limit=100),
    Facet("legal_status", "m.legal_status", limit=100),
    Facet("ipc_section", "s", "m, unnest(m.ipc_index) s", "length(s) = 1", limit=100),
    Facet("ipc_class", "s", "m, unnest(m.ipc_index) s", "length(s) = 3", limit=50),
    Facet("holder_kind", "s", "m, unnest(m.holder_kinds) s", limit=100),
    Facet("region", "m.region_id", condition="m.region_id IS NOT NULL", limit=50),
    Facet(
        "filing_year",
        "extract(year FROM m.filing_date)::int",
        condition="m.filing_date IS NOT NULL",
        limit=50,
        convert=int,
    ),
    Facet("high_value", "m.is_high_value", limit=100, convert=_is_true),
)


def patent_facets(queryset: QuerySet[Patent]) -> dict[str, Any]:
    """Counts over the filtered patents by type, legal status, IPC section and class,
    holder kind, region, filing year and high-value; exact up to ``FACET_EXACT_LIMIT``
    matches (the planner's estimate)."""
    return facet_counts(
        queryset.order_by().values(*PATENT_FACET_COLUMNS),
        PATENT_FACETS,
        exact_limit=settings.FACET_EXACT_LIMIT,
    )
