"""The matching engine: explained matches for a demand, IPC suggestions, similar patents.

DESIGN.md section 5. Pure scoring functions (one per component, no database) and three
selectors that read the patents app:

- ``find_matches(query)``: candidates from the text index (and the demand's IPC codes),
  each scored by seven components whose weights live in ``WEIGHTS``; every match carries
  its components, the matched terms and a one-line reason in English and Chinese.
- ``suggest_ipc(text)``: a k-nearest-neighbour vote over the IPC codes of the patents
  whose text best matches ``text`` (weighted by their text score).
- ``similar_patents(patent_id)``: ``find_matches`` with the patent's own text and IPC
  codes, the patent itself excluded.

Text relevance. The query is cut into terms the way documents are indexed
(``patents.search.text``): rjieba words and overlapping Chinese character pairs (single
characters and boilerplate are left out), plus Latin words (matched as written or by
English stem). Each term is weighted by its inverse document frequency, read from the
planner's statistics of ``search_document`` (``pg_stats.most_common_elems``, which
migration 0004 makes track about 10,000 lexemes; a term not tracked is rarer than every
tracked one). A candidate's text value is the IDF-weighted share of the query's terms it
contains.

Bounded work (a million patents on two cores). Candidates come from an OR over the
*rarest* query terms only, chosen until their estimated matches (frequency x table rows)
reach ``CANDIDATE_BUDGET_ROWS``; the GIN index answers it and at most
``CANDIDATE_WINDOW`` rows are scored, whatever the table size. Common terms (装置, 方法)
still count in the score of the candidates, they just do not select them. The demand's
IPC codes add at most ``IPC_CANDIDATES`` patents through the ``ipc_index`` GIN index.

Legal status. Lapsed, expired, invalidated, withdrawn and rejected patents are free to
use or void: nothing can be licensed, so ``find_matches`` and ``similar_patents`` never
return them (and ``legal_status_value`` gives them 0). ``suggest_ipc`` uses every patent
as evidence of how texts are classified.

Components a demand says nothing about (no IPC codes, no region) are left out of the
score: their weight is 0 in the explanation and the others are rescaled to sum to 1.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from patents.models import (
    IpcClass,
    IpcTermStatistic,
    LegalStatus,
    OfferPatent,
    OfferStatus,
    Patent,
)
from patents.reference.ipc import IpcSymbolError, parse_ipc
from patents.search import text as search
from patents.search.ipc_statistics import TOTAL, document_terms, statistic_codes

# --- Weights and limits: the one place to tune the engine -------------------------------
WEIGHTS: dict[str, float] = {
    "text": 0.45,
    "ipc": 0.20,
    "offer": 0.10,
    "remaining_life": 0.08,
    "legal_status": 0.07,
    "region": 0.05,
    "high_value": 0.05,
}
COMPONENTS = tuple(WEIGHTS)

IPC_CLOSENESS = {"group": 1.0, "subclass": 0.75, "class": 0.5, "section": 0.25, "none": 0.0}
LEGAL_STATUS_VALUE = {
    LegalStatus.IN_FORCE: 1.0,
    LegalStatus.IN_GRACE_PERIOD: 0.6,  # the holder may still pay, or let it lapse
    LegalStatus.PENDING: 0.5,  # may be granted, narrowed or refused
}
TERMINATED = (
    LegalStatus.LAPSED,
    LegalStatus.EXPIRED,
    LegalStatus.INVALIDATED,
    LegalStatus.WITHDRAWN,
    LegalStatus.REJECTED,
)
FULL_LIFE_YEARS = 10.0  # ten or more years left is a full remaining-life value
UNKNOWN_LIFE_VALUE = 0.5  # no filing date, so no expiry date: neither good nor bad
UNPRICED_OFFER_FIT = 0.5  # negotiable or royalty-only offer against a stated budget
SAME_PROVINCE_VALUE = 0.5

MAX_QUERY_CHARS = 2000  # longer texts are cut (similar_patents: title + keywords + abstract)
MAX_TERMS = 24  # terms scored per query
MAX_SELECTING_TERMS = 12  # terms in the candidate OR-query
CANDIDATE_BUDGET_ROWS = 1000  # estimated matches the selecting terms may reach
CANDIDATE_WINDOW = 1000  # hard cap on rows scored per query
IPC_CANDIDATES = 200  # extra candidates from the demand's IPC codes
# A match must be about the demand: enough of its text, or the same IPC subclass. Offer
# terms, remaining life and legal status rank relevant patents; alone they match nothing.
MIN_TEXT_VALUE = 0.15
MAX_LIMIT = 100
SUGGEST_NEIGHBOURS = 30  # patents that vote in suggest_ipc
SUGGEST_MAIN_VOTE = 1.0  # a neighbour's main (first) IPC code
SUGGEST_OTHER_VOTE = 0.5  # its further codes
SUGGEST_TERM_ROWS = 400  # statistics rows read per query term, most frequent codes first
SUGGEST_SMOOTHING = 3.0  # added to a term's patent count: rare terms say less
SUGGEST_SCHEME_WEIGHT = 1.0  # evidence of the scheme's titles against the patents'
SUGGEST_SCHEME_SMOOTHING = 5.0
TERM_STATS_TTL = 600.0  # seconds the term statistics are cached per process


# --- Public types -------------------------------------------------------------------------
@dataclass(frozen=True)
class MatchQuery:
    text: str  # demand title + description + keywords, zh and/or en
    ipc_codes: tuple[str, ...] = ()  # normalised IPC codes, any level
    wanted_offer_types: tuple[str, ...] = ()  # LicensingOffer.offer_type values
    budget_min: Decimal | None = None  # CNY
    budget_max: Decimal | None = None
    region_codes: tuple[str, ...] = ()  # six-digit division codes, any level (prefix semantics)
    exclude_patent_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ScoreComponent:
    name: str  # one of COMPONENTS
    weight: float  # effective weight (0 when the demand says nothing about it)
    value: float  # 0..1
    reason_en: str
    reason_zh: str

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "weight": round(self.weight, 4),
            "value": round(self.value, 4),
            "reason_en": self.reason_en,
            "reason_zh": self.reason_zh,
        }


@dataclass(frozen=True)
class ExplainedMatch:
    patent_id: int
    offer_id: int | None  # the best compatible published offer that contains the patent
    score: float  # 0..100
    components: tuple[ScoreComponent, ...]
    matched_terms: tuple[str, ...]
    reason_en: str
    reason_zh: str

    def as_json(self) -> dict[str, Any]:
        return {
            "patent_id": self.patent_id,
            "offer_id": self.offer_id,
            "score": round(self.score, 2),
            "matched_terms": list(self.matched_terms),
            "reason_en": self.reason_en,
            "reason_zh": self.reason_zh,
            "components": [component.as_json() for component in self.components],
        }


@dataclass(frozen=True)
class IpcSuggestion:
    code: str  # canonical symbol: H01M, or H01M 10/00
    level: str  # "subclass" | "group"
    title: str  # Chinese title where the scheme has one, else English
    title_en: str
    score: float  # 0..1, share of the evidence (subclasses sum to at most 1)
    supporting_patents: int  # patents carrying the code that share a term with the text
    method: str = "statistics"  # "statistics" | "neighbours" (fallback)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "title": self.title,
            "title_en": self.title_en,
            "score": round(self.score, 4),
            "supporting_patents": self.supporting_patents,
            "method": self.method,
        }


# --- Pure component functions -------------------------------------------------------------
@functools.lru_cache(maxsize=65536)
def _ipc_parts(code: str) -> tuple[str, str, str, str | None] | None:
    """(section, class, subclass, main group key) of a code, or None if it does not parse
    (cached: a thousand candidates share a few hundred codes)."""
    try:
        symbol = parse_ipc(code)
    except IpcSymbolError:
        return None
    return symbol.section, symbol.class_code, symbol.subclass, symbol.main_group_key


def ipc_closeness_level(query_codes: Iterable[str], patent_codes: Iterable[str]) -> str:
    """Deepest level two sets of IPC codes share: group > subclass > class > section > none.

    "group" means the same main group (a subgroup belongs to its main group); a code
    given only at a coarser level can share at most that level.
    """
    best = "none"
    order = ["none", "section", "class", "subclass", "group"]
    patent_parts = [p for p in (_ipc_parts(code) for code in patent_codes) if p]
    for code in query_codes:
        query = _ipc_parts(code)
        if query is None:
            continue
        for patent in patent_parts:
            if query[3] is not None and query[3] == patent[3]:
                level = "group"
            elif query[2] and query[2] == patent[2] and len(query[2]) == 4:
                level = "subclass"
            elif len(query[1]) == 3 and query[1] == patent[1]:
                level = "class"
            elif query[0] == patent[0]:
                level = "section"
            else:
                continue
            if order.index(level) > order.index(best):
                best = level
    return best


def ipc_value(query_codes: Sequence[str], patent_codes: Sequence[str]) -> float:
    return IPC_CLOSENESS[ipc_closeness_level(query_codes, patent_codes)]


def legal_status_value(legal_status: str) -> float:
    """In force 1, in the fee grace period 0.6, pending 0.5; terminated or refused 0."""
    return LEGAL_STATUS_VALUE.get(legal_status, 0.0)  # type: ignore[call-overload]


def remaining_life_value(expiry_date: date | None, today: date) -> float:
    """Years of term left over ``FULL_LIFE_YEARS``, capped at 1; 0 once expired; unknown 0.5."""
    if expiry_date is None:
        return UNKNOWN_LIFE_VALUE
    years = (expiry_date - today).days / 365.25
    return max(0.0, min(1.0, years / FULL_LIFE_YEARS))


def budget_fit(
    price: Decimal | None, budget_min: Decimal | None, budget_max: Decimal | None
) -> float:
    """How a fixed price fits a budget: 1 within it (or below it: cheaper is fine), falling
    linearly to 0 at twice the maximum; an offer without a fixed price 0.5 when a budget is
    stated; 1 when no budget is stated."""
    if budget_min is None and budget_max is None:
        return 1.0
    if price is None:
        return UNPRICED_OFFER_FIT
    if budget_max is None or price <= budget_max:
        return 1.0
    if budget_max <= 0:
        return 0.0
    over = float((price - budget_max) / budget_max)
    return max(0.0, 1.0 - over)


def offer_value(
    offer_type: str | None,
    price: Decimal | None,
    wanted_types: Sequence[str],
    budget_min: Decimal | None,
    budget_max: Decimal | None,
) -> float:
    """0 without a published offer or with an unwanted type; else the budget fit."""
    if offer_type is None:
        return 0.0
    if wanted_types and offer_type not in wanted_types:
        return 0.0
    return budget_fit(price, budget_min, budget_max)


def region_value(patent_region: str | None, wanted: Sequence[str]) -> float:
    """1 inside a wanted region (prefix semantics: 31, 3101, 310115), 0.5 in the same
    province as one, else 0."""
    if not patent_region:
        return 0.0
    best = 0.0
    for code in wanted:
        prefix = _region_prefix(code)
        if patent_region.startswith(prefix):
            return 1.0
        if patent_region[:2] == code[:2]:
            best = SAME_PROVINCE_VALUE
    return best


def _region_prefix(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def high_value_value(is_high_value: bool) -> float:
    return 1.0 if is_high_value else 0.0


def combine(components: Sequence[ScoreComponent]) -> float:
    """0..100: the weighted mean of the components (weights already rescaled)."""
    total = sum(component.weight for component in components)
    if total <= 0:
        return 0.0
    return 100.0 * sum(c.weight * c.value for c in components) / total


def effective_weights(applicable: Iterable[str]) -> dict[str, float]:
    """``WEIGHTS`` restricted to the applicable components, rescaled to sum to 1."""
    names = set(applicable)
    total = sum(weight for name, weight in WEIGHTS.items() if name in names)
    return {name: (WEIGHTS[name] / total if name in names and total else 0.0) for name in WEIGHTS}


# --- Query terms --------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    lexeme: str  # as stored in search_document (lower case)
    display: bool  # a word worth showing as a matched term (not a bare character pair)
    latin: bool = False

    def tsquery(self) -> tuple[str, list[str]]:
        if self.latin:
            return "(%s::tsquery || plainto_tsquery('english', %s))", [
                search.quote_lexeme(self.lexeme),
                self.lexeme,
            ]
        return "%s::tsquery", [search.quote_lexeme(self.lexeme)]


def query_terms(text: str) -> list[Term]:
    """The terms of a free text (``patents.search.text.text_terms``), at most ``MAX_TERMS``.

    Chinese: rjieba search-mode words of two or more characters, and every pair of
    adjacent characters within a run (boilerplate cut out first, so 一种锂 gives no 种锂).
    Latin: lower-cased words, English stop words dropped.
    """
    return [
        Term(term.lexeme, display=term.display, latin=term.latin)
        for term in search.text_terms(text[:MAX_QUERY_CHARS])[:MAX_TERMS]
    ]


# --- Term statistics ----------------------------------------------------------------------
@dataclass(frozen=True)
class TermStatistics:
    rows: float  # estimated live rows with a search document
    frequencies: dict[str, float]  # share of documents containing the lexeme
    floor: float  # frequency assumed for a lexeme the statistics do not track

    def frequency(self, lexeme: str) -> float:
        return self.frequencies.get(lexeme, self.floor)

    def idf(self, lexeme: str) -> float:
        smallest = 1.0 / max(self.rows, 1.0)
        return math.log(1.0 / max(self.frequency(lexeme), smallest)) + 0.1


_stats_lock = threading.Lock()
_stats_cache: tuple[float, TermStatistics] | None = None


def clear_term_statistics() -> None:
    """Forget the cached statistics (after ANALYZE, in tests)."""
    global _stats_cache
    with _stats_lock:
        _stats_cache = None


def term_statistics() -> TermStatistics:
    """Lexeme frequencies from the planner's statistics, cached for ``TERM_STATS_TTL``."""
    global _stats_cache
    now = time.monotonic()
    cached = _stats_cache
    if cached is not None and now - cached[0] < TERM_STATS_TTL:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT greatest(c.reltuples, 1), s.most_common_elems::text::text[],
                   s.most_common_elem_freqs
            FROM pg_class c
            LEFT JOIN pg_stats s ON s.schemaname = current_schema()
                AND s.tablename = c.relname AND s.attname = 'search_document'
            WHERE c.oid = 'patents_patent'::regclass
            """
        )
        row = cursor.fetchone()
    rows, elems, freqs = (float(row[0]), row[1], row[2]) if row else (1.0, None, None)
    frequencies: dict[str, float] = {}
    floor = 0.5 / rows
    if elems and freqs:
        # The last three numbers are the minimum, the maximum and the null share.
        frequencies = {elem: float(freq) for elem, freq in zip(elems, freqs, strict=False)}
        floor = min(float(freqs[-3]) / 2, floor * 4) if len(freqs) > 3 else floor
    stats = TermStatistics(rows=rows, frequencies=frequencies, floor=floor)
    with _stats_lock:
        _stats_cache = (now, stats)
    return stats


def selecting_terms(terms: Sequence[Term], stats: TermStatistics) -> list[Term]:
    """The rarest terms, in order, while their estimated matches stay within the budget
    (at least one term, at most ``MAX_SELECTING_TERMS``)."""
    chosen: list[Term] = []
    estimate = 0.0
    for term in sorted(terms, key=lambda t: (stats.frequency(t.lexeme), -len(t.lexeme))):
        rows = stats.frequency(term.lexeme) * stats.rows
        if chosen and (
            estimate + rows > CANDIDATE_BUDGET_ROWS or len(chosen) >= MAX_SELECTING_TERMS
        ):
            break
        chosen.append(term)
        estimate += rows
    return chosen


# --- Candidates ---------------------------------------------------------------------------
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


def _candidates(
    terms: Sequence[Term],
    stats: TermStatistics,
    *,
    ipc_codes: Sequence[str] = (),
    exclude: Iterable[int] = (),
    live_only: bool = True,
    only: Sequence[int] | None = None,
) -> list[Candidate]:
    """One statement: the text (and IPC) candidates with a hit flag per term; with
    ``only``, exactly those patents (when live), whatever their text."""
    hit_sql, hit_params = [], []
    for term in terms:
        sql, params = term.tsquery()
        hit_sql.append(f"(d.document @@ {sql})")
        hit_params.extend(params)
    conditions = ["p.deleted_at IS NULL", "NOT (p.id = ANY(%s))"]
    condition_params: list[Any] = [list(exclude)]
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
            sql, params = term.tsquery()
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


def _score_text(
    candidates: Iterable[Candidate], terms: Sequence[Term], stats: TermStatistics
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


def _attach_offers(candidates: Sequence[Candidate]) -> None:
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


# --- Explanations -------------------------------------------------------------------------
_IPC_REASON = {
    "group": ("same IPC main group", "同一 IPC 大组"),
    "subclass": ("same IPC subclass", "同一 IPC 小类"),
    "class": ("same IPC class", "同一 IPC 大类"),
    "section": ("same IPC section only", "仅同一 IPC 部"),
    "none": ("no IPC code in common", "无共同 IPC 分类"),
}
_STATUS_ZH = {
    LegalStatus.IN_FORCE: "有效",
    LegalStatus.IN_GRACE_PERIOD: "年费宽限期内",
    LegalStatus.PENDING: "审查中",
}
_OFFER_TYPE_ZH = {
    "exclusive": "独占许可",
    "sole": "排他许可",
    "ordinary": "普通许可",
    "open_licence": "开放许可",
    "assignment": "转让",
    "equity_contribution": "作价入股",
}


def _components(
    candidate: Candidate, query: MatchQuery, weights: dict[str, float], today: date
) -> tuple[tuple[ScoreComponent, ...], int | None]:
    terms_text = "、".join(candidate.matched[:5])
    text = ScoreComponent(
        "text",
        weights["text"],
        candidate.text,
        f"text matches {', '.join(candidate.matched[:5])}"
        if candidate.matched
        else "no text match",
        f"文本匹配：{terms_text}" if candidate.matched else "文本无匹配",
    )
    if query.ipc_codes:
        level = ipc_closeness_level(query.ipc_codes, candidate.ipc_codes)
        ipc = ScoreComponent("ipc", weights["ipc"], IPC_CLOSENESS[level], *_IPC_REASON[level])
    else:
        ipc = ScoreComponent("ipc", 0.0, 0.0, "no IPC codes given", "未指定 IPC 分类")

    best_offer: tuple[float, int, str, Decimal | None] | None = None
    for offer_id, offer_type, price in candidate.offers:
        value = offer_value(
            offer_type, price, query.wanted_offer_types, query.budget_min, query.budget_max
        )
        if value > 0 and (best_offer is None or value > best_offer[0]):
            best_offer = (value, offer_id, offer_type, price)
    if best_offer is not None:
        value, offer_id, offer_type, price = best_offer
        price_en = f"{price:,.0f} CNY" if price is not None else "price negotiable"
        price_zh = f"{price:,.0f} 元" if price is not None else "价格面议"
        offer = ScoreComponent(
            "offer",
            weights["offer"],
            value,
            f"published {offer_type.replace('_', ' ')} offer, {price_en}",
            f"已发布{_OFFER_TYPE_ZH.get(offer_type, offer_type)}，{price_zh}",
        )
        chosen_offer: int | None = offer_id
    else:
        reason = (
            (
                "no published offer fits the wanted type or budget",
                "无符合所需方式或预算的已发布交易",
            )
            if candidate.offers
            else ("no published offer", "暂无已发布的许可或转让")
        )
        offer = ScoreComponent("offer", weights["offer"], 0.0, *reason)
        chosen_offer = None

    if query.region_codes:
        value = region_value(candidate.region_id, query.region_codes)
        region_reason = {
            1.0: ("holder in the wanted region", "权利人位于所需地区"),
            SAME_PROVINCE_VALUE: ("holder in the same province", "权利人位于同一省份"),
        }.get(value, ("holder outside the wanted region", "权利人不在所需地区"))
        region = ScoreComponent("region", weights["region"], value, *region_reason)
    else:
        region = ScoreComponent("region", 0.0, 0.0, "no region preference", "未指定地区")

    life = remaining_life_value(candidate.expiry_date, today)
    if candidate.expiry_date is None:
        life_reason = ("expiry date unknown", "届满日未知")
    else:
        years = max(0.0, (candidate.expiry_date - today).days / 365.25)
        life_reason = (f"{years:.1f} years of term left", f"剩余保护期 {years:.1f} 年")
    remaining = ScoreComponent("remaining_life", weights["remaining_life"], life, *life_reason)

    status = ScoreComponent(
        "legal_status",
        weights["legal_status"],
        legal_status_value(candidate.legal_status),
        f"legal status: {candidate.legal_status.replace('_', ' ')}",
        f"法律状态：{_STATUS_ZH.get(candidate.legal_status, candidate.legal_status)}",  # type: ignore[call-overload]
    )
    high = ScoreComponent(
        "high_value",
        weights["high_value"],
        high_value_value(candidate.is_high_value),
        "high-value invention patent" if candidate.is_high_value else "not a high-value patent",
        "高价值发明专利" if candidate.is_high_value else "非高价值专利",
    )
    return (text, ipc, offer, region, remaining, status, high), chosen_offer


def _one_line(components: Sequence[ScoreComponent]) -> tuple[str, str]:
    """The three strongest contributions, in both languages."""
    strongest = sorted(
        (c for c in components if c.weight > 0 and c.value > 0),
        key=lambda c: (-c.weight * c.value, COMPONENTS.index(c.name)),
    )[:3]
    if not strongest:
        return "weak match", "匹配度较低"
    return "; ".join(c.reason_en for c in strongest), "；".join(c.reason_zh for c in strongest)


# --- Selectors ----------------------------------------------------------------------------
def _bounded(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def find_matches(query: MatchQuery, *, limit: int = 20) -> list[ExplainedMatch]:
    """The best live patents for a demand, explained; at most ``limit`` (1..100).

    Queries: the term statistics (cached per process), one for the candidates, one for
    the offers of candidates that have one.
    """
    terms = query_terms(query.text)
    stats = term_statistics()
    candidates = _candidates(
        terms, stats, ipc_codes=query.ipc_codes, exclude=query.exclude_patent_ids
    )
    return _explained(query, terms, stats, candidates, limit=_bounded(limit))


def score_patents(query: MatchQuery, patent_ids: Sequence[int]) -> list[ExplainedMatch]:
    """The same scores and explanations for given patents only (the relevant live ones),
    best first: what a newly published offer's patents are worth to a demand, without a
    search. Two queries at most."""
    if not patent_ids:
        return []
    terms = query_terms(query.text)
    stats = term_statistics()
    candidates = _candidates(terms, stats, exclude=query.exclude_patent_ids, only=list(patent_ids))
    return _explained(query, terms, stats, candidates, limit=len(patent_ids))


def _explained(
    query: MatchQuery,
    terms: Sequence[Term],
    stats: TermStatistics,
    candidates: list[Candidate],
    *,
    limit: int,
) -> list[ExplainedMatch]:
    if not candidates:
        return []
    _score_text(candidates, terms, stats)
    _attach_offers(candidates)
    applicable = [c for c in COMPONENTS if c not in ("ipc", "region")]
    if query.ipc_codes:
        applicable.append("ipc")
    if query.region_codes:
        applicable.append("region")
    weights = effective_weights(applicable)
    today = timezone.localdate()
    scored = []
    for candidate in candidates:
        components, offer_id = _components(candidate, query, weights, today)
        values = {c.name: c.value for c in components}
        relevant = (
            values.get("text", 0.0) >= MIN_TEXT_VALUE
            or values.get("ipc", 0.0) >= (IPC_CLOSENESS["subclass"])
        )
        if relevant:
            scored.append((combine(components), candidate, components, offer_id))
    scored.sort(key=lambda item: (-item[0], -item[1].text, -item[1].id))
    matches = []
    for score, candidate, components, offer_id in scored[:limit]:
        reason_en, reason_zh = _one_line(components)
        matches.append(
            ExplainedMatch(
                patent_id=candidate.id,
                offer_id=offer_id,
                score=score,
                components=components,
                matched_terms=candidate.matched,
                reason_en=reason_en,
                reason_zh=reason_zh,
            )
        )
    return matches


def similar_patents(patent_id: int, *, limit: int = 10) -> list[ExplainedMatch]:
    """Live patents like this one (its title, keywords and abstract; its IPC codes), itself
    excluded. An unknown or deleted patent has none."""
    patent = (
        Patent.objects.filter(pk=patent_id)
        .values("title", "title_en", "keywords", "abstract", "ipc_codes")
        .first()
    )
    if patent is None:
        return []
    text = " ".join(
        [patent["title"], patent["title_en"], " ".join(patent["keywords"]), patent["abstract"]]
    )
    query = MatchQuery(
        text=text, ipc_codes=tuple(patent["ipc_codes"]), exclude_patent_ids=frozenset({patent_id})
    )
    return find_matches(query, limit=limit)


def suggest_ipc(
    text: str, *, limit: int = 10, exclude_patent_ids: frozenset[int] = frozenset()
) -> list[IpcSuggestion]:
    """IPC subclasses and main groups for a free text, best first.

    From the term-to-IPC statistics (``IpcTermStatistic``, built by ``manage.py
    build_ipc_statistics``): every query term votes for the codes it occurs with, see
    ``_statistics_scores``. Patents in ``exclude_patent_ids`` are taken out of the counts
    (leave-one-out evaluation). While the statistics are not built, or when they know
    none of the text's terms, the neighbours' vote (``_suggest_by_neighbours``) answers.
    Queries: the statistics rows of the query terms, the excluded patents (if any), the
    titles of the suggested codes.
    """
    limit = _bounded(limit)
    terms = query_terms(text)
    if not terms:
        return []
    scored = _statistics_scores([term.lexeme for term in terms], exclude_patent_ids)
    if scored is None:
        return _suggest_by_neighbours(terms, limit=limit, exclude_patent_ids=exclude_patent_ids)
    scores, support = scored
    subclasses = {code: score for code, score in scores.items() if " " not in code}
    total = sum(subclasses.values())
    ranked: list[tuple[float, str, str]] = [
        (score / total, "subclass", code) for code, score in subclasses.items()
    ]
    for code, score in scores.items():
        parent = subclasses.get(code[:4], 0.0)
        if " " in code and parent > 0:
            ranked.append((parent / total * min(1.0, score / parent), "group", code))
    ranked.sort(key=lambda item: (-item[0], item[1] != "subclass", item[2]))
    return _with_titles(
        [(level, code, share, support.get(code, 0)) for share, level, code in ranked[:limit]],
        method="statistics",
    )


def _statistics_scores(
    lexemes: Sequence[str], exclude_patent_ids: frozenset[int]
) -> tuple[dict[str, float], dict[str, int]] | None:
    """Each code's evidence, and the most patents one query term shares with it; ``None``
    when the statistics are not built or know none of the terms.

    A term ``t`` found in ``d`` patents gives a code ``c`` it shares with ``n`` of them
    ``log(N / d) * n / (d + SUGGEST_SMOOTHING)`` (N patents in all): the share of the
    term's patents that carry the code, damped for rare terms, weighted by how rare the
    term is. The scheme's titles add the same with their own counts, times
    ``SUGGEST_SCHEME_WEIGHT``. Per term only the ``SUGGEST_TERM_ROWS`` codes with most
    patents are read (the index ``ipc_term_documents``), so the work per query is bounded
    whatever the table size. Excluded patents are subtracted from every count they are in
    (counts never go below 0: a patent added after the build was not counted).
    """
    table = IpcTermStatistic._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.term, s.code, s.documents, s.scheme_titles "  # noqa: S608 - our SQL
            f"FROM unnest(%s::varchar[]) AS q(term) CROSS JOIN LATERAL ("
            f"SELECT term, code, documents, scheme_titles FROM {table} WHERE term = q.term "
            f"ORDER BY documents DESC, code LIMIT %s) s "
            f"UNION ALL SELECT term, code, documents, scheme_titles FROM {table} "
            f"WHERE term = %s AND code = %s",
            [[*lexemes], SUGGEST_TERM_ROWS, TOTAL, TOTAL],
        )
        rows = cursor.fetchall()
    counts: dict[tuple[str, str], list[int]] = {
        (term, code): [documents, scheme] for term, code, documents, scheme in rows
    }
    totals = counts.pop((TOTAL, TOTAL), None)
    if totals is None or totals[0] <= 0:
        return None
    if exclude_patent_ids:
        _subtract_patents(counts, totals, exclude_patent_ids)
    patents, titles = totals
    weights: dict[str, tuple[float, float, float, float]] = {}
    for term in lexemes:
        term_documents, term_titles = counts.get((term, TOTAL), (0, 0))
        weights[term] = (
            math.log(patents / term_documents) if term_documents > 0 else 0.0,
            term_documents + SUGGEST_SMOOTHING,
            SUGGEST_SCHEME_WEIGHT * math.log(titles / term_titles) if term_titles > 0 else 0.0,
            term_titles + SUGGEST_SCHEME_SMOOTHING,
        )
    scores: dict[str, float] = defaultdict(float)
    support: dict[str, int] = {}
    for (term, code), (documents, scheme) in counts.items():
        if code == TOTAL or term not in weights:
            continue
        patent_weight, patent_norm, title_weight, title_norm = weights[term]
        value = patent_weight * documents / patent_norm + title_weight * scheme / title_norm
        if value > 0:
            scores[code] += value
            support[code] = max(support.get(code, 0), documents)
    if not scores:
        return None
    return dict(scores), support


def _subtract_patents(
    counts: dict[tuple[str, str], list[int]], totals: list[int], patent_ids: frozenset[int]
) -> None:
    """Take counted patents (not deleted, with a code) out of the statistics rows read."""
    rows = (
        Patent.objects.filter(pk__in=patent_ids, deleted_at__isnull=True)
        .exclude(ipc_codes=[])
        .values_list("title", "keywords", "abstract", "ipc_codes")
    )
    for title, keywords, abstract, ipc_codes in rows:
        codes = statistic_codes(ipc_codes)
        if not codes:
            continue
        totals[0] = max(0, totals[0] - 1)
        for term in document_terms(title, keywords, abstract):
            for code in (TOTAL, *codes):
                row = counts.get((term, code))
                if row is not None:
                    row[0] = max(0, row[0] - 1)


def _with_titles(
    ranked: Sequence[tuple[str, str, float, int]], *, method: str
) -> list[IpcSuggestion]:
    """Suggestions for (level, code, score, supporting patents), with the scheme's titles."""
    scheme_keys = [parse_ipc(code).key for _level, code, _score, _support in ranked]
    titles = {
        row["key"]: (row["title_zh"], row["title_en"])
        for row in IpcClass.objects.filter(key__in=scheme_keys).values(
            "key", "title_zh", "title_en"
        )
    }
    suggestions = []
    for (level, code, score, supporting), scheme_key in zip(ranked, scheme_keys, strict=True):
        title_zh, title_en = titles.get(scheme_key, ("", ""))
        suggestions.append(
            IpcSuggestion(
                code=code,
                level=level,
                title=title_zh or title_en,
                title_en=title_en,
                score=score,
                supporting_patents=supporting,
                method=method,
            )
        )
    return suggestions


def _suggest_by_neighbours(
    terms: Sequence[Term], *, limit: int, exclude_patent_ids: frozenset[int]
) -> list[IpcSuggestion]:
    """The fallback: a k-nearest-neighbour vote over the IPC codes of the patents whose
    text best matches.

    The ``SUGGEST_NEIGHBOURS`` patents whose text best matches vote for their codes with
    their text score squared (a neighbour's first code counts fully, its others half);
    a code's score is its share of the vote. Main groups are suggested where neighbours
    carry group-level codes. Two queries (candidates, titles) after the term statistics.
    """
    stats = term_statistics()
    candidates = _candidates(terms, stats, exclude=exclude_patent_ids, live_only=False)
    _score_text(candidates, terms, stats)
    neighbours = sorted(candidates, key=lambda c: (-c.text, -c.id))[:SUGGEST_NEIGHBOURS]
    votes: dict[tuple[str, str], float] = defaultdict(float)
    support: dict[tuple[str, str], set[int]] = defaultdict(set)
    total = 0.0
    for neighbour in neighbours:
        weight = neighbour.text**2
        if weight <= 0:
            continue
        total += weight
        seen: set[tuple[str, str]] = set()
        for index, code in enumerate(neighbour.ipc_codes):
            try:
                symbol = parse_ipc(code)
            except IpcSymbolError:
                continue
            share = SUGGEST_MAIN_VOTE if index == 0 else SUGGEST_OTHER_VOTE
            voted = [("subclass", symbol.subclass)] if symbol.subclass_letter else []
            if symbol.main_group is not None:
                voted.append(("group", f"{symbol.subclass} {symbol.main_group}/00"))
            for key in voted:
                if key in seen:
                    continue
                seen.add(key)
                votes[key] += weight * share
                support[key].add(neighbour.id)
    if not votes:
        return []
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0][1]))[:limit]
    return _with_titles(
        [
            (level, code, vote / total, len(support[(level, code)]))
            for (level, code), vote in ranked
        ],
        method="neighbours",
    )
