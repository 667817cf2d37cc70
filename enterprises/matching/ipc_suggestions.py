"""IPC suggestions for a free text: which subclasses and main groups it belongs to.

Subclasses from the trained classifier (``patents.search.ipc_model``, ``manage.py
train_ipc_model``) when there is one and it is sure enough of the text, with main groups
ranked inside them by the term-to-IPC statistics (``patents.search.ipc_statistics``);
otherwise from the statistics alone when they are built; otherwise from the IPC codes of
the patents whose text best matches (``candidates``). Each suggestion says which method
gave it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from enterprises.matching.candidates import find_candidates, score_text
from enterprises.matching.scoring import (
    SUGGEST_MAIN_VOTE,
    SUGGEST_MODEL_MIN_DECISION,
    SUGGEST_NEIGHBOURS,
    SUGGEST_OTHER_VOTE,
    SUGGEST_SCHEME_SMOOTHING,
    SUGGEST_SCHEME_WEIGHT,
    SUGGEST_SMOOTHING,
    SUGGEST_TERM_ROWS,
    bounded_limit,
)
from enterprises.matching.terms import query_terms, term_statistics
from patents.models import IpcClass, IpcTermStatistic, Patent
from patents.reference.ipc import IpcSymbolError, parse_ipc
from patents.search.ipc_model import Prediction, current_model
from patents.search.ipc_statistics import TOTAL, document_terms, statistic_codes
from patents.search.text import TextTerm


@dataclass(frozen=True)
class IpcSuggestion:
    code: str  # canonical symbol: H01M, or H01M 10/00
    level: str  # "subclass" | "group"
    title: str  # Chinese title where the scheme has one, else English
    title_en: str
    score: float  # 0..1, share of the evidence (subclasses sum to at most 1)
    supporting_patents: int  # patents carrying the code that share a term with the text
    method: str = "statistics"  # "model" | "statistics" | "neighbours" (fallbacks)

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


def suggest_ipc(
    text: str, *, limit: int = 10, exclude_patent_ids: frozenset[int] = frozenset()
) -> list[IpcSuggestion]:
    """IPC subclasses and main groups for a free text, best first.

    With a trained model (``current_model``) whose best subclass for the text has a
    decision value of at least ``SUGGEST_MODEL_MIN_DECISION``: its subclasses, scored by
    their softmax share, and the statistics' main groups inside them (``_from_model``).
    Otherwise from the term-to-IPC statistics (``IpcTermStatistic``, built by ``manage.py
    build_ipc_statistics``): every query term votes for the codes it occurs with, see
    ``_statistics_scores``. Patents in ``exclude_patent_ids`` are taken out of the counts
    (leave-one-out evaluation). While the statistics are not built, or when they know
    none of the text's terms, the neighbours' vote (``_suggest_by_neighbours``) answers.
    Queries: the statistics rows of the query terms, the excluded patents (if any), the
    titles of the suggested codes.
    """
    limit = bounded_limit(limit)
    terms = query_terms(text)
    if not terms:
        return []
    keys = list(dict.fromkeys(term.key for term in terms))  # battery, batteries: one key
    scored = _statistics_scores(keys, exclude_patent_ids)
    model = current_model()
    predictions = model.predict(text, limit=limit) if model is not None else []
    if predictions and predictions[0].decision >= SUGGEST_MODEL_MIN_DECISION:
        return _from_model(predictions, scored, limit=limit)
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


def _from_model(
    predictions: Sequence[Prediction],
    scored: tuple[dict[str, float], dict[str, int]] | None,
    *,
    limit: int,
) -> list[IpcSuggestion]:
    """The model's subclasses, and main groups under them from the statistics: a group's
    score is its subclass's share times the group's evidence relative to its subclass's
    (at most 1), as in the statistics method."""
    scores, support = scored if scored is not None else ({}, {})
    share = {p.code: p.score for p in predictions}
    ranked: list[tuple[float, str, str]] = [(p.score, "subclass", p.code) for p in predictions]
    for code, score in scores.items():
        parent = scores.get(code[:4], 0.0)
        if " " in code and code[:4] in share and parent > 0:
            ranked.append((share[code[:4]] * min(1.0, score / parent), "group", code))
    ranked.sort(key=lambda item: (-item[0], item[1] != "subclass", item[2]))
    return _with_titles(
        [(level, code, value, support.get(code, 0)) for value, level, code in ranked[:limit]],
        method="model",
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
        .values_list("title", "keywords", "abstract", "title_en", "abstract_en", "ipc_codes")
    )
    for title, keywords, abstract, title_en, abstract_en, ipc_codes in rows:
        codes = statistic_codes(ipc_codes)
        if not codes:
            continue
        totals[0] = max(0, totals[0] - 1)
        for term in document_terms(title, keywords, abstract, title_en, abstract_en):
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
    terms: Sequence[TextTerm], *, limit: int, exclude_patent_ids: frozenset[int]
) -> list[IpcSuggestion]:
    """The fallback: a k-nearest-neighbour vote over the IPC codes of the patents whose
    text best matches.

    The ``SUGGEST_NEIGHBOURS`` patents whose text best matches vote for their codes with
    their text score squared (a neighbour's first code counts fully, its others half);
    a code's score is its share of the vote. Main groups are suggested where neighbours
    carry group-level codes. Two queries (candidates, titles) after the term statistics.
    """
    stats = term_statistics()
    candidates = find_candidates(terms, stats, exclude=exclude_patent_ids, live_only=False)
    score_text(candidates, terms, stats)
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
