"""Explained matches: for a demand (``find_matches``), for given patents only
(``score_patents``) and for a patent (``similar_patents``).

Each candidate (``candidates``) is scored by the components of ``scoring``; every match
carries its components, the matched terms and a one-line reason in English and Chinese.
What a demand says is turned into a query in one place: ``demand_text`` and
``demand_query``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from enterprises.matching.candidates import (
    Candidate,
    attach_offers,
    find_candidates,
    score_text,
)
from enterprises.matching.ipc_suggestions import suggest_ipc
from enterprises.matching.scoring import (
    COMPONENTS,
    IPC_CLOSENESS,
    MIN_TEXT_VALUE,
    SAME_PROVINCE_VALUE,
    SUGGESTED_SUBCLASSES,
    ScoreComponent,
    bounded_limit,
    combine,
    effective_weights,
    high_value_value,
    ipc_closeness_level,
    legal_status_value,
    offer_value,
    region_value,
    remaining_life_value,
    suggested_ipc_value,
)
from enterprises.matching.terms import TermStatistics, query_terms, term_statistics
from enterprises.models import TechnologyDemand
from patents.models import LegalStatus, Patent
from patents.search.text import TextTerm


@dataclass(frozen=True)
class SuggestedSubclass:
    """An IPC subclass ``suggest_ipc`` gives a demand without IPC codes."""

    code: str  # H01M
    title: str  # the scheme's Chinese title (English where it has none)
    title_en: str
    score: float  # suggest_ipc's score, 0..1

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "title_en": self.title_en,
            "score": round(self.score, 4),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SuggestedSubclass:
        return cls(
            code=str(data["code"]),
            title=str(data.get("title", "")),
            title_en=str(data.get("title_en", "")),
            score=float(data.get("score", 0.0)),
        )


@dataclass(frozen=True)
class MatchQuery:
    text: str  # what is looked for, zh and/or en (a demand's: ``demand_text``)
    ipc_codes: tuple[str, ...] = ()  # normalised IPC codes, any level
    wanted_offer_types: tuple[str, ...] = ()  # LicensingOffer.offer_type values
    budget_min: Decimal | None = None  # CNY
    budget_max: Decimal | None = None
    region_codes: tuple[str, ...] = ()  # six-digit division codes, any level (prefix semantics)
    exclude_patent_ids: frozenset[int] = frozenset()
    # Without IPC codes: suggest_ipc's best subclasses (``with_suggestions``); None: not
    # asked yet (find_matches asks), (): none.
    suggested_ipc: tuple[SuggestedSubclass, ...] | None = None


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


# --- A demand as a query ------------------------------------------------------------------
LABEL = re.compile(r"【[^】]*】")  # 【演示】, 【急】: labels, not technical content


def demand_text(demand: TechnologyDemand) -> str:
    """What a demand says, as one text to match: its titles, keywords and descriptions in
    both languages, without labels such as 【演示】 (they say nothing technical)."""
    text = "\n".join(
        part
        for part in (
            demand.title,
            demand.title_en,
            " ".join(demand.keywords),
            demand.description,
            demand.description_en,
        )
        if part
    )
    return LABEL.sub(" ", text)


def demand_query(demand: TechnologyDemand) -> MatchQuery:
    """The query that finds a demand's matches: its text, IPC codes, wanted offer types,
    budget and preferred regions; without IPC codes, the subclasses suggested when it was
    last matched (``TechnologyDemand.suggested_ipc``; asked afresh when there are none)."""
    stored = tuple(SuggestedSubclass.from_json(item) for item in demand.suggested_ipc or [])
    return MatchQuery(
        text=demand_text(demand),
        ipc_codes=tuple(demand.ipc_codes),
        wanted_offer_types=tuple(demand.wanted_offer_types),
        budget_min=demand.budget_min_cny,
        budget_max=demand.budget_max_cny,
        region_codes=tuple(demand.preferred_regions),
        suggested_ipc=None if demand.ipc_codes or not stored else stored,
    )


def with_suggestions(query: MatchQuery) -> MatchQuery:
    """The query with its suggested subclasses: none when it has IPC codes; else
    ``suggest_ipc``'s best ``SUGGESTED_SUBCLASSES`` subclasses for its text (two queries;
    the query's excluded patents are not evidence either), unless already given."""
    if query.ipc_codes:
        return dataclasses.replace(query, suggested_ipc=())
    if query.suggested_ipc is not None:
        return query
    found = suggest_ipc(query.text, limit=10, exclude_patent_ids=query.exclude_patent_ids)
    subclasses = [s for s in found if s.level == "subclass"]
    suggested = tuple(
        SuggestedSubclass(code=s.code, title=s.title, title_en=s.title_en, score=s.score)
        for s in subclasses[:SUGGESTED_SUBCLASSES]
    )
    return dataclasses.replace(query, suggested_ipc=suggested)


# --- Matches ------------------------------------------------------------------------------
def find_matches(query: MatchQuery, *, limit: int = 20) -> list[ExplainedMatch]:
    """The best live patents for a demand, explained; at most ``limit`` (1..100).

    Queries: the term statistics (cached per process), the IPC suggestion when the query
    has no IPC codes and none were given (``with_suggestions``: two), one for the
    candidates, one for the offers of candidates that have one.
    """
    query = with_suggestions(query)
    terms = query_terms(query.text)
    stats = term_statistics()
    candidates = find_candidates(
        terms,
        stats,
        ipc_codes=query.ipc_codes,
        suggested_subclasses=[s.code for s in query.suggested_ipc or ()],
        exclude=query.exclude_patent_ids,
    )
    return _explained(query, terms, stats, candidates, limit=bounded_limit(limit))


def score_patents(query: MatchQuery, patent_ids: Sequence[int]) -> list[ExplainedMatch]:
    """The same scores and explanations for given patents only (the relevant live ones),
    best first: what a newly published offer's patents are worth to a demand, without a
    search. Two queries at most (four when the demand's suggested subclasses are not
    given)."""
    if not patent_ids:
        return []
    query = with_suggestions(query)
    terms = query_terms(query.text)
    stats = term_statistics()
    candidates = find_candidates(
        terms, stats, exclude=query.exclude_patent_ids, only=list(patent_ids)
    )
    return _explained(query, terms, stats, candidates, limit=len(patent_ids))


def _explained(
    query: MatchQuery,
    terms: Sequence[TextTerm],
    stats: TermStatistics,
    candidates: list[Candidate],
    *,
    limit: int,
) -> list[ExplainedMatch]:
    if not candidates:
        return []
    score_text(candidates, terms, stats)
    attach_offers(candidates)
    applicable = [c for c in COMPONENTS if c not in ("ipc", "region")]
    applicable.remove("suggested_ipc")
    if query.ipc_codes:
        applicable.append("ipc")
    elif query.suggested_ipc:
        applicable.append("suggested_ipc")
    if query.region_codes:
        applicable.append("region")
    weights = effective_weights(applicable)
    today = timezone.localdate()
    scored = []
    for candidate in candidates:
        components, offer_id = _components(candidate, query, weights, today)
        values = {c.name: c.value for c in components}
        suggested = values.get("suggested_ipc", 0.0)
        relevant = (
            values.get("text", 0.0) >= MIN_TEXT_VALUE
            or values.get("ipc", 0.0) >= (IPC_CLOSENESS["subclass"])
            or suggested >= 1.0  # the best suggested subclass
            or (suggested > 0 and candidate.text > 0)
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


# --- Explanations -------------------------------------------------------------------------
_IPC_REASON = {
    "group": ("same IPC main group", "同一 IPC 大组"),
    "subclass": ("same IPC subclass", "同一 IPC 小类"),
    "class": ("same IPC class", "同一 IPC 大类"),
    "section": ("same IPC section only", "仅同一 IPC 部"),
    "none": ("no IPC code in common", "无共同 IPC 分类"),
}
_STATUS_ZH: dict[str, str] = {
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
    suggested = _suggested_component(candidate, query, weights)

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
        f"法律状态：{_STATUS_ZH.get(candidate.legal_status, candidate.legal_status)}",
    )
    high = ScoreComponent(
        "high_value",
        weights["high_value"],
        high_value_value(candidate.is_high_value),
        "high-value invention patent" if candidate.is_high_value else "not a high-value patent",
        "高价值发明专利" if candidate.is_high_value else "非高价值专利",
    )
    return (text, ipc, suggested, offer, region, remaining, status, high), chosen_offer


_EDITION = re.compile(r"〔\d+〕|\[\d+\]")  # the scheme's edition marks: 电池组〔2〕


def _short_title(title: str, *, english: bool = False) -> str:
    """A scheme title for a one-line reason: without edition marks, up to its first
    parenthesis or clause (Chinese) or parenthesis (English, in sentence case), capped."""
    title = _EDITION.sub("", title).strip()
    if english:
        cut = re.split(r"[(;]", title, maxsplit=1)[0].strip(" ,") or title
        shouting = sum(c.isupper() for c in cut) > sum(c.islower() for c in cut)
        cut = cut.capitalize() if shouting else cut  # the scheme's capitals, as a sentence
        return cut if len(cut) <= 60 else cut[:59].rstrip() + "…"
    cut = re.split(r"[（(;；，,]", title, maxsplit=1)[0].strip() or title
    return cut if len(cut) <= 30 else cut[:29] + "…"


def _suggested_component(
    candidate: Candidate, query: MatchQuery, weights: dict[str, float]
) -> ScoreComponent:
    if query.ipc_codes:
        return ScoreComponent(
            "suggested_ipc", 0.0, 0.0, "IPC codes given", "已指定 IPC 分类，不使用建议分类"
        )
    suggested = query.suggested_ipc or ()
    if not suggested:
        return ScoreComponent("suggested_ipc", 0.0, 0.0, "no suggested subclass", "无建议分类")
    value, code = suggested_ipc_value([(s.code, s.score) for s in suggested], candidate.ipc_codes)
    if code is None:
        codes = ", ".join(s.code for s in suggested)
        return ScoreComponent(
            "suggested_ipc",
            weights["suggested_ipc"],
            0.0,
            f"not in a suggested subclass ({codes})",
            f"不属于建议分类（{'、'.join(s.code for s in suggested)}）",
        )
    chosen = next(s for s in suggested if s.code == code)
    title_en = _short_title(chosen.title_en or chosen.title, english=True)
    title_zh = _short_title(chosen.title or chosen.title_en)
    return ScoreComponent(
        "suggested_ipc",
        weights["suggested_ipc"],
        value,
        f"suggested subclass {code}" + (f" ({title_en})" if title_en else ""),
        f"建议分类 {code}" + (f"（{title_zh}）" if title_zh else ""),
    )


def _one_line(components: Sequence[ScoreComponent]) -> tuple[str, str]:
    """The three strongest contributions, in both languages."""
    strongest = sorted(
        (c for c in components if c.weight > 0 and c.value > 0),
        key=lambda c: (-c.weight * c.value, COMPONENTS.index(c.name)),
    )[:3]
    if not strongest:
        return "weak match", "匹配度较低"
    return "; ".join(c.reason_en for c in strongest), "；".join(c.reason_zh for c in strongest)
