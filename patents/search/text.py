"""Bilingual full-text search over patents, in one PostgreSQL ``tsvector``.

Documents. Chinese text is segmented in the application with rjieba (search mode), and
every run of Chinese characters is also indexed by its single characters and its
overlapping character pairs, each at the offset where it occurs. Words give ranking;
characters and pairs give recall: any substring of the title or abstract, even a
two-character word that jieba keeps inside a longer one (电池 in 锂离子电池), is found as
a phrase of pairs. Latin words inside Chinese text are lower-cased. Weights: title A,
keywords B, abstract C, holder names D. The English title and abstract are added by
PostgreSQL's ``english`` configuration (stemmed), with the same weights. The text
vector is written as a ``tsvector`` literal, so no database text parser or locale is
involved in the Chinese part.

Queries: a Chinese term of up to four characters is matched as written (one or two
characters: one lexeme; three or four: the word, or the phrase of its pairs, i.e. the
exact substring). Longer runs are segmented like documents and each word matched that
way. A Latin word
matches its lower-cased form or its English stem. Every term must match (AND).
Patent boilerplate (本发明, 一种, 涉及, 及其 ...) is dropped from queries and ranked
nowhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import rjieba

MAX_POSITION = 16383  # PostgreSQL's limit for a tsvector position
MAX_POSITIONS_PER_LEXEME = 256
SHORT_TERM = 4  # Chinese query terms up to this length match as substrings, not as words

# Boilerplate of patent texts: present everywhere, meaningless in a query.
STOP_WORDS = frozenset(
    [
        "本发明",
        "本实用新型",
        "本外观设计",
        "本申请",
        "本公开",
        "发明",
        "实用新型",
        "公开",
        "涉及",
        "一种",
        "及其",
        "所述",
        "其中",
        "包括",
        "提供",
        "具有",
        "以及",
        "通过",
        "用于",
        "至少",
        "多个",
        "一个",
        "上述",
        "该",
        "其",
        "的",
        "和",
        "与",
        "及",
        "或",
        "为",
        "在",
        "是",
        "了",
        "等",
        "中",
        "对",
        "由",
        "将",
        "可",
    ]
)
ENGLISH_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "with",
        "by",
        "or",
        "at",
        "from",
        "as",
        "is",
        "are",
    ]
)

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # Chinese characters
_LATIN_WORD = re.compile(r"[0-9a-z]+(?:[-.][0-9a-z]+)*")


def normalise_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a ``tsvector``/``tsquery`` literal: quoted, backslashes and quotes doubled."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class Field:
    text: str
    weight: str  # A, B, C or D


def document_vector(fields: Sequence[Field]) -> str:
    """The ``tsvector`` literal (text) for the Chinese-or-mixed fields of one document:
    the words rjieba finds (search mode), then every CJK character and character pair.

    Positions are listed per lexeme as they come: PostgreSQL's ``tsvector`` input sorts
    lexemes and positions and merges repeats (a word and the character pair at the same
    offset), in C, which is far cheaper than sorting here (this runs for every imported
    row). Every lexeme is CJK or matches ``_LATIN_WORD``, so none holds a quote, a
    backslash or a space and none needs escaping.
    """
    positions: dict[str, list[str]] = {}
    base = 0
    for field in fields:
        text = normalise_text(field.text)
        if not text:
            continue
        room = MAX_POSITION - base  # offsets (from 0) below this fit
        if not _add_field(positions, text, base, field.weight, room):
            break
        base += len(text) + 8  # a gap, so that no phrase spans two fields
        if base > MAX_POSITION:
            break
    return " ".join([f"'{lexeme}':{','.join(slot)}" for lexeme, slot in positions.items()])


def _add_field(
    positions: dict[str, list[str]], text: str, base: int, weight: str, room: int
) -> bool:
    """Add one field's lexemes to ``positions``; False once a position would not fit."""
    get = positions.get

    def add(lexeme: str, mark: str) -> None:
        slot = get(lexeme)
        if slot is None:
            positions[lexeme] = [mark]
        elif len(slot) < MAX_POSITIONS_PER_LEXEME:
            slot.append(mark)

    for word, start, _end in rjieba.tokenize(text, "search"):
        if start >= room:
            return False
        word = word.strip()
        if not word or word in STOP_WORDS:
            continue
        if CJK_RUN.fullmatch(word) or (
            _LATIN_WORD.fullmatch(word) and word not in ENGLISH_STOP_WORDS
        ):
            add(word, f"{base + start + 1}{weight}")
    for run in CJK_RUN.finditer(text):
        chars = run.group()
        first = run.start()
        last = len(chars) - 1
        for index, char in enumerate(chars):
            if first + index >= room:
                return False
            mark = f"{base + first + index + 1}{weight}"
            add(char, mark)
            if index < last:
                add(chars[index : index + 2], mark)
    return True


# --- Terms for matching and classification (enterprises.matching, patents.search.ipc_statistics)
_SINGLE_CHAR_STOPS = frozenset("的和与及或为在是了等对由将其该")
_MULTI_CHAR_STOPS = sorted((w for w in STOP_WORDS if len(w) > 1), key=len, reverse=True)
_STOP_SPLIT = re.compile("|".join(re.escape(w) for w in _MULTI_CHAR_STOPS))


@dataclass(frozen=True)
class TextTerm:
    lexeme: str  # as stored in search_document (lower case)
    display: bool  # a word worth showing as a matched term (not a bare character pair)
    latin: bool = False


def text_terms(text: str) -> list[TextTerm]:
    """The terms of a free text, in order of appearance, without duplicates.

    Chinese: rjieba search-mode words of two or more characters, and every pair of
    adjacent characters within a run (boilerplate cut out first, so 一种锂 gives no 种锂).
    Latin: lower-cased words, English stop words dropped. Every term is a lexeme of the
    text's ``search_document``.
    """
    normalised = normalise_text(text)
    terms: dict[str, TextTerm] = {}
    for run in CJK_RUN.finditer(normalised):
        for piece in _STOP_SPLIT.split(run.group()):
            if len(piece) < 2:
                continue
            for word in rjieba.cut_for_search(piece):
                if len(word) >= 2 and word not in STOP_WORDS:
                    terms.setdefault(word, TextTerm(word, display=True))
            for index in range(len(piece) - 1):
                pair = piece[index : index + 2]
                if pair[0] in _SINGLE_CHAR_STOPS or pair[1] in _SINGLE_CHAR_STOPS:
                    continue
                if pair not in STOP_WORDS:
                    terms.setdefault(pair, TextTerm(pair, display=False))
    for word in _LATIN_WORD.findall(CJK_RUN.sub(" ", normalised)):
        if word not in ENGLISH_STOP_WORDS and len(word) > 1:
            terms.setdefault(word, TextTerm(word, display=True, latin=True))
    return list(terms.values())


def _pairs_phrase(word: str) -> str:
    pairs = [word[i : i + 2] for i in range(len(word) - 1)]
    return " <-> ".join(quote_lexeme(pair) for pair in pairs)


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into a literal ``tsquery`` (Chinese and Latin lexemes) and English words.

    ``clauses`` are ANDed. Each entry of ``english`` is ANDed as
    ``(literal | english stem)`` by the SQL builder.
    """

    chinese: tuple[str, ...]
    english: tuple[str, ...]
    terms: tuple[str, ...]  # what was searched for, for explanations and highlighting

    @property
    def is_empty(self) -> bool:
        return not self.chinese and not self.english


def parse_query(text: str) -> ParsedQuery:
    chinese: list[str] = []
    english: list[str] = []
    terms: list[str] = []
    normalised = normalise_text(text)
    for run in CJK_RUN.finditer(normalised):
        phrase = run.group()
        if len(phrase) <= SHORT_TERM and phrase not in STOP_WORDS:
            words = [phrase]  # a short term is matched as written: a substring
        else:
            words = [w for w in rjieba.cut(phrase) if w.strip() and w not in STOP_WORDS]
        for word in words:
            terms.append(word)
            if len(word) <= 2:
                chinese.append(quote_lexeme(word))
            else:
                chinese.append(f"({quote_lexeme(word)} | {_pairs_phrase(word)})")
    latin_text = CJK_RUN.sub(" ", normalised)
    for word in _LATIN_WORD.findall(latin_text):
        if word in ENGLISH_STOP_WORDS:
            continue
        terms.append(word)
        english.append(word)
    return ParsedQuery(
        chinese=tuple(chinese), english=tuple(english), terms=tuple(dict.fromkeys(terms))
    )


def tsquery_sql(query: ParsedQuery) -> tuple[str, list[str]]:
    """SQL (and parameters) of the ``tsquery`` for a parsed query."""
    parts: list[str] = []
    params: list[str] = []
    if query.chinese:
        parts.append("%s::tsquery")
        params.append(" & ".join(query.chinese))
    for word in query.english:
        parts.append("(%s::tsquery || plainto_tsquery('english', %s))")
        params.extend([quote_lexeme(word), word])
    return "(" + " && ".join(parts) + ")", params


def english_vector_sql(title_en: str, abstract_en: str) -> tuple[str, list[str]]:
    """SQL for the stemmed English part of a document (weights A and C)."""
    return (
        "(setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'C'))",
        [title_en or "", abstract_en or ""],
    )
