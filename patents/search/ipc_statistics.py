"""The term-to-IPC statistics behind ``enterprises.matching.suggest_ipc`` (``IpcTermStatistic``).

For every term (``patents.search.text.text_terms`` without the stop words: rjieba words,
Chinese character pairs, and Latin words by their English stem, so battery and batteries
are one term) and every IPC code (subclass, and main group where a patent gives one):
how many patents contain the term and carry the code, and how many titles of the IPC
scheme under the code contain it. A patent counts once per term and code, whatever the
number of times the term occurs; its text is its title, keywords and abstract (the first
``DOCUMENT_CHARS`` characters), and its English title and abstract (as many again).
Totals sit in the same table under the empty string (see the model). A query is cut
into terms the same way (``statistic_terms``).

English. Chinese terms have the patents as evidence; English ones have few patents with
an English text, so the English titles of the scheme's subgroups count too (for their
subclass and main group). Chinese subgroup titles do not: they add little to what the
patents say, and measured on the seed patents (``manage.py evaluate_matching``) they
pulled the right subclass down from first place more often than they lifted it.

``build_statistics`` is a full rebuild in one transaction, streamed: patents are read
through a server-side cursor in chunks, each chunk's counts are added up in Python and
copied (``COPY``) into a temporary table, and one ``GROUP BY`` writes the table. Memory
is bounded by one chunk's distinct (term, code) pairs; readers see the old statistics
until the transaction commits.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from patents.models import IpcClass, IpcTermStatistic, Patent
from patents.reference.ipc import IpcSymbolError, parse_ipc
from patents.search.text import text_terms

DOCUMENT_CHARS = 1000  # of title + keywords + abstract, per patent
MAX_TERM_CHARS = 64  # IpcTermStatistic.term
CHUNK_PATENTS = 5000
TOTAL = ""  # the term or code of a total row
_SCHEME_NOTE = re.compile(r"（[^（）]*）|\([^()]*\)")  # references: （…入A01C5/00）


def statistic_terms(text: str) -> set[str]:
    """The terms of a text as the statistics count them (``TextTerm.key``: Chinese words
    and pairs as written, Latin words by their English stem), for documents and queries
    alike."""
    return {term.key for term in text_terms(text) if len(term.key) <= MAX_TERM_CHARS}


def document_terms(
    title: str, keywords: Sequence[str], abstract: str, title_en: str = "", abstract_en: str = ""
) -> set[str]:
    """The terms a patent contributes to the statistics: from its Chinese text (title,
    keywords, abstract) and its English text (title, abstract), ``DOCUMENT_CHARS`` each."""
    text = " ".join([title or "", " ".join(keywords or []), abstract or ""])[:DOCUMENT_CHARS]
    english = " ".join([title_en or "", abstract_en or ""])[:DOCUMENT_CHARS]
    return statistic_terms(f"{text} {english}")


def statistic_codes(ipc_codes: Iterable[str]) -> list[str]:
    """The subclasses and main groups (``H01M``, ``H01M 10/00``) of a patent's codes."""
    found: list[str] = []
    for code in ipc_codes or []:
        try:
            symbol = parse_ipc(code)
        except IpcSymbolError:
            continue
        if not symbol.subclass_letter:
            continue
        found.append(symbol.subclass)
        if symbol.main_group is not None:
            found.append(f"{symbol.subclass} {symbol.main_group}/00")
    return list(dict.fromkeys(found))


def counted_patents(limit: int | None = None) -> Iterator[tuple[int, set[str], list[str]]]:
    """(id, terms, codes) of every patent the statistics count: not deleted, with a code
    (the first ``limit`` of them by id, when given)."""
    queryset = (
        Patent.objects.filter(deleted_at__isnull=True)
        .exclude(ipc_codes=[])
        .order_by("id")
        .values_list("id", "title", "keywords", "abstract", "title_en", "abstract_en", "ipc_codes")
    )
    rows = (queryset[:limit] if limit is not None else queryset).iterator(chunk_size=CHUNK_PATENTS)
    for patent_id, title, keywords, abstract, title_en, abstract_en, ipc_codes in rows:
        codes = statistic_codes(ipc_codes)
        if codes:
            yield patent_id, document_terms(title, keywords, abstract, title_en, abstract_en), codes


def patent_counts(terms: set[str], codes: Sequence[str], counts: Counter[tuple[str, str]]) -> None:
    """Add one patent to ``counts`` (keys (term, code), totals under ``TOTAL``)."""
    counts[(TOTAL, TOTAL)] += 1
    for code in codes:
        counts[(TOTAL, code)] += 1
    for term in terms:
        counts[(term, TOTAL)] += 1
        for code in codes:
            counts[(term, code)] += 1


def scheme_counts() -> Counter[tuple[str, str]]:
    """Titles of the scheme (references cut out) per (term, code): a subclass counts its
    own title and those of its main groups (Chinese and English) and the English titles of
    its subgroups; a main group its own title and the English titles of its subgroups."""
    counts: Counter[tuple[str, str]] = Counter()
    rows = (
        IpcClass.objects.filter(
            Q(level__in=["subclass", "main_group"]) | Q(level="subgroup", title_en__gt="")
        )
        .order_by()
        .values_list("symbol", "level", "title_zh", "title_en")
    )
    for symbol, level, title_zh, title_en in rows.iterator(chunk_size=CHUNK_PATENTS):
        if level == "subgroup":
            text, codes = title_en, [symbol[:4], symbol.split("/")[0] + "/00"]
        else:
            text = f"{title_zh} {title_en}"
            codes = [symbol[:4]] if level == "subclass" else [symbol[:4], symbol]
        patent_counts(statistic_terms(_SCHEME_NOTE.sub(" ", text)), codes, counts)
    return counts


@dataclass(frozen=True)
class BuildReport:
    patents: int
    scheme_titles: int
    rows: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.rows} rows from {self.patents} patents and {self.scheme_titles} "
            f"scheme titles in {self.seconds:.1f}s"
        )


def build_statistics(
    *,
    min_documents: int = 1,
    chunk_size: int = CHUNK_PATENTS,
    scheme: bool = True,
    max_patents: int | None = None,
) -> BuildReport:
    """Rebuild ``IpcTermStatistic`` from every counted patent and (``scheme``) the IPC
    scheme's titles.

    A (term, code) pair seen in fewer than ``min_documents`` patents and in no scheme
    title is left out (2 or more shrinks the table a lot at a million patents); totals
    are always kept.
    """
    start = time.monotonic()
    table = IpcTermStatistic._meta.db_table
    patents = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Dropped on commit; dropped here too when the caller's transaction is still open.
        cursor.execute("DROP TABLE IF EXISTS ipc_statistics_staging")
        cursor.execute(
            "CREATE TEMPORARY TABLE ipc_statistics_staging "
            "(term text, code text, documents integer, scheme_titles integer) ON COMMIT DROP"
        )

        def flush(counts: Counter[tuple[str, str]], column: str) -> None:
            with cursor.cursor.copy(
                f"COPY ipc_statistics_staging (term, code, {column}) FROM STDIN"
            ) as copy:
                for (term, code), value in counts.items():
                    copy.write_row((term, code, value))
            counts.clear()

        titles = scheme_counts() if scheme else Counter()
        scheme_titles = titles[(TOTAL, TOTAL)]
        flush(titles, "scheme_titles")
        counts: Counter[tuple[str, str]] = Counter()
        in_chunk = 0
        for _patent_id, terms, codes in counted_patents(max_patents):
            patent_counts(terms, codes, counts)
            patents += 1
            in_chunk += 1
            if in_chunk >= chunk_size:
                flush(counts, "documents")
                in_chunk = 0
        flush(counts, "documents")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our table
        cursor.execute(
            f"INSERT INTO {table} (term, code, documents, scheme_titles) "  # noqa: S608
            "SELECT term, code, coalesce(sum(documents), 0), coalesce(sum(scheme_titles), 0) "
            "FROM ipc_statistics_staging GROUP BY term, code "
            "HAVING coalesce(sum(documents), 0) >= %s OR coalesce(sum(scheme_titles), 0) > 0 "
            "OR term = '' OR code = '' "
            "ORDER BY term, 3 DESC, code",  # a term's rows together, in index order
            [min_documents],
        )
        rows = cursor.rowcount
    with connection.cursor() as cursor:
        # VACUUM (visibility map, for index-only scans) cannot run inside a transaction.
        analyse = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{analyse} {table}")
    return BuildReport(
        patents=patents,
        scheme_titles=scheme_titles,
        rows=rows,
        seconds=time.monotonic() - start,
    )
