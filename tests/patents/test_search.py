"""Bilingual text search: what a document matches, tested in PostgreSQL itself."""

import pytest
from django.db import connection

from patents.search.text import Field, document_vector, english_vector_sql, parse_query, tsquery_sql

pytestmark = pytest.mark.django_db

TITLE = "一种锂离子电池正极材料及其制备方法"
ABSTRACT = "本发明公开了一种基于LED的5G通信装置，涉及无线通信领域。"


def matches(
    query: str,
    *,
    title: str = TITLE,
    abstract: str = ABSTRACT,
    title_en: str = "",
    abstract_en: str = "",
) -> bool:
    chinese = document_vector([Field(title, "A"), Field(abstract, "C")])
    english_sql, english_params = english_vector_sql(title_en, abstract_en)
    query_sql, query_params = tsquery_sql(parse_query(query))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (%s::tsvector || {english_sql}) @@ {query_sql}",
            [chinese, *english_params, *query_params],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "query",
    [
        "锂离子电池",  # the words of the title
        "电池",  # a two-character word inside 锂离子电池
        "锂",  # one character
        "离子电",  # any substring, even across jieba's words
        "池正",
        "正极材料 制备",  # two terms, both present
        "led 5g",  # Latin words inside Chinese text
        "LED",  # case does not matter
        "无线通信",
        "锂离子电池正极材料的制备",  # a long query, segmented
    ],
)
def test_a_document_is_found_by_its_words_and_substrings(query):
    assert matches(query)


@pytest.mark.parametrize(
    "query",
    [
        "锂电",  # not a substring of the text
        "电池 燃料",  # every term must match
        "钠离子",
        "wifi",
    ],
)
def test_a_document_is_not_found_by_what_it_does_not_contain(query):
    assert not matches(query)


def test_english_fields_match_by_stem():
    assert matches("lithium-ion battery", title_en="Lithium-ion batteries and methods")
    assert matches("batteries", title_en="A battery")
    assert not matches("sodium", title_en="Lithium-ion batteries")


def test_boilerplate_alone_is_an_empty_query():
    assert parse_query("本发明 一种 涉及").is_empty
    assert not parse_query("本发明 电池").is_empty


def test_ranking_weights_the_title_above_the_abstract():
    in_title = document_vector([Field("通信装置", "A"), Field("电池", "C")])
    in_abstract = document_vector([Field("电池", "A"), Field("通信装置", "C")])
    query_sql, params = tsquery_sql(parse_query("通信"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ts_rank(%s::tsvector, {query_sql}), ts_rank(%s::tsvector, {query_sql})",
            [in_title, *params, in_abstract, *params],
        )
        title_rank, abstract_rank = cursor.fetchone()
    assert title_rank > abstract_rank
