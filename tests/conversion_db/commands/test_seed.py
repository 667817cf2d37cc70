"""manage.py seed: complete reference data, and running it twice gives the same state."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from psycopg import sql
from rest_framework.test import APIClient

from enterprises.models import Enterprise
from patents.models import Holder, Holding, IpcClass, LicensingOffer, Patent, Region, TechField
from patents.search.ranking import patent_text_search
from patents.seeding.patents import ABSTRACTS_SOURCE, CNKI_APPLICANTS_SOURCE, TITLES_SOURCE

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


def history_rows() -> dict[str, int]:
    return {
        model.__name__: model.history.count()
        for model in (Patent, Holder, Holding, LicensingOffer, Enterprise)
    }


def test_seed_loads_the_real_patents_with_their_holders_once():
    out = io.StringIO()
    call_command("seed", "--no-ipc-model", stdout=out)
    assert "patents: 22031 created, 0 already there; holders: 415 created" in out.getvalue()
    assert "seed: demo licensing (marked 【演示】):" in out.getvalue()
    before = history_rows()
    again = io.StringIO()
    call_command("seed", "--no-ipc-model", stdout=again)
    assert "patents: 0 created, 22031 already there; holders: 0 created, 0 repaired" in (
        again.getvalue()
    )
    assert "demo licensing: already there" in again.getvalue()
    assert "repaired" not in again.getvalue().replace("0 repaired", "")
    assert history_rows() == before  # the second run wrote nothing

    bird_guard = Patent.objects.get(publication_number="CN114081026A")
    assert bird_guard.patent_type == "invention"
    assert bird_guard.legal_status == "pending"
    assert bird_guard.ipc_codes == ["A01M", "G06F", "H02G"]
    assert bird_guard in patent_text_search(Patent.objects.all(), "驱鸟")
    assert bird_guard.history.get().import_batch is not None
    zju = Patent.objects.get(publication_number="CN108982325A")
    assert zju.holdings.get(role="current").holder.name == "浙江大学"
    assert zju.holder_kinds == ["university"]

    # Every patent a source names an applicant for has its holders.
    named = Patent.objects.exclude(source__in=[TITLES_SOURCE, ABSTRACTS_SOURCE])
    assert named.count() == 14204
    assert not named.filter(holder_kinds=[]).exists()
    assert not named.filter(filing_date=None).exists()
    assert (
        not Patent.objects.filter(source__in=[TITLES_SOURCE, ABSTRACTS_SOURCE])
        .exclude(holder_kinds=[])
        .exists()
    )  # and no holder is invented for the others
    # An A and the B of the same application are one patent.
    paired = Patent.objects.filter(source=CNKI_APPLICANTS_SOURCE, grant_number__startswith="CN")
    assert paired.exclude(grant_number=F("publication_number")).count() == 108

    # Kinds from names: the CAS institute is a research institute.
    assert Holder.objects.get(name="中国科学院上海技术物理研究所").kind == "research_institute"
    assert Holder.objects.get(name="上海天马微电子有限公司").kind == "enterprise"
    # Regions: from the address, the source, or a registered enterprise name.
    assert Holder.objects.get(name="中科大数据研究院").region_id == "410100"  # address
    assert Holder.objects.get(name="南京大学").region_id == "320100"  # stated by the source
    assert Holder.objects.get(name="上海天马微电子有限公司").region_id == "310000"
    assert Holder.objects.get(name="上海交通大学").region_id is None  # nothing says
    assert named.exclude(region=None).count() > 0.8 * named.count()
    assert Patent.objects.filter(region__code__startswith="31").count() > 1000

    # A new SME's inquiry on any demo offer reaches someone.
    for offer in LicensingOffer.objects.select_related("holder"):
        assert offer.holder.contact_email or offer.holder.memberships.exists(), offer

    report = io.StringIO()
    call_command("seed", "--report", stdout=report)
    assert "all\t22031\t14204 (64.5%)\t14204 (64.5%)\t22031 (100.0%)" in report.getvalue()


def test_search_shows_holders_on_the_first_page():
    """Through the HTTP API, on the patents whose holder a source names (``--attributed-only``):
    the 7,827 title records name none, and with them the first page of 锂电池 mixes both."""
    call_command("seed", "--attributed-only", "--no-ipc-model", stdout=io.StringIO())
    response = APIClient().get("/api/v1/patents/", {"q": "锂电池"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) >= 10
    for row in rows:
        assert row["holders"], row["publication_number"]


def test_the_demo_licensing_set_is_marked_and_follows_the_rules():
    from patents.licensing import offers
    from patents.models import LicenceRecord, LicensingOffer, Pledge

    call_command("seed", "--no-ipc-model", stdout=io.StringIO())
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
