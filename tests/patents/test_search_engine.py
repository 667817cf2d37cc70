"""The search engine beside PostgreSQL: the outbox reaches it from every write path, a killed
indexer loses nothing, a rebuild equals the incremental index, and searches rank every
match with exact counts and facets (patents/search/engine.py, outbox.py; docs/search-engine.md)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from patents.models import Holder, Patent
from patents.register import bulk, services
from patents.search import engine, outbox
from patents.search.ranking import patent_text_search
from tests.factories import HolderFactory, PatentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/patents/"


def pending() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patents_search_outbox")
        return int(cursor.fetchone()[0])


def indexed_ids(text: str = "", **filters: Any) -> set[int]:
    ranked = engine.best_matches(engine.EngineQuery(text=text, filters=filters), 10_000)
    assert ranked is not None
    return set(ranked.ids)


@pytest.fixture
def no_apply_on_read(settings):
    """The indexer's view: changes reach the (empty) index only when the outbox is applied."""
    settings.SEARCH_INDEX_APPLY_ON_READ = False
    outbox.ensure_index()


# --- The outbox: every write path -------------------------------------------------------------
def test_every_write_path_reaches_the_index(operator, no_apply_on_read):
    holder = HolderFactory.create(actor=operator, name="甲大学", region="310110")
    # Service create.
    patent = PatentFactory.create(
        actor=operator, holders=[holder], title="一种钠离子电池负极", bare=True
    )
    assert pending() > 0
    assert indexed_ids("钠离子") == set()  # committed, not yet indexed
    outbox.apply_all()
    assert pending() == 0
    assert indexed_ids("钠离子") == {patent.pk}
    assert indexed_ids("甲大学") == {patent.pk}  # holder names
    # Service update.
    services.patent_update(
        actor=operator,
        patent=patent,
        data=services.PatentInput(values={"title": "一种固态电解质"}),
        expected_version=None,
    )
    outbox.apply_all()
    assert indexed_ids("钠离子") == set()
    assert indexed_ids("固态电解质") == {patent.pk}
    # A queryset update that bypasses the services (an operator's bulk action, psql).
    Patent.objects.filter(pk=patent.pk).update(legal_status="lapsed")
    outbox.apply_all()
    assert indexed_ids("固态电解质", legal_status=["lapsed"]) == {patent.pk}
    # A holder renamed: every patent it holds.
    Holder.objects.filter(pk=holder.pk).update(name="乙研究院")
    outbox.apply_all()
    assert indexed_ids("乙研究院") == {patent.pk}
    assert indexed_ids("甲大学") == set()
    # Bulk import (COPY-like multi-row INSERT).
    rows = [
        bulk.BulkPatent(values={"publication_number": f"CN11900000{n}A", "title": "一种光伏组件"})
        for n in range(3)
    ]
    created = {p.pk for p in bulk.patents_bulk_create(actor=operator, rows=rows)}
    outbox.apply_all()
    assert indexed_ids("光伏组件") == created
    # Soft delete.
    patent.refresh_from_db()
    services.patent_delete(actor=operator, patent=patent, expected_version=patent.version)
    outbox.apply_all()
    assert indexed_ids("固态电解质") == set()


def test_entries_wait_for_the_first_build_instead_of_making_a_partial_index(operator, settings):
    settings.SEARCH_INDEX_APPLY_ON_READ = False
    PatentFactory.create(actor=operator, title="一种波浪能发电装置", bare=True)
    assert outbox.apply_pending() == 0  # no index: nothing applied, nothing taken
    assert engine.current_folder() is None
    assert pending() > 0


def test_a_rolled_back_change_leaves_nothing_to_index(operator, no_apply_on_read):
    from django.db import transaction

    # Tests that commit (a live server, concurrent imports) may have left entries behind.
    before = pending()

    def write_then_fail() -> None:
        with transaction.atomic():
            PatentFactory.create(actor=operator, title="一种回滚的专利", bare=True)
            assert pending() > before
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert pending() == before


def test_the_api_import_and_an_admin_action_reach_search(
    operator, university_a, client, client_for, anonymous
):
    """Through the public interface: an API import, then an operator's admin action, each
    seen by the next search."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "application_number,title\nCN201910209152.5,一种氢燃料电池双极板\n"
    response = client_for(university_a).post(
        URL + "import/",
        {"file": SimpleUploadedFile("p.csv", csv.encode(), content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    found = anonymous.get(URL, {"q": "双极板"}).json()
    assert [row["title"] for row in found["results"]] == ["一种氢燃料电池双极板"]
    assert found["count"] == 1
    patent = Patent.objects.get(application_number="201910209152.5")

    client.force_login(operator)
    response = client.post(
        "/admin/patents/patent/",
        {"action": "set_legal_status", "legal_status": "lapsed", "_selected_action": [patent.pk]},
    )
    assert response.status_code == 302
    lapsed = anonymous.get(URL, {"q": "双极板", "legal_status": "lapsed"}).json()
    assert [row["id"] for row in lapsed["results"]] == [patent.pk]
    assert anonymous.get(URL, {"q": "双极板", "legal_status": "pending"}).json()["count"] == 0


# --- A killed indexer, a rebuild ---------------------------------------------------------------
def test_an_indexer_killed_mid_batch_loses_nothing(operator, no_apply_on_read, monkeypatch):
    patents = [
        PatentFactory.create(actor=operator, title=f"一种储氢合金{n}号", bare=True)
        for n in range(3)
    ]
    calls = {"n": 0}
    real = engine.document

    def dies_on_the_second(entry):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("killed")  # as a SIGKILL would stop it: mid-batch
        return real(entry)

    monkeypatch.setattr(engine, "document", dies_on_the_second)
    waiting = pending()
    with pytest.raises(SystemExit):
        outbox.apply_pending()
    assert pending() == waiting  # nothing taken off the outbox
    assert indexed_ids("储氢合金") == set()  # and nothing half-written in the index
    monkeypatch.setattr(engine, "document", real)
    outbox.apply_all()
    assert indexed_ids("储氢合金") == {p.pk for p in patents}


def test_an_indexer_killed_after_its_index_commit_applies_the_batch_again(
    operator, no_apply_on_read, monkeypatch
):
    patent = PatentFactory.create(actor=operator, title="一种储能变流器", bare=True)

    class DiesBeforeDeleting:
        def __init__(self, cursor):
            self.cursor = cursor

        def execute(self, sql, params=None):
            if sql.startswith("DELETE FROM patents_search_outbox"):
                raise SystemExit("killed after the index commit")
            return self.cursor.execute(sql, params)

        def __getattr__(self, name):
            return getattr(self.cursor, name)

    original = outbox._apply

    def apply_with_a_dying_cursor(cursor, limit):
        return original(DiesBeforeDeleting(cursor), limit)

    monkeypatch.setattr(outbox, "_apply", apply_with_a_dying_cursor)
    with pytest.raises(SystemExit):
        outbox.apply_pending()
    monkeypatch.setattr(outbox, "_apply", original)
    assert pending() > 0  # the entries are still there ...
    outbox.apply_all()
    assert pending() == 0
    ranked = engine.best_matches(engine.EngineQuery(text="储能变流器"), 10)
    assert ranked is not None
    assert ranked.ids == [patent.pk]  # ... and applied once more: one document


def test_a_rebuild_equals_the_incremental_index(operator, no_apply_on_read):
    holder = HolderFactory.create(actor=operator, name="丙大学", kind="university", region="310115")
    made = [
        PatentFactory.create(
            actor=operator,
            holders=[holder],
            title=title,
            ipc_codes=[ipc],
            filing_date=datetime.date(2015 + n, 1, 2),
            legal_status=status,
            grant_date=datetime.date(2019 + n, 6, 1) if status != "pending" else None,
            bare=True,
        )
        for n, (title, ipc, status) in enumerate(
            [
                ("一种锂离子电池隔膜", "H01M 50/40", "in_force"),
                ("一种电池管理系统", "H01M 10/42", "pending"),
                ("一种图像识别方法", "G06V 10/00", "lapsed"),
            ]
        )
    ]
    services.patent_update(
        actor=operator,
        patent=made[1],
        data=services.PatentInput(values={"title": "一种电池热管理系统"}),
        expected_version=None,
    )
    outbox.apply_all()
    queries = [
        engine.EngineQuery(text="电池"),
        engine.EngineQuery(text="热管理"),
        engine.EngineQuery(filters={"ipc": ["H01M"]}),
        engine.EngineQuery(filters={"region": "31"}),
        engine.EngineQuery(text="方法", filters={"legal_status": ["lapsed"]}),
    ]
    incremental = [engine.best_matches(q, 100) or engine.Ranked([], [], 0) for q in queries]
    incremental_facets = engine.facets(engine.EngineQuery())
    first = engine.current_folder()
    # The rebuild commits its own work: run it on this connection's snapshot of the test.
    assert outbox.rebuild() == 3
    assert engine.current_folder() != first
    rebuilt = [engine.best_matches(q, 100) or engine.Ranked([], [], 0) for q in queries]
    # Same matches with the same scores (equal scores may come in either order).
    assert [(sorted(zip(r.ids, r.scores, strict=True)), r.count) for r in rebuilt] == [
        (sorted(zip(r.ids, r.scores, strict=True)), r.count) for r in incremental
    ]
    assert engine.facets(engine.EngineQuery()) == incremental_facets
    assert pending() == 0


def test_index_commands(operator, capsys, settings):
    settings.SEARCH_INDEX_APPLY_ON_READ = False
    PatentFactory.create(actor=operator, title="一种风力发电叶片", bare=True)
    call_command("index_search")  # no index yet: built from the table, not from the outbox
    out = capsys.readouterr().out
    assert "no index yet; built, 1 patents" in out
    assert pending() == 0
    call_command("rebuild_search_index")
    assert "rebuild_search_index: 1 patents" in capsys.readouterr().out


def test_a_backlog_larger_than_the_index_is_rebuilt_not_replayed(
    operator, no_apply_on_read, monkeypatch, capsys
):
    """A city's first load leaves an entry per patent: the indexer builds the index from the
    table once instead of replacing documents batch by batch; a small backlog is applied."""
    monkeypatch.setattr(outbox, "REBUILD_BACKLOG", 2)
    first = PatentFactory.create(actor=operator, title="一种钠离子电池负极", bare=True)
    outbox.apply_all()  # the index holds one document
    made = [
        PatentFactory.create(actor=operator, title=f"钠离子电池隔膜{i}", bare=True)
        for i in range(3)
    ]
    assert outbox.backlog_calls_for_rebuild()  # 3 waiting > 2, and > 1 document
    assert outbox.catch_up() == 4  # rebuilt: every live patent
    assert pending() == 0
    assert indexed_ids("钠离子") == {first.pk, *(p.pk for p in made)}
    services.patent_update(
        actor=operator,
        patent=made[0],
        data=services.PatentInput(values={"title": "钠离子电池隔膜改进"}),
        expected_version=None,
    )
    assert not outbox.backlog_calls_for_rebuild()
    assert outbox.catch_up() >= 1  # applied, not rebuilt
    assert pending() == 0
    # The command takes the same path.
    for i in range(5):
        PatentFactory.create(actor=operator, title=f"固态电池{i}", bare=True)
    call_command("index_search")
    assert "a backlog larger than the index; rebuilt, 9 patents" in capsys.readouterr().out
    assert pending() == 0


def test_an_index_of_another_schema_version_is_rebuilt_not_read(operator, settings, capsys):
    settings.SEARCH_INDEX_APPLY_ON_READ = False
    patent = PatentFactory.create(actor=operator, title="一种风力发电叶片", bare=True)
    old = engine.new_folder()
    (old / engine.VERSION_FILE).write_text("1")  # an index an earlier release wrote
    engine.switch_to(old)
    assert engine.current_folder() is None
    assert engine.best_matches(engine.EngineQuery(text="叶片"), 10) is None  # PostgreSQL answers
    call_command("index_search")
    assert "no index yet; built, 1 patents" in capsys.readouterr().out
    assert indexed_ids("风力发电") == {patent.pk}
    assert not old.exists()


# --- Searching: recall, ranking, counts, facets -------------------------------------------------
@pytest.fixture
def texts(operator):
    make = PatentFactory.create
    return {
        "title": make(actor=operator, title="一种锂离子电池正极材料", bare=True),
        "abstract": make(
            actor=operator, title="一种储能装置", abstract="包括锂离子电池组。", bare=True
        ),
        "english": make(
            actor=operator, title="一种装置", title_en="Batteries for vehicles", bare=True
        ),
        "other": make(actor=operator, title="一种图像识别方法", bare=True),
    }


@pytest.mark.parametrize("text", ["锂离子电池", "电池", "离子", "锂", "种锂离", "子电池正"])
def test_the_engine_finds_exactly_what_postgresql_finds(texts, text):
    expected = set(patent_text_search(Patent.objects.all(), text).values_list("pk", flat=True))
    assert indexed_ids(text) == expected
    assert expected  # every one of these texts is in some title or abstract


def test_english_words_match_by_stem(texts):
    assert indexed_ids("battery") == {texts["english"].pk}
    assert indexed_ids("vehicle") == {texts["english"].pk}


def test_title_ranks_above_abstract(anonymous, texts):
    body = anonymous.get(URL, {"q": "锂离子电池"}).json()
    assert [row["id"] for row in body["results"]] == [texts["title"].pk, texts["abstract"].pk]
    assert body["count"] == 2


def test_ranking_covers_every_match_not_the_newest(anonymous, operator, settings):
    """The best match is on top even when many newer, weaker matches came after it (the
    PostgreSQL window ranked only the newest)."""
    settings.SEARCH_RANK_WINDOW = 100
    best = PatentFactory.create(actor=operator, title="一种钙钛矿太阳能电池", bare=True)
    rows = [
        bulk.BulkPatent(
            values={
                "publication_number": f"CN11800{n:04d}A",
                "title": "一种装置",
                "abstract": "所述装置的外壳可采用多种材料，例如用于钙钛矿层的封装。" + "说明" * 30,
            }
        )
        for n in range(120)
    ]
    bulk.patents_bulk_create(actor=operator, rows=rows)
    body = anonymous.get(URL, {"q": "钙钛矿"}).json()
    assert body["results"][0]["id"] == best.pk
    assert body["count"] == 121  # exact, beyond the window of 100


def test_a_licensee_boost_puts_in_force_patents_with_an_offer_first(operator):
    lapsed = PatentFactory.create(
        actor=operator, title="一种热泵压缩机", legal_status="lapsed", bare=True
    )
    in_force = PatentFactory.create(
        actor=operator,
        title="一种热泵压缩机",
        legal_status="in_force",
        grant_date=datetime.date(2022, 1, 1),
        filing_date=datetime.date(2020, 1, 1),
        bare=True,
    )
    Patent.objects.filter(pk=in_force.pk).update(has_offer=True)
    ranked = engine.best_matches(engine.EngineQuery(text="热泵压缩机"), 10)
    assert ranked is not None
    assert ranked.ids == [in_force.pk, lapsed.pk]
    assert ranked.scores[0] > ranked.scores[1]
    entry = outbox.entries_for([in_force.pk])[0]
    assert engine.licensee_boost(entry) >= engine.BOOST_IN_FORCE + engine.BOOST_OPEN_OFFER


def test_boost_values():
    def entry(**values):
        base: dict[str, Any] = {
            "id": 1, "title": "", "title_en": "", "abstract": "", "abstract_en": "",
            "keywords": [], "holder_names": [], "holder_ids": [], "holder_kinds": [],
            "ipc_index": [], "patent_type": "invention", "legal_status": "lapsed",
            "region_id": None, "jurisdiction": "CN", "filing_date": None, "grant_date": None,
            "expiry_date": None, "is_high_value": False, "has_offer": False,
        }  # fmt: skip
        return engine.PatentEntry(**{**base, **values})

    today = datetime.date(2026, 1, 1)
    assert engine.licensee_boost(entry(), today) == 0.0
    assert engine.licensee_boost(entry(has_offer=True), today) == pytest.approx(0.3)
    ten_years = entry(legal_status="in_force", expiry_date=datetime.date(2036, 1, 1))
    assert engine.licensee_boost(ten_years, today) == pytest.approx(0.4 + 0.15, abs=0.01)
    twenty_five = entry(legal_status="in_force", expiry_date=datetime.date(2051, 1, 1))
    assert engine.licensee_boost(twenty_five, today) == pytest.approx(0.7)


def test_filters_narrow_the_engine_as_the_list(anonymous, operator):
    pudong = HolderFactory.create(
        actor=operator, name="浦东研究院", kind="research_institute", region="310115"
    )
    beijing = HolderFactory.create(
        actor=operator, name="北京大学", kind="university", region="110108"
    )
    a = PatentFactory.create(
        actor=operator, holders=[pudong], title="一种电池包", ipc_codes=["H01M 50/20"],
        filing_date=datetime.date(2020, 5, 1), bare=True,
    )  # fmt: skip
    b = PatentFactory.create(
        actor=operator, holders=[beijing], title="一种电池包壳体", ipc_codes=["B60L 50/64"],
        filing_date=datetime.date(2018, 5, 1), bare=True,
    )  # fmt: skip
    cases: list[tuple[dict[str, Any], list[Patent]]] = [
        ({"region": "31"}, [a]),
        ({"region": "310115"}, [a]),
        ({"region": "110000"}, [b]),
        ({"ipc": "H01M"}, [a]),
        ({"holder": pudong.pk}, [a]),
        ({"holder_kind": "university"}, [b]),
        ({"filed_from": "2019-01-01"}, [a]),
        ({"filed_to": "2019-01-01"}, [b]),
    ]
    for params, expected in cases:
        body = anonymous.get(URL, {"q": "电池包", **params}).json()
        assert {row["id"] for row in body["results"]} == {p.pk for p in expected}, params
        assert body["count"] == len(expected), params


def test_lists_without_text_carry_an_exact_count(anonymous, operator):
    for n in range(3):
        PatentFactory.create(actor=operator, title=f"一种齿轮{n}", bare=True)
    body = anonymous.get(URL, {"page_size": 1}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 1
    # A number lookup is answered by PostgreSQL's unique indexes: no count.
    assert anonymous.get(URL, {"number": "CN109918572B"}).json()["count"] is None


def test_a_relevance_list_counts_its_matches_once(anonymous, operator, monkeypatch):
    """The ranking counted every match already; counting again would read every posting
    of a common word twice."""
    for n in range(3):
        PatentFactory.create(actor=operator, title=f"一种齿轮箱{n}", bare=True)
    PatentFactory.create(actor=operator, title="一种阀门", bare=True)
    counted: list[object] = []
    count_matches = engine.match_count

    def counting(query: engine.EngineQuery) -> int | None:
        counted.append(query)
        return count_matches(query)

    monkeypatch.setattr(engine, "match_count", counting)
    body = anonymous.get(URL, {"q": "齿轮", "page_size": 1}).json()
    assert body["count"] == 3
    assert counted == []
    body = anonymous.get(URL, {"patent_type": "invention", "page_size": 1}).json()
    assert body["count"] == Patent.objects.filter(patent_type="invention").count()
    assert len(counted) == 1  # a list without text: counted on its own


def test_facets_are_exact_from_the_engine(anonymous, operator):
    rows = [
        bulk.BulkPatent(values={"publication_number": f"CN11700{n:04d}A", "title": "一种阀门"})
        for n in range(30)
    ]
    bulk.patents_bulk_create(actor=operator, rows=rows)
    body = anonymous.get(URL + "facets/", {"q": "阀门"}).json()
    assert body["approximate"] is False
    assert body["count"] == 30
    assert body["patent_type"] == [{"value": "invention", "count": 30}]


def test_the_freshness_endpoint(anonymous, operator, no_apply_on_read):
    PatentFactory.create(actor=operator, title="一种等离子体刻蚀机", bare=True)
    body = anonymous.get(URL + "search-index/").json()
    assert body["pending_changes"] >= 1
    assert body["oldest_pending_seconds"] >= 0
    outbox.apply_all()
    body = anonymous.get(URL + "search-index/").json()
    assert body == {**body, "built": True, "documents": 1, "pending_changes": 0}


def test_without_an_index_postgresql_answers(anonymous, operator, settings, tmp_path):
    settings.SEARCH_INDEX_APPLY_ON_READ = False
    settings.SEARCH_INDEX_DIR = tmp_path / "never-built"
    patent = PatentFactory.create(actor=operator, title="一种超导磁体", bare=True)
    body = anonymous.get(URL, {"q": "超导"}).json()
    assert [row["id"] for row in body["results"]] == [patent.pk]
    assert body["count"] is None


def _walk(client, params, *, back=False):
    """Every row id of a list, following next links (and then previous links back)."""
    seen: list[list[int]] = []
    body = client.get(URL, params).json()
    while True:
        seen.append([row["id"] for row in body["results"]])
        if not body["next"]:
            break
        body = client.get(body["next"]).json()
    if back:
        while body["previous"]:
            body = client.get(body["previous"]).json()
            seen.append([row["id"] for row in body["results"]])
    return seen


def test_relevance_pages_read_near_their_cursor_and_walk_both_ways(anonymous, operator):
    """A relevance page reads only the rows near its cursor (OrderedWindow); walking forward
    and back gives every match once, in the engine's order, with equal scores by id."""
    rows = [
        bulk.BulkPatent(
            values={
                "publication_number": f"CN11600{n:04d}A",
                "title": "一种电池" + "极" * (n % 4),  # four score levels, ties within each
            }
        )
        for n in range(25)
    ]
    created = {p.pk for p in bulk.patents_bulk_create(actor=operator, rows=rows)}
    pages = _walk(anonymous, {"q": "电池", "page_size": 3}, back=True)
    forward = [pk for page in pages[:9] for pk in page]
    assert len(forward) == len(set(forward)) == 25
    assert set(forward) == created
    ranks = []
    body = anonymous.get(URL, {"q": "电池", "page_size": 25}).json()
    ranks = [(row["rank"], row["id"]) for row in body["results"]]
    assert [pk for _rank, pk in ranks] == forward  # pages join up into the one ordering
    assert ranks == sorted(ranks, key=lambda pair: (-pair[0], -pair[1]))
    assert pages[-1] == pages[0]  # back to the first page


def test_a_page_is_full_when_rows_of_its_margin_left_the_list(
    anonymous, operator, no_apply_on_read
):
    """Rows the index still holds but the database no longer lists (deleted a moment ago)
    do not shorten a page: it reads the whole window then."""
    rows = [
        bulk.BulkPatent(values={"publication_number": f"CN11500{n:04d}A", "title": "一种水泵"})
        for n in range(12)
    ]
    created = [p.pk for p in bulk.patents_bulk_create(actor=operator, rows=rows)]
    outbox.apply_all()
    from django.utils import timezone

    gone = sorted(created, reverse=True)[:8]  # the best of the equal scores: highest ids
    Patent.all_objects.filter(pk__in=gone).update(deleted_at=timezone.now())  # not yet indexed
    body = anonymous.get(URL, {"q": "水泵", "page_size": 3}).json()
    assert len(body["results"]) == 3
    assert not {row["id"] for row in body["results"]} & set(gone)
    assert body["next"]


# --- Read your writes --------------------------------------------------------------------------
def test_a_write_waits_for_the_index_and_says_so(
    client_for, university_a, no_apply_on_read, settings
):
    """Nothing applies the outbox inside a test's transaction, so the API write waits its
    full (short) limit and says the change is still pending; once applied, waiting ends at
    once."""
    settings.SEARCH_WRITE_WAIT_MS = 200
    response = client_for(university_a).post(
        URL,
        {"application_number": "CN201910209152.5", "title": "一种钒液流电池"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response["X-Search-Index"] == "pending"
    last = outbox.last_entry_of_session()
    assert last is not None
    assert outbox.wait_until_applied(last, 0.0) is False
    outbox.apply_all()
    assert outbox.wait_until_applied(last, 0.0) is True


def test_reads_and_refused_writes_do_not_wait(
    client_for, university_a, anonymous, no_apply_on_read, settings
):
    settings.SEARCH_WRITE_WAIT_MS = 5000
    assert "X-Search-Index" not in anonymous.get(URL)
    refused = client_for(university_a).post(URL, {"title": ""}, format="json")
    assert refused.status_code == 400
    assert "X-Search-Index" not in refused


def test_a_patent_with_a_holder_to_ask_ranks_above_the_same_text_without(operator):
    holder = HolderFactory.create(actor=operator, name="丁研究所", region="310115")
    nobody = PatentFactory.create(actor=operator, title="一种磁悬浮轴承", bare=True)
    someone = PatentFactory.create(
        actor=operator, holders=[holder], title="一种磁悬浮轴承", bare=True
    )
    ranked = engine.best_matches(engine.EngineQuery(text="磁悬浮轴承"), 10)
    assert ranked is not None
    assert ranked.ids == [someone.pk, nobody.pk]
    assert outbox.entries_for([someone.pk])[0].has_current_holder is True
    assert outbox.entries_for([nobody.pk])[0].has_current_holder is False
