"""The terms of a query and how rare each is: what the text relevance of a match rests on.

A query is cut into terms the way documents are indexed (``patents.search.text.text_terms``),
without the stop words of ``patents.search.stopwords``;
each term's inverse document frequency comes from the planner's statistics of
``search_document`` (see ``scoring`` for the design), cached per process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from enterprises.matching.scoring import (
    CANDIDATE_BUDGET_ROWS,
    MAX_QUERY_CHARS,
    MAX_SELECTING_TERMS,
    MAX_TERMS,
    TERM_STATS_TTL,
)
from patents.search import text as search_text
from patents.search.stopwords import MATCHING_STOP_WORDS
from patents.search.text import TextTerm


def query_terms(text: str) -> list[TextTerm]:
    """The terms of a free text (``patents.search.text.text_terms``), at most ``MAX_TERMS``.

    Chinese: rjieba search-mode words of two or more characters, and every pair of
    adjacent characters, after the stop words (``patents.search.stopwords``: function
    words, patent boilerplate, demand phrasing) are dropped as whole words, so 一种锂 gives
    no 种锂 and 我公司需要电池 gives no 公司. Latin: lower-cased words, stop words dropped.
    Matching also drops a demand's conversational and procurement words
    (``stopwords.DEMAND_CONVERSATION``: 我们是一家…厂, 能够提高, 欢迎转让), so a patent's text
    value is the share of the demand's meaningful terms it contains.
    """
    return search_text.text_terms(text[:MAX_QUERY_CHARS], MATCHING_STOP_WORDS)[:MAX_TERMS]


def term_tsquery(term: TextTerm) -> tuple[str, list[str]]:
    """SQL (with its parameters) of a ``tsquery`` that finds the term in a search document:
    as written, or for a Latin word also by its English stem."""
    if term.latin:
        return "(%s::tsquery || plainto_tsquery('english', %s))", [
            search_text.quote_lexeme(term.lexeme),
            term.lexeme,
        ]
    return "%s::tsquery", [search_text.quote_lexeme(term.lexeme)]


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


def selecting_terms(terms: Sequence[TextTerm], stats: TermStatistics) -> list[TextTerm]:
    """The rarest terms, in order, while their estimated matches stay within the budget
    (at least one term, at most ``MAX_SELECTING_TERMS``)."""
    chosen: list[TextTerm] = []
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
