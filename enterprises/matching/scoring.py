"""How the matching engine scores: the design note, every weight and limit, the components.

DESIGN.md section 5. The engine (this package) answers three questions, each through the
patents app's data:

- ``matches.find_matches(query)``: candidates from the text index (and the demand's IPC
  codes, or its suggested subclasses), each scored by eight components whose weights live
  in ``WEIGHTS``; every match carries its components, the matched terms and a one-line
  reason in English and Chinese.
- ``ipc_suggestions.suggest_ipc(text)``: every term of the text votes for the IPC codes it
  occurs with (the term-to-IPC statistics); while they are not built, a k-nearest-neighbour
  vote over the IPC codes of the patents whose text best matches ``text`` (weighted by their
  text score).
- ``matches.similar_patents(patent_id)``: ``find_matches`` with the patent's own text and
  IPC codes, the patent itself excluded.

Text relevance. The query is cut into terms the way documents are indexed
(``patents.search.text``): rjieba words and overlapping Chinese character pairs (single
characters and the stop words of ``patents.search.stopwords`` are left out), plus Latin
words (matched as written or by English stem). Each term is weighted by its inverse document frequency, read from the
planner's statistics of ``search_document`` (``pg_stats.most_common_elems``, which
migration 0004 makes track about 10,000 lexemes; a term not tracked is rarer than every
tracked one). A candidate's text value is the IDF-weighted share of the query's terms it
contains (``terms``, ``candidates``).

Bounded work (a million patents on two cores). Candidates come from the search engine
(``patents.search.engine.best_text_matches``): the ``TEXT_CANDIDATES`` patents whose text
best matches *any* of the query terms by BM25 over the weighted fields (rare terms weigh
most, as here), the ``IPC_CANDIDATES`` best under the demand's IPC codes, and the
suggested subclasses' ``SUGGESTED_CANDIDATES`` and ``SUGGESTED_FALLBACK_CANDIDATES``; at
most that many rows are scored, whatever the table size. Without an index (none built
yet, or ``SEARCH_ENGINE`` off) PostgreSQL answers: an OR over the *rarest* query terms,
chosen until their estimated matches (frequency x table rows) reach
``CANDIDATE_BUDGET_ROWS``, newest first through the GIN index, so an older patent that
shares every word can fall outside the window. Common terms (装置, 方法) count in the
score of the candidates either way.

Legal status. Lapsed, expired, invalidated, withdrawn and rejected patents are free to
use or void: nothing can be licensed, so ``find_matches`` and ``similar_patents`` never
return them (and ``legal_status_value`` gives them 0). ``suggest_ipc`` uses every patent
as evidence of how texts are classified.

Suggested classification. A demand that gives no IPC codes (SMEs rarely know them) is
classified by ``suggest_ipc``: its best ``SUGGESTED_SUBCLASSES`` subclasses, with their
suggestion scores, are a weaker IPC signal (``suggested_ipc``, its own weight): a patent
in the best suggested subclass has value 1, in another one its score relative to the
best. They are a candidate source too (patents in them sharing a query word, and a few
in the best one whatever their text), and a patent in the best suggested subclass, or in
another one with some text in common, is relevant even under ``MIN_TEXT_VALUE``: a
demand with meaningful text gets matches whenever the database holds patents in its
suggested subclasses. Two queries per demand (the statistics rows, the titles), none
per candidate.

Components a demand says nothing about (no IPC codes, no region; no suggestion when it
has IPC codes) are left out of the score: their weight is 0 in the explanation and the
others are rescaled to sum to 1.

Below: the weights and limits (the one place to tune the engine), then one pure function
per component (no database).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from patents.models import LegalStatus
from patents.reference.ipc import IpcSymbolError, parse_ipc
from patents.reference.regions import region_code_prefix

# --- Weights and limits: the one place to tune the engine -------------------------------
WEIGHTS: dict[str, float] = {
    "text": 0.45,
    "ipc": 0.20,
    "suggested_ipc": 0.10,  # only when the demand gives no IPC codes: suggest_ipc's top 3
    "offer": 0.10,
    "remaining_life": 0.08,
    "legal_status": 0.07,
    "region": 0.05,
    "high_value": 0.05,
}
COMPONENTS = tuple(WEIGHTS)

IPC_CLOSENESS = {"group": 1.0, "subclass": 0.75, "class": 0.5, "section": 0.25, "none": 0.0}
LEGAL_STATUS_VALUE: dict[str, float] = {
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
CANDIDATE_WINDOW = 1000  # hard cap on rows scored per query (PostgreSQL's newest window)
# The search engine's best text matches scored per query: on the seed, the best 300 give
# the same leave-one-out figure as the best 1,000 (29.4%) in 29 ms instead of 40 (median).
TEXT_CANDIDATES = 300
IPC_CANDIDATES = 200  # extra candidates from the demand's IPC codes
# A demand without IPC codes: suggest_ipc's best subclasses stand in, weaker (their own
# weight above), as a component and as a candidate source.
SUGGESTED_SUBCLASSES = 3  # suggested subclasses used
SUGGESTED_CANDIDATES = 200  # candidates in them that share a query word
SUGGESTED_FALLBACK_CANDIDATES = 20  # and in the best one whatever their text
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
# The trained classifier (patents.search.ipc_model) answers when its best subclass's
# decision value reaches this; below it (a text it knows little of), the statistics do.
SUGGEST_MODEL_MIN_DECISION = -1.0
TERM_STATS_TTL = 600.0  # seconds the term statistics are cached per process


def bounded_limit(limit: int) -> int:
    """``limit`` within 1..``MAX_LIMIT``."""
    return max(1, min(int(limit), MAX_LIMIT))


# --- Components -----------------------------------------------------------------------------
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


def suggested_ipc_value(
    suggested: Sequence[tuple[str, float]], patent_codes: Sequence[str]
) -> tuple[float, str | None]:
    """A patent against the suggested subclasses ((code, suggestion score), best first):
    the score of the best one it is in, relative to the best suggestion's (so 1 in the
    best suggested subclass), and that subclass; (0, None) in none of them."""
    if not suggested:
        return 0.0, None
    top = suggested[0][1] or 1.0
    own = {parts[2] for parts in (_ipc_parts(code) for code in patent_codes) if parts}
    for code, score in suggested:
        if code in own:
            return min(1.0, max(score, 0.0) / top) if top > 0 else 1.0, code
    return 0.0, None


def legal_status_value(legal_status: str) -> float:
    """In force 1, in the fee grace period 0.6, pending 0.5; terminated or refused 0."""
    return LEGAL_STATUS_VALUE.get(legal_status, 0.0)


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
        prefix = region_code_prefix(code)
        if patent_region.startswith(prefix):
            return 1.0
        if patent_region[:2] == code[:2]:
            best = SAME_PROVINCE_VALUE
    return best


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
