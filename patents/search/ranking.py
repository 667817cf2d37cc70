"""Text search in the database and relevance ordering: which patents (and offers) match a
query, how a list ordered by relevance ranks them, and how a list chooses its ordering.

With the search engine (``patents.search.engine``, docs/search-engine.md), a relevance list
is the ``SEARCH_RANK_WINDOW`` best matches over every match by the engine's score
(``best_by_engine``; public offer search: ``_offered_by_engine``). Without it, PostgreSQL
ranks: ranking reads every candidate's text vector, so a query that most patents match
cannot be ranked whole on each request, and a relevance list ranks a window instead, the
``SEARCH_RANK_WINDOW`` most recently registered matches (``newest_matches``). Other
orderings take every match from PostgreSQL.

Every list searchable by text (patents, offers, and the saved searches over them) chooses
its ordering the same way, declared once per list as ``Orderings``: its named keysets,
the default without ``q`` (with ``q``, relevance), the 400 when relevance is asked for
without ``q``, and the FilterSet whose ``q`` also ranks over the window. A viewset takes
them through ``RelevanceOrderedMixin``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, F, FloatField, Func, Lookup, Max, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from conversion_db.api.filters import FilterSet
from conversion_db.api.pagination import OrderedWindow
from conversion_db.estimates import estimated_rows, table_rows
from patents.models import OfferPatent, Patent
from patents.register.selectors import patent_list_for_api
from patents.search.text import parse_query, tsquery_sql


def patent_text_search(
    queryset: QuerySet[Any], text: str, *, field: str = "q", path: str = ""
) -> QuerySet[Any]:
    """Patents matching every term of ``text``, annotated with their text ``rank``.

    ``path`` reaches the patent from another model (``"patent__"`` on OfferPatent)."""
    parsed = parse_query(text)
    if parsed.is_empty:
        raise ValidationError({field: query_too_common(parsed.ignored)})
    # User text only ever travels as parameters; the SQL shape comes from patents.search.text.
    sql, params = tsquery_sql(parsed)
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


def query_too_common(ignored: Sequence[str]) -> ValidationError:
    """The 400 of a query with nothing to search for, naming the words search ignored
    (``patents.search.stopwords``)."""
    if not ignored:
        return ValidationError(
            _("Search for something more specific than common patent wording."),
            code="query_too_common",
        )
    return ValidationError(
        _("Search ignores common patent and demand wording (%(words)s): add a more specific term."),
        code="query_too_common",
        params={"words": "、".join(ignored)},
    )


# --- Id lists as one parameter ---------------------------------------------------------------
def array_literal(values: Iterable[int | float]) -> str:
    """An array of numbers as PostgreSQL's text form (``{1,2,3}``), to send as one string
    parameter cast to ``bigint[]`` or ``float8[]``. psycopg adapts a list parameter element
    by element in Python, which for the thousand ids of a rank window costs several times
    a ``join``. ``repr`` of a float is exact when read back."""
    return "{" + ",".join(map(repr, values)) + "}"


class IdIn(Lookup):
    """``column = ANY(%s)`` with the ids as one array parameter: ``__in`` with a list of a
    thousand ids sends a thousand parameters, which Django and psycopg then process one by
    one on every request."""

    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [array_literal(int(pk) for pk in value)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(({rhs})::bigint[])", [*lhs_params, *rhs_params]


def with_ids(queryset: QuerySet[Any], field: str, ids: Any) -> QuerySet[Any]:
    """``field`` among ``ids``: a list (one array parameter) or a subquery."""
    if isinstance(ids, list):
        return queryset.filter(IdIn(F(field), ids))
    return queryset.filter(**{f"{field}__in": ids})


# --- The rank window ------------------------------------------------------------------------
# Newest matches through the newest id range (see newest_matches).
RANGE_MIN_ROWS = 50_000  # smaller tables: the plain plans are quick at any frequency
RANGE_MAX_SHARE = 0.1  # above this share of the table a backward scan finds them sooner
RANGE_MIN_WINDOWS = 10.0  # fewer expected matches than this many windows: read them all
RANGE_SAFETY = 2.0  # the range is sized to hold this many windows of matches (expected)


def newest_matches(matches: QuerySet[Patent]) -> Any:
    """The ids of the ``SEARCH_RANK_WINDOW`` most recently registered ``matches``: a
    subquery, or a list when they were found in the newest id range.

    Which plan finds them depends on how many patents match. A word in most patents: a
    backward scan of the primary key meets a window of them within a few thousand rows.
    A rare word: its index entries are few, read them all. In between (a few percent of
    a million) the backward scan tests tens of thousands of rows, each reading its text
    vector out of line, and is slow; there the planner's estimate of the matches sizes an
    id range at the top of the table expected to hold ``RANGE_SAFETY`` windows, and the
    text index restricted to that range answers without reading any vector. Should the
    range hold fewer than a window, the plain query answers.
    """
    size = settings.SEARCH_RANK_WINDOW
    newest_first = matches.order_by("-id").values("pk")[:size]
    rows = table_rows(Patent._meta.db_table)
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
    return with_ids(patent_list_for_api(), "pk", newest_matches(queryset)).annotate(rank=rank)


def best_by_engine(
    queryset: QuerySet[Patent], text: str, cleaned: Mapping[str, Any]
) -> QuerySet[Patent] | None:
    """The ``SEARCH_RANK_WINDOW`` best matches of ``text`` and the list's filters
    (``cleaned``) by the search engine's score, over every match, annotated with that
    ``rank``; None when the engine cannot answer (turned off, not built yet, or a filter it
    does not hold: PostgreSQL's window answers then)."""
    from patents.search import engine

    if not settings.SEARCH_ENGINE:
        return None
    parsed = parse_query(text)
    if parsed.is_empty:
        raise ValidationError({"q": query_too_common(parsed.ignored)})
    try:
        query = engine.EngineQuery.from_filters(cleaned)
    except engine.NotSearchable:
        return None
    ranked = engine.best_matches(query, settings.SEARCH_RANK_WINDOW)
    if ranked is None:
        return None
    best = with_ids(queryset, "pk", ranked.ids).annotate(
        rank=_ValueByKey(F("pk"), ranked.ids, ranked.scores)
    )
    # A page then reads only the rows near its cursor (KeysetPagination).
    best.ordered_window = OrderedWindow.of(list(zip(ranked.scores, ranked.ids, strict=True)))
    best.match_count = ranked.count  # counted with the ranking: the list's ``count``
    return best


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
    matching patent, over the same window as patent search (for the public, the search
    engine's best offered patents: ``_offered_by_engine``).

    The window is the ``SEARCH_RANK_WINDOW`` most recently registered matching patents
    that are ``offered`` (for the public: ``has_offer``, kept in step with published
    offers), found like patent search's window; only those are ranked (one query), their
    offers are read from the offer-patent index (one query), and each offer takes the
    rank of its best patent. Ranking every offer of a common word would read hundreds of
    thousands of text vectors.
    """
    matching = patent_text_search(Patent.objects.order_by(), text, field=field)
    ranked = _offered_by_engine(text, offered)
    if ranked is None:
        window = newest_matches(matching.filter(offered))
        rank = matching.query.annotations["rank"]
        ranked = dict(
            with_ids(Patent.objects.order_by(), "pk", window)
            .annotate(rank=rank)
            .values_list("pk", "rank")
        )
    best: dict[int, float] = {}
    pairs = with_ids(OfferPatent.objects.all(), "patent_id", list(ranked)).values_list(
        "offer_id", "patent_id"
    )
    for offer_id, patent_id in pairs:
        best[offer_id] = max(best.get(offer_id, 0.0), ranked[patent_id])
    keys = list(best)
    return with_ids(offers, "pk", keys).annotate(
        rank=_ValueByKey(F("pk"), keys, [best[key] for key in keys])
    )


def _offered_by_engine(text: str, offered: Q) -> dict[int, float] | None:
    """For the public (``offered`` is the published offers' ``has_offer``), the best
    ``SEARCH_RANK_WINDOW`` offered patents by the search engine's score, over every match;
    None where PostgreSQL's window answers (a member's or an operator's own offers, which
    the index does not hold, or no engine)."""
    from patents.search import engine

    if not settings.SEARCH_ENGINE or offered != Q(has_offer=True):
        return None
    query = engine.EngineQuery(text=text, filters={"has_offer": True})
    ranked = engine.best_matches(query, settings.SEARCH_RANK_WINDOW)
    if ranked is None:
        return None
    return dict(zip(ranked.ids, ranked.scores, strict=True))


# --- Orderings --------------------------------------------------------------------------------
RELEVANCE = "relevance"  # by ``rank``: only with a search text
ERROR_RELEVANCE_NEEDS_TEXT = _("Ordering by relevance needs a search text (q).")
RANKED_ACTIONS = frozenset({"list", "export"})  # facets and counts take every match


def relevance_without_text(params: Mapping[str, Any]) -> bool:
    return params.get("ordering") == RELEVANCE and not params.get("q")


class RelevanceNeedsTextForm(forms.Form):
    """The form of a FilterSet with ``q`` and ``ordering``: relevance without ``q`` is a
    400 on ``ordering``."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if relevance_without_text(data):
            self.add_error("ordering", ValidationError(ERROR_RELEVANCE_NEEDS_TEXT, code="invalid"))
        return data


@dataclass(frozen=True)
class Orderings:
    """How a list searchable by text is ordered.

    ``keysets`` maps each ordering's name to its keyset (columns ending in a unique one);
    ``relevance`` is by ``-rank``. Without ``q`` the list is ordered by ``default``; with
    ``q``, by relevance unless another ordering is asked for. Listed or exported by
    relevance, the list filters with ``ranking_filterset``, whose ``q`` also ranks the
    matches over the window; everything else filters with ``filterset``.
    """

    keysets: Mapping[str, Sequence[str]]
    default: str
    filterset: type[FilterSet]
    ranking_filterset: type[FilterSet]

    def name(self, params: Mapping[str, Any]) -> str:
        """The ordering ``params`` ask for, or the default."""
        return params.get("ordering") or (RELEVANCE if params.get("q") else self.default)

    def by_relevance(self, params: Mapping[str, Any]) -> bool:
        return bool(params.get("q")) and self.name(params) == RELEVANCE

    def keyset(self, params: Mapping[str, Any]) -> list[str]:
        """The keyset of the ordering ``params`` ask for (checked by the FilterSet already;
        relevance without ``q`` is a 400 here too)."""
        if relevance_without_text(params):
            raise ValidationError(
                {"ordering": ValidationError(ERROR_RELEVANCE_NEEDS_TEXT, code="invalid")}
            )
        name = self.name(params)
        if name not in self.keysets:  # the FilterSet refuses it first; never a KeyError
            raise ValidationError(
                {
                    "ordering": ValidationError(
                        _("Order by one of: %(choices)s.") % {"choices": ", ".join(self.keysets)},
                        code="invalid_choice",
                    )
                }
            )
        return list(self.keysets[name])

    def filterset_for(self, params: Mapping[str, Any], *, rank: bool = True) -> type[FilterSet]:
        """The FilterSet for ``params``: the ranking one when they order by relevance and
        the caller lists rows (``rank``), not counts."""
        return self.ranking_filterset if rank and self.by_relevance(params) else self.filterset


class RelevanceOrderedMixin:
    """A viewset over a list searchable by text: its ``orderings`` give the keyset and,
    for a list or export by relevance, the ranking FilterSet."""

    orderings: Orderings

    def _query_params(self) -> Mapping[str, Any]:
        request = getattr(self, "request", None)  # None while the schema is generated
        return request.query_params if request is not None else {}

    @property
    def filterset_class(self) -> type[FilterSet]:
        rank = getattr(self, "action", None) in RANKED_ACTIONS
        return self.orderings.filterset_for(self._query_params(), rank=rank)

    def get_keyset_ordering(self) -> list[str]:
        return self.orderings.keyset(self._query_params())
