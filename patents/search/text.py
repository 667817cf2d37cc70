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
involved in the Chinese part. Function words and patent boilerplate
(``stopwords.INDEX_STOP_WORDS``) are not indexed as words; their characters are.

Queries: each run of Chinese characters is cut into rjieba words and the stop words
(``stopwords.QUERY_STOP_WORDS``: function words, patent boilerplate, demand phrasing)
are dropped, so 一种方法 searches 方法. A run of up to four characters is then matched as
written, without its stop words (one or two characters: one lexeme; three or four: the
word, or the phrase of its pairs, i.e. the exact substring). Longer runs are matched word
by word. A Latin word matches its lower-cased form or its English stem. Every term must
match (AND). A query made only of stop words is empty (``ParsedQuery.is_empty``).

Free texts (demands, a patent's own text, IPC statistics): ``text_terms``. The whole
pipeline, with examples, is in docs/search.md.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import rjieba
import snowballstemmer

from patents.search.stopwords import (
    ASKER_SUFFIXES,
    INDEX_STOP_WORDS,
    PAIR_BREAKERS,
    QUERY_STOP_WORDS,
)

MAX_POSITION = 16383  # PostgreSQL's limit for a tsvector position
MAX_POSITIONS_PER_LEXEME = 256
SHORT_TERM = 4  # Chinese query terms up to this length match as substrings, not as words

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
    for lexeme, offset in field_lexemes(text):
        if offset >= room:
            return False
        mark = f"{base + offset + 1}{weight}"
        slot = get(lexeme)
        if slot is None:
            positions[lexeme] = [mark]
        elif len(slot) < MAX_POSITIONS_PER_LEXEME:
            slot.append(mark)
    return True


def field_words(text: str) -> Iterator[tuple[str, int]]:
    """The words rjieba finds in one normalised field text (search mode; not
    ``INDEX_STOP_WORDS``, Chinese or Latin only), with their offsets: the first part of
    ``field_lexemes``."""
    for word, start, _end in rjieba.tokenize(text, "search"):
        word = word.strip()
        if not word or word in INDEX_STOP_WORDS:
            continue
        if CJK_RUN.fullmatch(word) or _LATIN_WORD.fullmatch(word):
            yield word, start


def field_lexemes(text: str) -> Iterator[tuple[str, int]]:
    """The lexemes of one normalised field text with the offset (from 0) each starts at:
    first the words rjieba finds (search mode; not ``INDEX_STOP_WORDS``, Chinese or Latin
    only), then every CJK character and every pair of adjacent characters, offsets
    increasing within each of the two parts. The terms of both the ``tsvector`` and the
    search engine's documents (``patents.search.engine``), so that both find the same."""
    yield from field_words(text)
    for run in CJK_RUN.finditer(text):
        chars = run.group()
        first = run.start()
        last = len(chars) - 1
        for index, char in enumerate(chars):
            yield char, first + index
            if index < last:
                yield chars[index : index + 2], first + index


# --- Stop words, stems -----------------------------------------------------------------------
def meaningful_words(
    run: str, stop_words: frozenset[str] = QUERY_STOP_WORDS
) -> tuple[list[list[str]], list[str]]:
    """A run of Chinese characters cut into rjieba words (precise mode) at its stop words:
    the maximal sequences of meaningful words, and the stop words dropped.

    Whole words only: 中 is dropped from 电池中 but 中药 stays one word, so a stop word
    never cuts a meaningful word apart. One exception, where the stop words hold the
    asker's endings (matching): 电池厂 counts as 电池 (``stopwords.ASKER_SUFFIXES``).
    """
    pieces: list[list[str]] = [[]]
    dropped: list[str] = []
    for word in rjieba.cut(run):
        suffix = _asker_suffix(word, stop_words)
        if word in stop_words:
            dropped.append(word)
            if pieces[-1]:
                pieces.append([])
        elif suffix:  # 电池厂 in a demand: 电池, then a break
            pieces[-1].append(word[: -len(suffix)])
            dropped.append(suffix)
            pieces.append([])
        elif word.strip():
            pieces[-1].append(word)
    return [piece for piece in pieces if piece], dropped


def _asker_suffix(word: str, stop_words: frozenset[str]) -> str:
    """The ending of ``word`` that names the asker (``stopwords.ASKER_SUFFIXES``) when it
    is one of ``stop_words`` and leaves two or more characters, else ''."""
    for suffix in ASKER_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2 and suffix in stop_words:
            return suffix
    return ""


def latin_words(text: str) -> list[str]:
    """Latin words of a (normalised) text, each followed by its parts when it is joined by
    hyphens or dots, as PostgreSQL's parser does: lithium-ion, lithium, ion."""
    words: list[str] = []
    for word in _LATIN_WORD.findall(CJK_RUN.sub(" ", text)):
        words.append(word)
        if "-" in word or "." in word:
            words.extend(re.split(r"[-.]", word))
    return words


_stemmers = threading.local()


@functools.lru_cache(maxsize=65536)
def english_stem(word: str) -> str:
    """The Snowball (Porter 2) English stem of a lower-case word: batteries, battery ->
    batteri. The algorithm of PostgreSQL's ``english`` configuration, in Python, for the
    terms counted outside the database (the IPC statistics)."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


# --- Terms for matching and classification (enterprises.matching, patents.search.ipc_statistics)
@dataclass(frozen=True)
class TextTerm:
    lexeme: str  # as stored in search_document (lower case)
    display: bool  # a word worth showing as a matched term (not a bare character pair)
    latin: bool = False
    stem: str = ""  # a Latin word's English stem

    @property
    def key(self) -> str:
        """The term as the IPC statistics count it: a Latin word by its English stem
        (battery and batteries are one term), a Chinese term as written."""
        return self.stem or self.lexeme


def text_terms(text: str, stop_words: frozenset[str] = QUERY_STOP_WORDS) -> list[TextTerm]:
    """The terms of a free text, in order of appearance, without duplicates.

    ``stop_words``: ``QUERY_STOP_WORDS`` (documents counted for the IPC statistics), or
    ``MATCHING_STOP_WORDS`` for what matching reads (a demand's conversational and
    procurement words dropped as well).

    Chinese: stop words (``QUERY_STOP_WORDS``) dropped as whole rjieba words first; then,
    within each stretch between them, rjieba search-mode words of two or more characters,
    and every pair of adjacent characters (so 一种锂 gives no 种锂, and 我公司需要电池
    gives 电池 alone). Latin: lower-cased words and the parts of hyphenated ones, stop
    words and single letters dropped, each with its English stem. Every term is a lexeme
    of the text's ``search_document`` (a Latin word: as written or by its stem).
    """
    normalised = normalise_text(text)
    terms: dict[str, TextTerm] = {}
    for run in CJK_RUN.finditer(normalised):
        pieces, _dropped = meaningful_words(run.group(), stop_words)
        for words in pieces:
            piece = "".join(words)
            if len(piece) < 2:
                continue
            for word in rjieba.cut_for_search(piece):
                if len(word) >= 2 and word not in stop_words:
                    terms.setdefault(word, TextTerm(word, display=True))
            for index in range(len(piece) - 1):
                pair = piece[index : index + 2]
                if pair[0] in PAIR_BREAKERS or pair[1] in PAIR_BREAKERS:
                    continue
                if pair not in stop_words:
                    terms.setdefault(pair, TextTerm(pair, display=False))
    for word in latin_words(normalised):
        if len(word) > 1 and word not in stop_words and word not in terms:
            terms[word] = TextTerm(word, display=True, latin=True, stem=english_stem(word))
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
    ignored: tuple[str, ...] = ()  # the stop words dropped, in order
    # The Chinese words behind ``chinese``, one per clause (for the search engine).
    chinese_words: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.chinese and not self.english


def parse_query(text: str) -> ParsedQuery:
    """A search text as terms: stop words dropped (see the module docstring)."""
    chinese: list[str] = []
    chinese_words: list[str] = []
    english: list[str] = []
    terms: list[str] = []
    ignored: list[str] = []
    normalised = normalise_text(text)
    for run in CJK_RUN.finditer(normalised):
        phrase = run.group()
        pieces, dropped = meaningful_words(phrase)
        ignored.extend(dropped)
        if len(phrase) <= SHORT_TERM:
            # A short term is matched as written (a substring), without its stop words.
            words = ["".join(piece) for piece in pieces]
        else:
            words = [word for piece in pieces for word in piece]
        for word in words:
            terms.append(word)
            chinese_words.append(word)
            if len(word) <= 2:
                chinese.append(quote_lexeme(word))
            else:
                chinese.append(f"({quote_lexeme(word)} | {_pairs_phrase(word)})")
    for word in _LATIN_WORD.findall(CJK_RUN.sub(" ", normalised)):
        if word in QUERY_STOP_WORDS:
            ignored.append(word)
            continue
        terms.append(word)
        english.append(word)
    return ParsedQuery(
        chinese=tuple(chinese),
        english=tuple(english),
        terms=tuple(dict.fromkeys(terms)),
        ignored=tuple(dict.fromkeys(ignored)),
        chinese_words=tuple(chinese_words),
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
