"""Reads of the patents app: querysets shaped for their output, visibility applied."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    Func,
    Lookup,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql.datastructures import BaseTable
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from conversion_db.estimates import estimated_rows
from patents.models import Holding, IpcClass, Patent, Region
from patents.reference.ipc import IpcSymbol, IpcSymbolError, parse_ipc
from patents.reference.regions import RegionCodeError, normalise_region_code
from patents.search import text as search


# --- IPC -----------------------------------------------------------------------------------
def ipc_list() -> QuerySet[IpcClass]:
    return IpcClass.objects.select_related("tech_field")


def ipc_text_search(queryset: QuerySet[IpcClass], text: str) -> QuerySet[IpcClass]:
    """Every whitespace-separated word must appear in the Chinese or the English title."""
    for term in text.split():
        queryset = queryset.filter(Q(title_zh__icontains=term) | Q(title_en__icontains=term))
    return queryset


def ipc_subtree(queryset: QuerySet[IpcClass], symbol: IpcSymbol) -> QuerySet[IpcClass]:
    """The symbol and everything below it, by key prefix (a subgroup: by its ancestors)."""
    if symbol.level == "subgroup":
        return queryset.filter(Q(key=symbol.key) | Q(ancestors__contains=[symbol.key]))
    prefix = symbol.key[:8] if symbol.level == "main_group" else symbol.key
    return queryset.filter(key__startswith=prefix)


def ipc_parse_or_400(text: str, *, field: str) -> IpcSymbol:
    try:
        return parse_ipc(text)
    except IpcSymbolError as exc:
        raise ValidationError({field: ValidationError(str(exc.message), code=exc.code)}) from None


def ipc_get(text: str, *, field: str = "symbol") -> IpcClass:
    """One symbol, from any accepted spelling: 400 if malformed, 404 if not in the scheme."""
    symbol = ipc_parse_or_400(text, field=field)
    has_children = IpcClass.objects.filter(parent_id=OuterRef("key"))
    found = (
        IpcClass.objects.select_related("tech_field")
        .annotate(has_children=Exists(has_children))
        .filter(key=symbol.key)
        .first()
    )
    if found is None:
        raise Http404
    return found


def ipc_ancestors(ipc_class: IpcClass) -> list[IpcClass]:
    """Section down to parent, in one query."""
    return list(IpcClass.objects.filter(key__in=ipc_class.ancestors).order_by("key"))


# --- Regions ------------------------------------------------------------------------------------
def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def region_get(text: str, *, field: str = "code") -> Region:
    try:
        code = normalise_region_code(text)
    except RegionCodeError as exc:
        raise ValidationError({field: ValidationError(str(exc.message), code=exc.code)}) from None
    found = Region.objects.filter(code=code).select_related("parent__parent").first()
    if found is None:
        raise Http404
    return found


def region_ancestors(region: Region) -> list[Region]:
    chain = []
    parent = region.parent  # loaded with select_related: no query
    while parent is not None:
        chain.append(parent)
        parent = (
            parent.parent if parent.parent_id and "parent" in parent._state.fields_cache else None
        )
    return list(reversed(chain))


def region_children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent_id=region.code).order_by("code"))


# --- Patents --------------------------------------------------------------------------------------
def patent_list() -> QuerySet[Patent]:
    """Live patents, with what list rows show."""
    return Patent.objects.select_related("region")


def patent_text_search(
    queryset: QuerySet[Any], text: str, *, field: str = "q", path: str = ""
) -> QuerySet[Any]:
    """Patents matching every term of ``text``, annotated with their text ``rank``.

    ``path`` reaches the patent from another model (``"patent__"`` on OfferPatent)."""
    parsed = search.parse_query(text)
    if parsed.is_empty:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Search for something more specific than common patent wording."),
                    code="query_too_common",
                )
            }
        )
    # User text only ever travels as parameters; the SQL shape comes from patents.search.text.
    sql, params = search.tsquery_sql(parsed)
    # F() rather than a table name, so that the condition also works inside subqueries.
    query = RawSQL(sql, params)  # noqa: S611
    document = F(f"{path}search_document")
    matches = Func(
        document, query, template="(%(expressions)s)", arg_joiner=" @@ ",
        output_field=BooleanField(),
    )  # fmt: skip
    # float8: the cursor carries the exact value (a float4 would not compare equal after JSON).
    rank = Cast(Func(document, query, function="ts_rank"), FloatField())
    return queryset.filter(matches).annotate(rank=rank)


def array_literal(values: Iterable[int | float]) -> str:
    """An array of numbers as PostgreSQL's text form (``{1,2,3}``), to send as one string
    parameter cast to ``bigint[]`` or ``float8[]``. psycopg adapts a list parameter element
    by element in Python: for the thousand ids of a rank window, 0.3 ms a list, four lists a
    search, where ``join`` takes 0.05 ms. ``repr`` of a float is exact when read back."""
    return "{" + ",".join(map(repr, values)) + "}"


class IdIn(Lookup):
    """``column = ANY(%s)`` with the ids as one array parameter: ``__in`` with a list of a
    thousand ids sends a thousand parameters, which Django and psycopg then process one by
    one on every request (a few milliseconds)."""

    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [array_literal(int(pk) for pk in value)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(({rhs})::bigint[])", [*lhs_params, *rhs_params]


def _with_ids(queryset: QuerySet[Any], field: str, ids: Any) -> QuerySet[Any]:
    """``field`` among ``ids``: a list (one array parameter) or a subquery."""
    if isinstance(ids, list):
        return queryset.filter(IdIn(F(field), ids))
    return queryset.filter(**{f"{field}__in": ids})


# Newest matches through the newest id range (see newest_matches).
RANGE_MIN_ROWS = 50_000  # smaller tables: the plain plans are quick at any frequency
RANGE_MAX_SHARE = 0.1  # above this share of the table a backward scan finds them sooner
RANGE_MIN_WINDOWS = 10.0  # fewer expected matches than this many windows: read them all
RANGE_SAFETY = 2.0  # the range is sized to hold this many windows of matches (expected)
TABLE_ROWS_TTL = 600.0  # seconds a table's row estimate is kept per process
_table_rows: dict[str, tuple[float, float]] = {}


def table_rows(table: str) -> float:
    """The planner's row count of a table (``reltuples``), cached per process."""
    now = time.monotonic()
    cached = _table_rows.get(table)
    if cached is None or now - cached[0] > TABLE_ROWS_TTL:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [table]
            )
            cached = _table_rows[table] = (now, float(cursor.fetchone()[0]))
    return cached[1]


def patent_table_rows() -> float:
    return table_rows(Patent._meta.db_table)


def clear_table_rows() -> None:
    _table_rows.clear()


def newest_matches(matches: QuerySet[Patent]) -> Any:
    """The ids of the ``SEARCH_RANK_WINDOW`` most recently registered ``matches``: a
    subquery, or a list when they were found in the newest id range.

    Which plan finds them depends on how many patents match. A word in most patents: a
    backward scan of the primary key meets a window of them within a few thousand rows.
    A rare word: its index entries are few, read them all. In between (a few percent of
    a million) the backward scan tests tens of thousands of rows, each reading its text
    vector out of line, and takes 50-120 ms; there the planner's estimate of the matches
    sizes an id range at the top of the table expected to hold ``RANGE_SAFETY`` windows,
    and the text index restricted to that range answers without reading any vector
    (about 10 ms). Should the range hold fewer than a window, the plain query answers.
    """
    size = settings.SEARCH_RANK_WINDOW
    newest_first = matches.order_by("-id").values("pk")[:size]
    rows = patent_table_rows()
    if rows < RANGE_MIN_ROWS:
        return newest_first
    estimate = estimated_rows(matches.order_by().values("pk"))
    if estimate < RANGE_MIN_WINDOWS * size or estimate >= RANGE_MAX_SHARE * rows:
        return newest_first
    top = Patent.all_objects.aggregate(top=Max("id"))["top"] or 0
    span = math.ceil(RANGE_SAFETY * size * rows / estimate)
    # "+ 0": ordered by an expression, not by the primary key's order, so that the
    # planner reads the text index for the range rather than scanning it backwards.
    in_range = list(
        matches.filter(pk__gt=top - span)
        .order_by((F("id") + Value(0)).desc())
        .values_list("pk", flat=True)[:size]
    )
    return in_range if len(in_range) == size else newest_first


def within_rank_window(queryset: QuerySet[Patent]) -> QuerySet[Patent]:
    """Relevance ordering ranks at most ``SEARCH_RANK_WINDOW`` matches: the most recently
    registered ones (``newest_matches``).

    Ranking reads every candidate's text vector, so ranking all 800,000 matches of a word
    that most patents contain would take seconds. A query with fewer matches is ranked
    whole; a common one is ranked over its newest matches. The outer query then reads
    only those rows (the conditions are not evaluated twice). ``ordering=-filing_date``
    lists every match.
    """
    rank = queryset.query.annotations["rank"]
    return _with_ids(patent_list_for_api(), "pk", newest_matches(queryset)).annotate(rank=rank)


class _ValueByKey(Func):
    """``values[array_position(keys, key)]``: a per-row value looked up in two parallel
    arrays sent as parameters (NULL for a key that is not there)."""

    output_field = FloatField()

    def __init__(self, key: Any, keys: list[int], values: list[float]) -> None:
        super().__init__(
            key,
            Value(array_literal(int(pk) for pk in keys)),
            Value(array_literal(float(value) for value in values)),
        )

    def as_sql(  # type: ignore[override]  # the template is fixed: no function or joiner
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        (key, key_params), (keys, keys_params), (values, values_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"(({values})::float8[])[array_position(({keys})::bigint[], ({key})::bigint)]"
        return sql, [*values_params, *keys_params, *key_params]


def offers_ranked_by_text(
    offers: QuerySet[Any], text: str, *, offered: Q, field: str = "q"
) -> QuerySet[Any]:
    """Offers with a patent matching ``text``, annotated with the ``rank`` of their best
    matching patent, over the same window as patent search.

    The window is the ``SEARCH_RANK_WINDOW`` most recently registered matching patents
    that are ``offered`` (for the public: ``has_offer``, kept in step with published
    offers), found like patent search's window; only those are ranked (one query), their
    offers are read from the offer-patent index (one query), and each offer takes the
    rank of its best patent. Ranking every offer of a common word would read hundreds of
    thousands of text vectors.
    """
    from patents.models import OfferPatent

    matching = patent_text_search(Patent.objects.order_by(), text, field=field)
    window = newest_matches(matching.filter(offered))
    rank = matching.query.annotations["rank"]
    ranked = dict(
        _with_ids(Patent.objects.order_by(), "pk", window)
        .annotate(rank=rank)
        .values_list("pk", "rank")
    )
    best: dict[int, float] = {}
    pairs = _with_ids(OfferPatent.objects.all(), "patent_id", list(ranked)).values_list(
        "offer_id", "patent_id"
    )
    for offer_id, patent_id in pairs:
        best[offer_id] = max(best.get(offer_id, 0.0), ranked[patent_id])
    keys = list(best)
    return _with_ids(offers, "pk", keys).annotate(
        rank=_ValueByKey(F("pk"), keys, [best[key] for key in keys])
    )


# What a list row shows (patents.api.serializers.PATENT_LIST_FIELDS), plus the keyset
# orderings' columns, which the page's next link reads from its last row. The other 26
# columns (texts, the search vector, the IPC index, provenance) are not read: fewer
# columns to compile, send and turn into objects on every list request.
LIST_COLUMNS = (
    *("id", "jurisdiction", "application_number", "publication_number", "grant_number"),
    *("patent_type", "title", "title_en", "main_ipc", "ipc_codes", "filing_date"),
    *("publication_date", "grant_date", "legal_status", "expiry_date", "is_high_value"),
    *("has_offer", "region", "version", "filing_sort", "grant_sort", "expiry_sort"),
)


def patent_list_for_api() -> QuerySet[Patent]:
    """List rows with their current holders (one extra query per page, not per row); only
    the columns a list row shows are read."""
    current = (
        Holding.objects.filter(role=Holding.Role.CURRENT)
        .select_related("holder")
        .order_by("order", "id")
    )
    return Patent.objects.only(*LIST_COLUMNS).prefetch_related(
        Prefetch("holdings", queryset=current, to_attr="current_holdings")
    )


def patent_detail(pk: int) -> Patent:
    holdings = Holding.objects.select_related("holder", "holder__region").order_by(
        "role", "order", "id"
    )
    from patents.models import LicensingOffer, OfferStatus, OfferType, Pledge, PledgeStatus

    found = (
        Patent.objects.select_related("region")
        .prefetch_related(Prefetch("holdings", queryset=holdings, to_attr="all_holdings"))
        .annotate(
            pledged=Exists(
                Pledge.objects.filter(patents=OuterRef("pk")).exclude(status=PledgeStatus.CANCELLED)
            ),
            open_licence=Exists(
                LicensingOffer.objects.filter(
                    items__patent=OuterRef("pk"),
                    offer_type=OfferType.OPEN_LICENCE,
                    status=OfferStatus.PUBLISHED,
                )
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def ipc_titles(codes: list[str]) -> list[IpcClass]:
    """The scheme entries of a patent's IPC codes, in the patent's order (one query)."""
    keys = {}
    for code in codes:
        try:
            keys[parse_ipc(code).key] = code
        except IpcSymbolError:
            continue
    found = {row.key: row for row in IpcClass.objects.filter(key__in=list(keys))}
    return [found[key] for key in keys if key in found]


FACET_COLUMNS = (
    "patent_type", "legal_status", "ipc_index", "holder_kinds", "region_id", "filing_date", "is_high_value",
)  # fmt: skip
FACETS = {  # name: (expression over the matches m, extra FROM, condition, how many values)
    "patent_type": ("m.patent_type", "", "TRUE", 100),
    "legal_status": ("m.legal_status", "", "TRUE", 100),
    "ipc_section": ("s", ", unnest(m.ipc_index) s", "length(s) = 1", 100),
    "ipc_class": ("s", ", unnest(m.ipc_index) s", "length(s) = 3", 50),
    "holder_kind": ("s", ", unnest(m.holder_kinds) s", "TRUE", 100),
    "region": ("m.region_id", "", "m.region_id IS NOT NULL", 50),
    "filing_year": (
        "extract(year FROM m.filing_date)::int::text", "", "m.filing_date IS NOT NULL", 50,
    ),
    "high_value": ("m.is_high_value::text", "", "TRUE", 100),
}  # fmt: skip


class _SampledTable(BaseTable):
    """The query's base table read through ``TABLESAMPLE SYSTEM`` (a share of its pages)."""

    def __init__(self, table: BaseTable, percent: float) -> None:
        super().__init__(table.table_name, table.table_alias)
        self.percent = percent

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(compiler, connection)
        return f"{sql} TABLESAMPLE SYSTEM ({self.percent:.4f}) REPEATABLE (7)", list(params)


# Reading one match through an index costs about this many times reading one row of a
# page sample (at a million patents: 7 µs against 1.1 µs).
FACET_INDEX_ROW_COST = 6.0


def facet_sample(matches: QuerySet[Any], limit: int) -> tuple[QuerySet[Any], float]:
    """``matches`` as they are while the planner expects at most ``limit`` rows; above
    that, read through a sample of its base table's pages sized to hold about that many.
    With the sampled percentage (100.0: every row), to scale counts up.

    A sample reads ``rows * limit / estimate`` rows of the table, whatever they hold, so
    it only pays when the matches are a small share of it. Between the two, the cheaper
    read wins: the 17,000 patents under G06N in a million are counted exactly (120 ms)
    rather than from a sample of 59% of the table (590 ms), while a word in most patents
    is sampled."""
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


def patent_facets(queryset: QuerySet[Patent]) -> dict[str, Any]:
    """Counts over the filtered set in one statement (one pass over the matches).

    Up to ``FACET_EXACT_LIMIT`` matches (the planner's estimate) the counts are exact.
    Above it they are counted on a sample of the table's pages sized to hold about that
    many matches, scaled up, and the answer says ``approximate``: exact counts over
    800,000 matches would take far longer than a search. Matches few enough that reading
    them costs less than the sample are still counted exactly (``facet_sample``).
    """
    matches, percent = facet_sample(
        queryset.order_by().values(*FACET_COLUMNS), settings.FACET_EXACT_LIMIT
    )
    sql, params = matches.query.sql_with_params()
    parts = [
        f"SELECT '{name}', ({expression})::text, count(*) FROM m{joins} WHERE {condition} GROUP BY 2"  # noqa: S608
        for name, (expression, joins, condition, _limit) in FACETS.items()
    ]
    statement = f"WITH m AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    scale = 100.0 / percent
    grouped: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for name, value, count in rows:
        grouped[name].append((value, round(count * scale)))
    result: dict[str, Any] = {"approximate": percent < 100.0}
    for name, values in grouped.items():
        values.sort(key=lambda item: (-item[1], item[0]))
        result[name] = [
            {"value": _facet_value(name, value), "count": count}
            for value, count in values[: FACETS[name][3]]
        ]
    return result


def _facet_value(name: str, value: str) -> Any:
    if name == "filing_year":
        return int(value)
    if name == "high_value":
        return value == "true"
    return value
