"""manage.py seed: complete reference data, and running it twice gives the same state."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from patents.models import IpcClass, Patent, Region, TechField
from patents.search.ranking import patent_text_search

pytestmark = pytest.mark.django_db

TABLES = {
    TechField: "number",
    IpcClass: "key",
    Region: "code",
}


def snapshot() -> dict[str, str]:
    """An md5 of every row of each reference table, in key order."""
    digests = {}
    with connection.cursor() as cursor:
        for model, key in TABLES.items():
            table = model._meta.db_table
            query = sql.SQL("SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.{})) FROM {} t")
            cursor.execute(query.format(sql.Identifier(key), sql.Identifier(table)))
            digests[table] = cursor.fetchone()[0]
    return digests


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed", "--reference-only", stdout=out)
    return out.getvalue()


def test_seeded_reference_data_is_complete():
    levels = {
        level: IpcClass.objects.filter(level=level).count()
        for level in ("section", "class", "subclass", "main_group", "subgroup")
    }
    assert levels["section"] == 8
    assert levels["class"] >= 131
    assert levels["subclass"] >= 656  # 643 Chinese + 13 only in English
    assert levels["main_group"] >= 7469
    assert levels["subgroup"] >= 68991
    assert not IpcClass.objects.filter(title_zh="", title_en="").exclude(level="subgroup").exists()
    assert TechField.objects.count() == 35
    assert Region.objects.filter(level="province", is_current=True).count() == 34
    assert Region.objects.filter(parent_id="310100", is_current=True).count() == 16
    assert Region.objects.get(code="310108").is_current is False


def test_every_parent_and_ancestor_exists_and_chains_agree():
    keys = set(IpcClass.objects.values_list("key", flat=True))
    for key, parent, ancestors in IpcClass.objects.values_list(
        "key", "parent_id", "ancestors"
    ).iterator():
        assert (parent is None) == (ancestors == []), key
        if parent is not None:
            assert ancestors[-1] == parent, key
            assert set(ancestors) <= keys, key


def test_seed_twice_gives_the_same_state_and_writes_nothing():
    before = snapshot()
    output = run_seed()
    assert snapshot() == before
    assert "0 created, 0 updated" in output
    assert "0 removed" in output


def test_seed_repairs_drift_and_removes_rows_the_files_do_not_have():
    before = snapshot()
    IpcClass.objects.filter(key="H01M0010052500").update(title_zh="edited by hand")
    Region.objects.create(code="999999", name="不存在", level="province")
    output = run_seed()
    assert "1 updated" in output
    assert "1 removed" in output
    assert snapshot() == before


def test_seed_loads_the_real_patents_once():
    out = io.StringIO()
    call_command("seed", stdout=out)
    assert "patents: 7860 created, 0 already there" in out.getvalue()
    assert "seed: demo licensing (marked 【演示】):" in out.getvalue()
    again = io.StringIO()
    call_command("seed", stdout=again)
    assert "patents: 0 created, 7860 already there" in again.getvalue()
    assert "demo licensing: already there" in again.getvalue()

    bird_guard = Patent.objects.get(publication_number="CN114081026A")
    assert bird_guard.patent_type == "invention"
    assert bird_guard.legal_status == "pending"
    assert bird_guard.ipc_codes == ["A01M", "G06F", "H02G"]
    assert bird_guard in patent_text_search(Patent.objects.all(), "驱鸟")
    assert bird_guard.history.get().import_batch is not None
    zju = Patent.objects.get(publication_number="CN108982325A")
    assert zju.holdings.get(role="current").holder.name == "浙江大学"
    assert zju.holder_kinds == ["university"]


def test_the_demo_licensing_set_is_marked_and_follows_the_rules():
    from patents.licensing import offers
    from patents.models import LicenceRecord, LicensingOffer, Pledge

    call_command("seed", stdout=io.StringIO())
    demo = LicensingOffer.objects.all()
    assert demo.count() >= 6
    assert all(offer.title.startswith("【演示】") for offer in demo)
    assert {offer.status for offer in demo} == {"published"}
    assert {offer.offer_type for offer in demo} >= {"open_licence", "ordinary", "assignment"}
    for offer in demo:
        assert all(v.result.ok for v in offers.offer_eligibility(offer)), offer
    assert LicenceRecord.objects.filter(source="demo").exists()
    assert not LicenceRecord.objects.exclude(source="demo").exists()
    assert all(p.registration_number.startswith("DEMO-") for p in Pledge.objects.all())
