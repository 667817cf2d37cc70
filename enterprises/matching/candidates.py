"""Candidates: the patents worth scoring for a query, with what the score needs of them.

Where they come from (``find_candidates``): the search engine's best text matches for any
of the query's terms (BM25: the patents that share the most, and the rarest, of its
terms), the best of the demand's IPC codes, or of its suggested subclasses when it gives
none; without a search index yet, PostgreSQL's text index answers (the rarest terms'
newest matches). One statement then reads them with a hit flag per query term; their
text value is computed in Python (``score_text``) and their published offers are read in
one more query (``attach_offers``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from enterprises.matching.scoring import (
    CANDIDATE_WINDOW,
    IPC_CANDIDATES,
    SUGGESTED_CANDIDATES,
    SUGGESTED_FALLBACK_CANDIDATES,
    TERMINATED,
    TEXT_CANDIDATES,
)
from enterprises.matching.terms import TermStatistics, selecting_terms, term_tsquery
from patents.models import OfferPatent, OfferStatus
from patents.reference.ipc import IpcSymbolError, parse_ipc
from patents.search import engine
from patents.search.text import TextTerm


@dataclass
class Candidate:
    id: int
    hits: list[bool]
    ipc_codes: list[str]
    legal_status: str
    expiry_date: date | None
    is_high_value: bool
    region_id: str | None
    has_offer: bool
    text: float = 0.0
    matched: tuple[str, ...] = ()
    offers: list[tuple[int, str, Decimal | None]] = field(default_factory=list)


def find_candidates(
    terms: Sequence[TextTerm],
    stats: TermStatistics,
    *,
    ipc_codes: Sequence[str] = (),
    suggested_subclasses: Sequence[str] = (),
    exclude: Iterable[int] = (),
    live_only: bool = True,
    only: Sequence[int] | None = None,
) -> list[Candidate]:
    """One statement: the text (and IPC) candidates with a hit flag per term; with
    ``only``, exactly those patents (when live), whatever their text.

    From the search engine (``_engine_candidates``): the ``TEXT_CANDIDATES`` best text
    matches, the ``IPC_CANDIDATES`` best of the demand's IPC codes (text first), and with
    ``suggested_subclasses`` (best first; a demand without IPC codes) the
    ``SUGGESTED_CANDIDATES`` best in them sharing one of its words and
    ``SUGGESTED_FALLBACK_CANDIDATES`` in the best one whatever their text (so that a
    demand whose words no patent uses still finds its field). Without an index, the same
    sources from PostgreSQL, newest first, selected by the query's rarest terms."""
    exclude = list(exclude)
    if only is None:
        chosen = _engine_candidates(
            terms,
            ipc_codes=ipc_codes,
            suggested_subclasses=suggested_subclasses,
            exclude=exclude,
            live_only=live_only,
        )
        if chosen is not None:
            only = chosen
            if not only:
                return []
    hit_sql, hit_params = [], []
    for term in terms:
        sql, params = term_tsquery(term)
        hit_sql.append(f"(d.document @@ {sql})")
        hit_params.extend(params)
    conditions = ["p.deleted_at IS NULL", "NOT (p.id = ANY(%s))"]
    condition_params: list[Any] = [exclude]
    if live_only:
        conditions.append("NOT (p.legal_status = ANY(%s))")
        condition_params.append([str(status) for status in TERMINATED])
    where = " AND ".join(conditions)
    parts, part_params = [], []
    selecting = selecting_terms(terms, stats) if terms and only is None else []
    if only is not None:
        parts.append(f"(SELECT p.id FROM patents_patent p WHERE {where} AND p.id = ANY(%s))")  # noqa: S608
        part_params.extend([*condition_params, list(only)])
    if selecting:
        select_sql, select_params = [], []
        for term in selecting:
            sql, params = term_tsquery(term)
            select_sql.append(sql)
            select_params.extend(params)
        parts.append(
            f"(SELECT p.id FROM patents_patent p WHERE {where} "  # noqa: S608 - our SQL
            f"AND p.search_document @@ ({' || '.join(select_sql)}) "
            f"ORDER BY p.id DESC LIMIT {CANDIDATE_WINDOW})"
        )
        part_params.extend([*condition_params, *select_params])
    index_codes = _ipc_index_codes(ipc_codes) if only is None else []
    if index_codes:
        parts.append(
            f"(SELECT p.id FROM patents_patent p WHERE {where} "  # noqa: S608 - our SQL
            f"AND p.ipc_index && %s::varchar[] ORDER BY p.id DESC LIMIT {IPC_CANDIDATES})"
        )
        part_params.extend([*condition_params, index_codes])
    suggested = _ipc_index_codes(suggested_subclasses) if only is None else []
    if suggested:
        # The rarest of its words (within the candidate budget), as for the text part:
        # the GIN index answers, and common words do not make the heap read grow.
        words_sql, words_params = [], []
        for term in selecting_terms([t for t in terms if t.display], stats):
            sql, params = term_tsquery(term)
            words_sql.append(sql)
            words_params.extend(params)
        if words_sql:
            parts.append(
                f"(SELECT p.id FROM patents_patent p WHERE {where} "  # noqa: S608 - our SQL
                f"AND p.ipc_index && %s::varchar[] AND p.search_document @@ "
                f"({' || '.join(words_sql)}) ORDER BY p.id DESC LIMIT {SUGGESTED_CANDIDATES})"
            )
            part_params.extend([*condition_params, suggested, *words_params])
        parts.append(
            f"(SELECT p.id FROM patents_patent p WHERE {where} "  # noqa: S608 - our SQL
            f"AND p.ipc_index && %s::varchar[] "
            f"ORDER BY p.id DESC LIMIT {SUGGESTED_FALLBACK_CANDIDATES})"
        )
        part_params.extend([*condition_params, suggested[:1]])
    if not parts:
        return []
    hits = f"ARRAY[{', '.join(hit_sql)}]::boolean[]" if hit_sql else "ARRAY[]::boolean[]"
    # Each @@ on the stored column would decompress the (TOASTed) vector again: 24 terms,
    # 24 decompressions per row. Concatenating it once (OFFSET 0 keeps the lateral
    # subquery from being inlined) gives every test the same plain in-memory copy.
    statement = (
        f"SELECT p.id, {hits}, p.ipc_codes, p.legal_status, p.expiry_date, "  # noqa: S608
        "p.is_high_value, p.region_id, p.has_offer FROM patents_patent p "
        "CROSS JOIN LATERAL (SELECT p.search_document || ''::tsvector AS document OFFSET 0) d "
        f"WHERE p.id IN ({' UNION '.join(parts)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*hit_params, *part_params])
        rows = cursor.fetchall()
    return [
        Candidate(
            id=row[0],
            hits=list(row[1]),
            ipc_codes=list(row[2] or []),
            legal_status=row[3],
            expiry_date=row[4],
            is_high_value=row[5],
            region_id=row[6],
            has_offer=row[7],
        )
        for row in rows
    ]


def _engine_candidates(
    terms: Sequence[TextTerm],
    *,
    ipc_codes: Sequence[str],
    suggested_subclasses: Sequence[str],
    exclude: list[int],
    live_only: bool,
) -> list[int] | None:
    """The candidates' ids from the search engine (see ``find_candidates``), or None when
    it has no index yet."""
    limits: dict[str, Any] = {
        "exclude_ids": exclude,
        "exclude_statuses": [str(status) for status in TERMINATED] if live_only else [],
    }
    sources: list[list[int] | None] = []
    if terms:
        sources.append(engine.best_text_matches(terms, limit=TEXT_CANDIDATES, **limits))
    index_codes = _ipc_index_codes(ipc_codes)
    if index_codes:
        sources.append(
            engine.best_text_matches(
                terms, ipc=index_codes, text_required=False, limit=IPC_CANDIDATES, **limits
            )
        )
    suggested = _ipc_index_codes(suggested_subclasses)
    if suggested:
        words = [term for term in terms if term.display]
        sources.append(
            engine.best_text_matches(words, ipc=suggested, limit=SUGGESTED_CANDIDATES, **limits)
        )
        sources.append(
            engine.best_text_matches(
                words,
                ipc=suggested[:1],
                text_required=False,
                limit=SUGGESTED_FALLBACK_CANDIDATES,
                **limits,
            )
        )
    if any(found is None for found in sources):
        return None
    return list(dict.fromkeys(pk for found in sources for pk in found or []))


def _ipc_index_codes(codes: Sequence[str]) -> list[str]:
    """Symbols to look up in ``ipc_index`` (subclass level or deeper, so that a section
    does not select a tenth of the table)."""
    found = []
    for code in codes:
        try:
            symbol = parse_ipc(code)
        except IpcSymbolError:
            continue
        if symbol.level in ("subclass", "main_group", "subgroup"):
            found.append(symbol.symbol)
    return list(dict.fromkeys(found))


def score_text(
    candidates: Iterable[Candidate], terms: Sequence[TextTerm], stats: TermStatistics
) -> None:
    weights = [stats.idf(term.lexeme) for term in terms]
    total = sum(weights) or 1.0
    rarest_first = sorted(range(len(terms)), key=lambda index: -weights[index])
    for candidate in candidates:
        hits = candidate.hits
        # rarest first: the terms that say most
        got = [terms[index] for index in rarest_first if index < len(hits) and hits[index]]
        candidate.text = (
            sum(w for w, hit in zip(weights, candidate.hits, strict=False) if hit) / total
        )
        words = [term.lexeme for term in got if term.display]
        candidate.matched = tuple(_drop_contained(words) or [t.lexeme for t in got][:5])


def _drop_contained(words: list[str]) -> list[str]:
    """Matched words without those inside a longer matched word (电池 in 锂电池)."""
    return [w for w in words if not any(w != other and w in other for other in words)]


def attach_offers(candidates: Sequence[Candidate]) -> None:
    """Published offers (not past their term) of the candidates that have one: one query."""
    ids = [c.id for c in candidates if c.has_offer]
    if not ids:
        return
    today = timezone.localdate()
    rows = (
        OfferPatent.objects.filter(
            patent_id__in=ids,
            offer__status=OfferStatus.PUBLISHED,
            offer__deleted_at__isnull=True,
        )
        .exclude(offer__term_end__lt=today)
        .values_list("patent_id", "offer_id", "offer__offer_type", "offer__lump_sum_cny")
        .order_by("offer_id")
    )
    by_patent: dict[int, list[tuple[int, str, Decimal | None]]] = defaultdict(list)
    for patent_id, offer_id, offer_type, price in rows:
        by_patent[patent_id].append((offer_id, offer_type, price))
    for candidate in candidates:
        candidate.offers = by_patent.get(candidate.id, [])
