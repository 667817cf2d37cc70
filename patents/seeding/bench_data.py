"""Synthetic patents for the benchmark, drawn from the real seed corpus.

The vocabulary (rjieba words with their frequencies), the IPC subclass distribution and
the title shapes come from the 7,860 real patents in ``seeds/patents/``; IPC groups come
from the scheme under each subclass; holders are universities, institutes and companies
with real region codes. Rows are dictionaries in the import columns (``patents.imports.patents``),
so the benchmark loads them through the real import path. Generation is deterministic
for a given seed and row index, so an interrupted load resumes where it stopped.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import rjieba

from patents.models import IpcClass, Region
from patents.register import numbers
from patents.search.stopwords import QUERY_STOP_WORDS
from patents.search.text import CJK_RUN, parse_query
from patents.seeding.patents import read_records

HOLDER_SUFFIXES = [
    ("大学", 30), ("理工大学", 6), ("交通大学", 3), ("科技大学", 5), ("师范大学", 2),
    ("研究所", 10), ("研究院", 6), ("医院", 3), ("科技有限公司", 25), ("股份有限公司", 10),
]  # fmt: skip
TYPE_MIX = [("invention", 60), ("utility_model", 35), ("design", 5)]
TITLE_SUFFIXES = ["及其制备方法", "方法", "装置", "系统", "设备", "组合物", "及其应用", ""]
ENGLISH_SHARE = 0.2


@dataclass
class CorpusModel:
    words: list[str]
    word_weights: list[float]
    common_word: str
    rare_words: list[str]
    subclasses: list[str]
    subclass_weights: list[int]
    groups: dict[str, list[str]]
    english_words: list[str]
    regions: list[str]
    short_terms: list[str]
    real_texts: list[tuple[str, str]]


def build_model(seeds_dir: Path, *, rng: random.Random) -> CorpusModel:
    records = read_records(seeds_dir).patents
    word_counts: Counter[str] = Counter()
    subclass_counts: Counter[str] = Counter()
    for record in records.values():
        text = f"{record['title']} {record.get('abstract', '')}"
        word_counts.update(
            w
            for w in rjieba.cut(text)
            if len(w) >= 2 and w not in QUERY_STOP_WORDS and CJK_RUN.fullmatch(w)
        )
        subclass_counts.update(code[:4] for code in record["ipc_codes"] if len(code) >= 4)
    ranked = [w for w, _n in word_counts.most_common(6000)]
    weights = [float(word_counts[w]) for w in ranked]
    subclasses = [s for s, _n in subclass_counts.most_common()]
    groups: dict[str, list[str]] = {}
    for symbol in IpcClass.objects.filter(
        symbol__regex=r"^(" + "|".join(subclasses) + r") ", level__in=["main_group", "subgroup"]
    ).values_list("symbol", flat=True):
        groups.setdefault(symbol[:4], []).append(symbol)
    english = Counter(
        word.lower()
        for title in IpcClass.objects.filter(symbol__in=subclasses).values_list(
            "title_en", flat=True
        )
        for word in (title or "").replace(",", " ").replace(";", " ").split()
        if word.isalpha() and len(word) > 3
    )
    regions = list(
        Region.objects.filter(level="district", code__startswith="31", is_current=True).values_list(
            "code", flat=True
        )
    ) + list(
        Region.objects.filter(level="district", is_current=True).values_list("code", flat=True)[
            :300
        ]
    )
    # Short query terms (1 to 4 characters) as they occur in the real texts.
    texts = [(r["title"], r.get("abstract", "")) for r in records.values()]
    shorts: set[str] = set()
    pool = [w for w in ranked[:3000] if 2 <= len(w) <= 4]
    rng.shuffle(pool)
    shorts.update(pool[:150])
    for title, _abstract in rng.sample(texts, 200):
        cjk = [c for c in title if CJK_RUN.fullmatch(c)]
        if cjk:
            shorts.add(rng.choice(cjk))
        if len(shorts) >= 200:
            break
    shorts = {term for term in shorts if not parse_query(term).is_empty}  # stop words
    return CorpusModel(
        words=ranked,
        word_weights=weights,
        common_word=ranked[0],
        rare_words=ranked[2000:2050],
        subclasses=subclasses,
        subclass_weights=[subclass_counts[s] for s in subclasses],
        groups=groups,
        english_words=[w for w, _n in english.most_common(400)],
        regions=regions,
        short_terms=sorted(shorts)[:200],
        real_texts=texts,
    )


def holder_names(model: CorpusModel, count: int, rng: random.Random) -> list[str]:
    places = ["上海", "浦东", "复旦", "同济", "华东", "东华", "闵行", "临港", "张江", "松江",
              "北京", "江苏", "浙江", "南京", "杭州", "苏州", "合肥", "武汉", "深圳", "广州"]  # fmt: skip
    suffixes = [s for s, _w in HOLDER_SUFFIXES]
    weights = [w for _s, w in HOLDER_SUFFIXES]
    names = []
    for index in range(count):
        stem = rng.choice(places) + rng.choice(model.words[:500])
        names.append(f"{stem}{rng.choices(suffixes, weights)[0]}{index}")
    return names


def patent_row(index: int, model: CorpusModel, holders: list[str], seed: int = 7) -> dict[str, Any]:
    """Row ``index`` of the synthetic corpus, in the import columns."""
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 - synthetic data
    patent_type = rng.choices([t for t, _w in TYPE_MIX], [w for _t, w in TYPE_MIX])[0]
    type_digit = {"invention": "1", "utility_model": "2", "design": "3"}[patent_type]
    year = 2005 + index % 20
    # Serials from 9000000: a range no office year has reached, so that no synthetic
    # application number is a real one the seed holds (an import would update that patent).
    body = f"{year}{type_digit}9{index // 20:06d}"
    application = f"{body}.{numbers.check_character(body)}"
    filing = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    granted = patent_type != "invention" or rng.random() < 0.55
    grant_date = filing + timedelta(days=rng.randrange(200, 1400)) if granted else None
    if grant_date and grant_date > date(2025, 12, 31):
        grant_date, granted = None, False
    # A 9 after the type digit: publication numbers the office has not reached (CN119...,
    # CN22..., CN30... in 2025), for the same reason.
    serial = f"9{index:07d}"
    kind = {"invention": "B" if granted else "A", "utility_model": "U", "design": "S"}[patent_type]
    publication = f"CN{type_digit}{serial}{kind}"
    words = rng.choices(model.words, model.word_weights, k=rng.randint(2, 5))
    title = ("一种" if rng.random() < 0.5 else "") + "".join(words) + rng.choice(TITLE_SUFFIXES)
    abstract_words = rng.choices(model.words, model.word_weights, k=rng.randint(25, 60))
    if rng.random() < 0.6:
        abstract_words.insert(rng.randrange(len(abstract_words)), model.common_word)
    abstract = (
        "本发明公开了"
        + "，".join("".join(abstract_words[i : i + 4]) for i in range(0, len(abstract_words), 4))
        + "。"
    )
    subclass = rng.choices(model.subclasses, model.subclass_weights)[0]
    candidates = model.groups.get(subclass) or [subclass]
    codes = list(dict.fromkeys(rng.choice(candidates) for _ in range(rng.randint(1, 3))))
    status = "pending"
    if granted:
        status = rng.choices(["in_force", "lapsed", "expired"], [80, 15, 5])[0]
    elif rng.random() < 0.2:
        status = rng.choice(["withdrawn", "rejected"])
    owners = list(dict.fromkeys(rng.choice(holders) for _ in range(rng.choice([1, 1, 1, 2]))))
    return {
        "application_number": application,
        "publication_number": publication if not granted or patent_type != "invention" else "",
        "grant_number": publication if granted else "",
        "patent_type": patent_type,
        "title": title[:500],
        "title_en": " ".join(rng.choices(model.english_words, k=rng.randint(3, 8)))
        if model.english_words and rng.random() < ENGLISH_SHARE
        else "",
        "abstract": abstract,
        "keywords": "|".join(dict.fromkeys(words[:3])),
        "ipc_codes": "|".join(codes),
        "applicants": "|".join(owners),
        "current_holders": "|".join(owners),
        "inventors": "",
        "filing_date": filing.isoformat(),
        "grant_date": grant_date.isoformat() if grant_date else "",
        "legal_status": status,
        "has_foreign_grant": "true" if rng.random() < 0.03 else "false",
    }
