"""The search engine: a tantivy index of the patents, beside PostgreSQL (the system of record).

What it holds (``build_schema``): one document per patent that is not deleted, with

- **texts** as the same terms as the ``tsvector`` (``patents.search.text.field_lexemes``:
  rjieba words, every character and character pair, Latin words lower-cased), one field
  per weight: ``title``, ``keywords``, ``abstract``, ``holders`` with the words and
  characters, each with a ``_pairs`` twin holding the character pairs in order (a word of
  three characters or more is the phrase of its pairs); the English title and abstract as
  Snowball English stems (``title_en``, ``abstract_en``). A query therefore matches
  exactly the patents the ``tsvector`` matches;
- **filters** (indexed; the facets' ones also as fast fields): IPC symbols at every level,
  type, legal status, current holders and their kinds, the region and its parents,
  jurisdiction, filing and grant dates (days), high-value, has an open offer;
- **ranking inputs**: ``boost`` (``licensee_boost``) as a fast field.

Where it lives: ``SEARCH_INDEX_DIR`` holds one folder per build (``index-<n>``) and the file
``CURRENT`` naming the one in use; ``manage.py rebuild_search_index`` builds a new folder and
switches ``CURRENT`` when it is complete. Only the indexer (``patents.search.outbox``) writes;
every web worker reads, and notices a commit or a switch on its next search.

Queries (``EngineQuery``): every term of the text must match somewhere (title, keywords,
abstract, holder names with decreasing weights, or an English field by its stem) and every
filter must hold. Scores are BM25 multiplied by ``log2(2 + boost)``. See docs/search-engine.md.
"""

from __future__ import annotations

import datetime
import os
import shutil
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from patents.reference.regions import region_code_prefix
from patents.search.text import (
    CJK_RUN,
    TextTerm,
    english_stem,
    field_words,
    latin_words,
    normalise_text,
    parse_query,
)

# Field weights, as PostgreSQL's ts_rank weighs A, B, C and D (1.0, 0.4, 0.2, 0.1).
CHINESE_FIELDS = {"title": 1.0, "keywords": 0.4, "abstract": 0.2, "holders": 0.1}
ENGLISH_FIELDS = {"title_en": 1.0, "abstract_en": 0.2}
# Each Chinese-text field is two index fields: ``<name>`` holds its words and characters,
# ``<name>_pairs`` its character pairs in order, one position apart, so that a word is the
# phrase of its pairs; ``PAIR_BREAK`` stands between two runs of characters (and two
# keywords or holder names), so that no phrase spans them, as the tsvector's offsets do.
PAIRS = "_pairs"
PAIR_BREAK = "|"
# The documents are written as terms separated by spaces and split by tantivy's own
# whitespace tokenizer (in Rust): far cheaper than handing it token objects from Python.
TERMS_TOKENIZER = "terms"
SCHEMA_VERSION = "2"  # an index of another version is rebuilt, not read
VERSION_FILE = "SCHEMA_VERSION"

# The licensee's boost (``licensee_boost``): a score is multiplied by log2(2 + boost).
BOOST_IN_FORCE = 0.4  # granted and in force, or in the grace period for a late fee
BOOST_OPEN_OFFER = 0.3  # an offer is published: someone is waiting to be asked
BOOST_HOLDER_TO_ASK = 0.3  # a current holder is named: someone the licensee can ask
BOOST_REMAINING_TERM = 0.3  # at 20 or more years of term left; proportionally less
IN_FORCE_STATUSES = frozenset({"in_force", "in_grace_period"})


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    for name in (*CHINESE_FIELDS, *ENGLISH_FIELDS):
        builder.add_text_field(name, tokenizer_name=TERMS_TOKENIZER, index_option="freq")
    for name in CHINESE_FIELDS:
        builder.add_text_field(
            name + PAIRS, tokenizer_name=TERMS_TOKENIZER, index_option="position"
        )
    for name in ("ipc", "region"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in (
        "patent_type", "legal_status", "ipc_section", "ipc_class", "holder_kind",
        "region_code", "jurisdiction",
    ):  # fmt: skip
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_unsigned_field("holder", indexed=True)
    for name in ("filing_day", "grant_day", "filing_year"):
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in ("high_value", "has_offer"):
        builder.add_boolean_field(name, indexed=True, fast=True)
    builder.add_float_field("boost", fast=True)
    return builder.build()


SCHEMA = build_schema()


# --- Documents ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PatentEntry:
    """What the index needs of one patent (``patents.search.outbox.entries_for`` reads it)."""

    id: int
    title: str
    title_en: str
    abstract: str
    abstract_en: str
    keywords: Sequence[str]
    holder_names: Sequence[str]
    holder_ids: Sequence[int]
    holder_kinds: Sequence[str]
    ipc_index: Sequence[str]
    patent_type: str
    legal_status: str
    region_id: str | None
    jurisdiction: str
    filing_date: datetime.date | None
    grant_date: datetime.date | None
    expiry_date: datetime.date | None
    is_high_value: bool
    has_offer: bool
    has_current_holder: bool = False


def chinese_field(texts: Iterable[str]) -> tuple[str, str]:
    """One Chinese-text field as the index takes it: its words and characters, and its
    character pairs in order (``PAIRS``), each as terms separated by spaces. The terms
    are those of ``text.field_lexemes``, the ``tsvector``'s."""
    terms: list[str] = []
    pairs: list[str] = []
    for text in texts:
        normalised = normalise_text(text)
        if not normalised:
            continue
        terms += [word for word, _offset in field_words(normalised)]
        for run in CJK_RUN.findall(normalised):
            terms += run
            pairs += [run[index : index + 2] for index in range(len(run) - 1)]
            pairs.append(PAIR_BREAK)
    return " ".join(terms), " ".join(pairs)


def english_field(texts: Iterable[str]) -> str:
    """An English field as the index takes it: the Snowball stems of its words."""
    return " ".join(
        english_stem(word) for text in texts for word in latin_words(normalise_text(text))
    )


def licensee_boost(entry: PatentEntry, today: datetime.date | None = None) -> float:
    """What a licensee cares about beyond the words: in force, term left, an open offer,
    a current holder to ask."""
    today = today or datetime.date.today()
    boost = 0.0
    if entry.legal_status in IN_FORCE_STATUSES:
        boost += BOOST_IN_FORCE
        if entry.expiry_date and entry.expiry_date > today:
            years = (entry.expiry_date - today).days / 365.25
            boost += BOOST_REMAINING_TERM * min(years, 20.0) / 20.0
    if entry.has_offer:
        boost += BOOST_OPEN_OFFER
    if entry.has_current_holder:
        boost += BOOST_HOLDER_TO_ASK
    return boost


def region_terms(code: str | None) -> list[str]:
    """A region's code and its parents' prefixes (31, 3101, 310115): ``?region=`` of a
    province, a city or a district is one term."""
    if not code:
        return []
    return list(dict.fromkeys([code[:2], code[:4], region_code_prefix(code), code]))


def day(value: datetime.date) -> int:
    return value.toordinal()


def document(entry: PatentEntry) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("id", entry.id)
    for name, texts in (
        ("title", [entry.title]),
        ("keywords", entry.keywords),
        ("abstract", [entry.abstract]),
        ("holders", dict.fromkeys(entry.holder_names)),
    ):
        terms, pairs = chinese_field(texts)
        doc.add_text(name, terms)
        doc.add_text(name + PAIRS, pairs)
    doc.add_text("title_en", english_field([entry.title_en]))
    doc.add_text("abstract_en", english_field([entry.abstract_en]))
    for symbol in entry.ipc_index:
        doc.add_text("ipc", symbol)
        if len(symbol) == 1:
            doc.add_text("ipc_section", symbol)
        elif len(symbol) == 3:
            doc.add_text("ipc_class", symbol)
    doc.add_text("patent_type", entry.patent_type)
    doc.add_text("legal_status", entry.legal_status)
    doc.add_text("jurisdiction", entry.jurisdiction)
    for holder_id in dict.fromkeys(entry.holder_ids):
        doc.add_unsigned("holder", holder_id)
    for kind in entry.holder_kinds:
        doc.add_text("holder_kind", kind)
    if entry.region_id:
        doc.add_text("region_code", entry.region_id)
        for term in region_terms(entry.region_id):
            doc.add_text("region", term)
    if entry.filing_date:
        doc.add_integer("filing_day", day(entry.filing_date))
        doc.add_integer("filing_year", entry.filing_date.year)
    if entry.grant_date:
        doc.add_integer("grant_day", day(entry.grant_date))
    doc.add_boolean("high_value", entry.is_high_value)
    doc.add_boolean("has_offer", entry.has_offer)
    doc.add_float("boost", licensee_boost(entry))
    return doc


# --- Where the index lives ---------------------------------------------------------------------
def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def index_root_for(database: str) -> Path:
    """The index folder of another database on the same server (the bench's, a load test's):
    beside the project's, named after it."""
    return Path(settings.VAR_DIR) / f"search-{database}"


def current_folder() -> Path | None:
    """The folder of the index in use, or None before the first build."""
    pointer = index_root() / "CURRENT"
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        return None
    folder = index_root() / name
    if not name or not folder.is_dir():
        return None
    try:
        version = (folder / VERSION_FILE).read_text().strip()
    except FileNotFoundError:
        version = ""
    # An index written by another version of the schema is not read: the indexer and
    # ``index_search`` build the current one, and PostgreSQL answers meanwhile.
    return folder if version == SCHEMA_VERSION else None


def new_folder() -> Path:
    """A fresh folder for a new build (the one after the highest ``index-<n>``)."""
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    numbers = [
        int(path.name.split("-", 1)[1])
        for path in root.glob("index-*")
        if path.name.split("-", 1)[1].isdigit()
    ]
    folder = root / f"index-{max(numbers, default=0) + 1}"
    folder.mkdir()
    (folder / VERSION_FILE).write_text(SCHEMA_VERSION)
    return folder


def create_index(folder: Path) -> tantivy.Index:
    """A new, empty index in ``folder`` (from ``new_folder``), ready to write."""
    return _with_tokenizer(tantivy.Index(SCHEMA, path=str(folder)))


def _with_tokenizer(index: tantivy.Index) -> tantivy.Index:
    index.register_tokenizer(
        TERMS_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    )
    return index


def remove_other_folders(keep: Path) -> None:
    """Remove every index folder but ``keep`` (earlier builds, other schema versions).
    Readers that still have one open keep reading their mapped files until they notice
    the switch; removing the names does not disturb them."""
    for folder in index_root().glob("index-*"):
        if folder != keep and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def switch_to(folder: Path) -> None:
    """Make ``folder`` the index in use, atomically (readers see the old or the new one)."""
    pointer = index_root() / "CURRENT"
    temporary = pointer.with_suffix(".tmp")
    temporary.write_text(folder.name)
    os.replace(temporary, pointer)


_local = threading.local()


def open_index() -> tantivy.Index | None:
    """This process's reader of the index in use (reopened after a switch), or None when
    no index has been built."""
    folder = current_folder()
    if folder is None:
        return None
    cached = getattr(_local, "index", None)
    if cached is not None and cached[0] == folder:
        return cached[1]
    index = _with_tokenizer(tantivy.Index(SCHEMA, path=str(folder), reuse=True))
    _local.index = (folder, index)
    return index


def forget_open_index() -> None:
    _local.index = None


# --- Queries -----------------------------------------------------------------------------------
class NotSearchable(Exception):
    """The request asks for something the index does not hold (PostgreSQL answers)."""


# The patent list's filters the index answers, by the FilterSet's name.
INDEXED_FILTERS = frozenset({
    "q", "ipc", "patent_type", "legal_status", "holder", "holder_kind", "region", "filed_from",
    "filed_to", "granted_from", "granted_to", "high_value", "has_offer", "jurisdiction",
    "ordering",
})  # fmt: skip


def _must(query: tantivy.Query) -> tuple[tantivy.Occur, tantivy.Query]:
    return (tantivy.Occur.Must, query)


def _filter(query: tantivy.Query) -> tuple[tantivy.Occur, tantivy.Query]:
    """A condition that selects without scoring."""
    return (tantivy.Occur.Must, tantivy.Query.const_score_query(query, 0.0))


def _in_field(name: str, word: str) -> tantivy.Query:
    """A Chinese word in one Chinese-text field, as the ``tsvector`` finds it: a character
    among the characters; two characters as a pair; longer, as a word or the phrase of its
    pairs (the exact substring)."""
    if len(word) < 2:
        return tantivy.Query.term_query(SCHEMA, name, word)
    if len(word) == 2:
        # Wherever rjieba made it a word it is also a pair: the pair alone finds every one,
        # with half the posting lists of asking for both (a word in 99% of patents).
        return tantivy.Query.term_query(SCHEMA, name + PAIRS, word)
    pairs: list[str | tuple[int, str]] = [word[i : i + 2] for i in range(len(word) - 1)]
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, name, word)),
        (tantivy.Occur.Should, tantivy.Query.phrase_query(SCHEMA, name + PAIRS, pairs)),
    ])  # fmt: skip


def _chinese_word(word: str) -> tantivy.Query:
    """One Chinese word in any text field (weighted): the word itself, or (three characters
    or more) the phrase of its character pairs, i.e. the exact substring."""
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Should, tantivy.Query.boost_query(_in_field(name, word), weight))
        for name, weight in CHINESE_FIELDS.items()
    ])  # fmt: skip


def _latin_word(word: str) -> tantivy.Query:
    """A Latin word: as written in the Chinese fields, or by its stem in the English ones."""
    options = [
        (tantivy.Occur.Should, tantivy.Query.boost_query(
            tantivy.Query.term_query(SCHEMA, name, word), weight
        ))
        for name, weight in CHINESE_FIELDS.items()
    ]  # fmt: skip
    stem = english_stem(word)
    options += [
        (tantivy.Occur.Should, tantivy.Query.boost_query(
            tantivy.Query.term_query(SCHEMA, name, stem), weight
        ))
        for name, weight in ENGLISH_FIELDS.items()
    ]  # fmt: skip
    return tantivy.Query.boolean_query(options)


@dataclass
class EngineQuery:
    """A patent search as the index answers it: text and the list's filters."""

    text: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_filters(cls, cleaned: Mapping[str, Any]) -> EngineQuery:
        """From a patent FilterSet's cleaned data; ``NotSearchable`` when it uses a filter
        the index does not hold (``number``)."""
        used = {name: value for name, value in cleaned.items() if value not in (None, "", [])}
        if set(used) - INDEXED_FILTERS:
            raise NotSearchable(sorted(set(used) - INDEXED_FILTERS))
        return cls(text=used.pop("q", ""), filters=used)

    def query(self) -> tantivy.Query:
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if self.text:
            parsed = parse_query(self.text)
            clauses += [_must(_chinese_word(word)) for word in parsed.chinese_words]
            clauses += [_must(_latin_word(word)) for word in parsed.english]
        clauses += [_filter(query) for query in self._filter_queries()]
        if not clauses:
            return tantivy.Query.all_query()
        if not self.text:
            clauses.append(_must(tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _filter_queries(self) -> list[tantivy.Query]:
        f = self.filters
        queries: list[tantivy.Query] = []
        for name in ("ipc", "patent_type", "legal_status"):
            if f.get(name):
                queries.append(tantivy.Query.term_set_query(SCHEMA, name, list(f[name])))
        if f.get("holder"):
            queries.append(tantivy.Query.term_query(SCHEMA, "holder", int(f["holder"])))
        if f.get("holder_kind"):
            queries.append(tantivy.Query.term_query(SCHEMA, "holder_kind", f["holder_kind"]))
        if f.get("region"):
            queries.append(
                tantivy.Query.term_query(SCHEMA, "region", region_code_prefix(f["region"]))
            )
        if f.get("jurisdiction"):
            queries.append(tantivy.Query.term_query(SCHEMA, "jurisdiction", f["jurisdiction"]))
        for name, column in (("filed", "filing_day"), ("granted", "grant_day")):
            low, high = f.get(f"{name}_from"), f.get(f"{name}_to")
            if low or high:
                queries.append(
                    tantivy.Query.range_query(
                        SCHEMA,
                        column,
                        tantivy.FieldType.Integer,
                        day(low) if low else None,
                        day(high) if high else None,
                    )
                )
        for name in ("high_value", "has_offer"):
            if f.get(name) is not None:
                queries.append(tantivy.Query.term_query(SCHEMA, name, bool(f[name])))
        return queries


@dataclass(frozen=True)
class Ranked:
    """The best matches (ids and scores, best first) and how many match in all."""

    ids: list[int]
    scores: list[float]
    count: int


def searcher() -> tantivy.Searcher | None:
    from patents.search.outbox import apply_before_reading

    apply_before_reading()
    index = open_index()
    if index is None:
        return None
    index.reload()
    return index.searcher()


def best_matches(query: EngineQuery, limit: int) -> Ranked | None:
    """The ``limit`` best matches by score (BM25 times the licensee's boost), with the
    exact number of matches; None when no index has been built yet."""
    found = searcher()
    if found is None:
        return None
    result = found.search(query.query(), limit, count=True, weight_by_field="boost")
    addresses = [address for _score, address in result.hits]
    ids = [int(value or 0) for value in found.fast_field_values("id", addresses)]
    scores = [float(score) for score, _address in result.hits]
    return Ranked(ids, scores, _count(result))


def _count(result: tantivy.SearchResult) -> int:
    """The exact number of matches of a search run with ``count=True`` (the binding's
    type stubs leave the attribute out)."""
    return int(getattr(result, "count", 0) or 0)


def match_count(query: EngineQuery) -> int | None:
    found = searcher()
    if found is None:
        return None
    return _count(found.search(query.query(), 1, count=True))


# --- Candidates for matching (enterprises.matching.candidates) ----------------------------------
def _matching_term(term: TextTerm) -> tantivy.Query:
    """A matching term where the ``tsvector`` has it: the lexeme in any Chinese-text field
    (a word, a character pair or a Latin word as written), and a Latin word also by its
    stem in the English ones (as ``enterprises.matching.terms.term_tsquery``)."""
    if term.latin:
        return _latin_word(term.lexeme)
    if len(term.lexeme) <= 2:  # a character, or a pair that may also be a word
        return _chinese_word(term.lexeme)
    return tantivy.Query.boolean_query([  # a word rjieba found: a lexeme of its own
        (tantivy.Occur.Should, tantivy.Query.boost_query(
            tantivy.Query.term_query(SCHEMA, name, term.lexeme), weight
        ))
        for name, weight in CHINESE_FIELDS.items()
    ])  # fmt: skip


def best_text_matches(
    terms: Sequence[TextTerm],
    *,
    limit: int,
    ipc: Sequence[str] = (),
    text_required: bool = True,
    exclude_ids: Iterable[int] = (),
    exclude_statuses: Sequence[str] = (),
) -> list[int] | None:
    """The ids of the ``limit`` patents whose text best matches *any* of ``terms`` (BM25
    over the weighted fields, rare terms counting most; no licensee boost: matching weighs
    offers, term and status itself), best first. With ``ipc``, only patents under one of
    those symbols; there, unless ``text_required``, those sharing no term follow the
    others, newest filing first when no term is given. None when no index is built (or
    ``SEARCH_ENGINE`` is off: PostgreSQL answers)."""
    if not settings.SEARCH_ENGINE:
        return None
    found = searcher()
    if found is None:
        return None
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    text = [(tantivy.Occur.Should, _matching_term(term)) for term in terms]
    if text:
        words = tantivy.Query.boolean_query(text)
        clauses.append(
            (tantivy.Occur.Must if text_required or not ipc else tantivy.Occur.Should, words)
        )
    elif not ipc or text_required:
        return []
    if ipc:
        clauses.append(_filter(tantivy.Query.term_set_query(SCHEMA, "ipc", list(ipc))))
    excluded = [int(pk) for pk in exclude_ids]
    if excluded:
        clauses.append(
            (tantivy.Occur.MustNot, tantivy.Query.term_set_query(SCHEMA, "id", excluded))
        )
    if exclude_statuses:
        clauses.append((
            tantivy.Occur.MustNot,
            tantivy.Query.term_set_query(SCHEMA, "legal_status", list(exclude_statuses)),
        ))  # fmt: skip
    query = tantivy.Query.boolean_query(clauses)
    if text:
        result = found.search(query, limit, count=False)
    else:
        result = found.search(query, limit, count=False, order_by_field="filing_day")
    addresses = [address for _key, address in result.hits]
    return [int(value or 0) for value in found.fast_field_values("id", addresses)]


# The patent facets the index counts: (answer's name, field, most values).
FACET_FIELDS = (
    ("patent_type", "patent_type", 100),
    ("legal_status", "legal_status", 100),
    ("ipc_section", "ipc_section", 100),
    ("ipc_class", "ipc_class", 50),
    ("holder_kind", "holder_kind", 100),
    ("region", "region_code", 50),
    ("filing_year", "filing_year", 50),
    ("high_value", "high_value", 100),
)
SEGMENT_TERMS = 100_000  # counted per segment before merging: every value, so counts are exact


def facets(query: EngineQuery) -> dict[str, Any] | None:
    """Exact counts of every facet over the matches, most frequent first (ties by value);
    ``count``: the number of matches. None when no index has been built yet."""
    found = searcher()
    if found is None:
        return None
    spec = {
        name: {"terms": {"field": column, "size": SEGMENT_TERMS, "segment_size": SEGMENT_TERMS}}
        for name, column, _limit in FACET_FIELDS
    }
    # The number of matches in the same pass: every document has one id.
    spec["matches"] = {"value_count": {"field": "id"}}
    answer = found.aggregate(query.query(), spec)
    result: dict[str, Any] = {
        "approximate": False,
        "count": int(answer.get("matches", {}).get("value") or 0),
    }
    for name, _column, limit in FACET_FIELDS:
        buckets = answer.get(name, {}).get("buckets", [])
        values = [
            (_facet_value(name, bucket["key"]), int(bucket["doc_count"])) for bucket in buckets
        ]
        values.sort(key=lambda item: (-item[1], str(item[0])))
        result[name] = [{"value": value, "count": count} for value, count in values[:limit]]
    return result


def _facet_value(name: str, key: Any) -> Any:
    if name == "high_value":
        return key in (True, 1, "true")
    if name == "filing_year":
        return int(key)
    return key
