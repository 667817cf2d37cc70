"""Reads of the patents app: querysets shaped for their output, visibility applied."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Exists, FloatField, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from patents import search
from patents.ipc import IpcSymbol, IpcSymbolError, parse_ipc
from patents.models import Holding, IpcClass, Patent, Region
from patents.regions import RegionCodeError, normalise_region_code


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
    queryset: QuerySet[Patent], text: str, *, field: str = "q"
) -> QuerySet[Patent]:
    """Patents matching every term of ``text``, annotated with their text ``rank``."""
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
    # User text only ever travels as parameters; the SQL shape comes from patents.search.
    sql, params = search.tsquery_sql(parsed)
    document = f'"{Patent._meta.db_table}"."search_document"'
    matches = RawSQL(f"{document} @@ {sql}", params, output_field=BooleanField())  # noqa: S611
    # float8: the cursor carries the exact value (a float4 would not compare equal after JSON).
    rank = RawSQL(f"ts_rank({document}, {sql})::float8", params, output_field=FloatField())  # noqa: S611
    return queryset.filter(matches).annotate(rank=rank)


def patent_list_for_api() -> QuerySet[Patent]:
    """List rows with their current holders (one extra query per page, not per row)."""
    current = (
        Holding.objects.filter(role=Holding.Role.CURRENT)
        .select_related("holder")
        .order_by("order", "id")
    )
    return patent_list().prefetch_related(
        Prefetch("holdings", queryset=current, to_attr="current_holdings")
    )


def patent_detail(pk: int) -> Patent:
    holdings = Holding.objects.select_related("holder", "holder__region").order_by(
        "role", "order", "id"
    )
    found = (
        Patent.objects.select_related("region")
        .prefetch_related(Prefetch("holdings", queryset=holdings, to_attr="all_holdings"))
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


def patent_facets(queryset: QuerySet[Patent]) -> dict[str, list[dict[str, object]]]:
    """Counts over the filtered set, one query per facet."""
    ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    table = Patent._meta.db_table

    def grouped(
        expression: str, *, where: str = "TRUE", limit: int = 100
    ) -> list[dict[str, object]]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {expression} AS value, count(*) AS n FROM {table} p "  # noqa: S608 - our SQL
                f"WHERE p.id IN ({ids_sql}) AND {where} GROUP BY 1 ORDER BY n DESC, value LIMIT {limit}",
                ids_params,
            )
            return [
                {"value": value, "count": count}
                for value, count in cursor.fetchall()
                if value is not None
            ]

    def unnested(column: str, *, where: str = "TRUE", limit: int = 100) -> list[dict[str, object]]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s AS value, count(*) AS n FROM {table} p, unnest(p.{column}) s "  # noqa: S608
                f"WHERE p.id IN ({ids_sql}) AND {where} GROUP BY 1 ORDER BY n DESC, value LIMIT {limit}",
                ids_params,
            )
            return [{"value": value, "count": count} for value, count in cursor.fetchall()]

    return {
        "patent_type": grouped("p.patent_type"),
        "legal_status": grouped("p.legal_status"),
        "ipc_section": unnested("ipc_index", where="length(s) = 1"),
        "ipc_class": unnested("ipc_index", where="length(s) = 3", limit=50),
        "holder_kind": unnested("holder_kinds"),
        "region": grouped("p.region_id", limit=50),
        "filing_year": grouped("extract(year FROM p.filing_date)::int", limit=50),
        "high_value": grouped("p.is_high_value"),
    }
