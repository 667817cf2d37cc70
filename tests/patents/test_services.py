"""Patent and holder services: normalisation, computed fields, history, versions, soft delete."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from conversion_db.models import import_batch
from conversion_db.services import StaleVersion
from patents.models import Holder, Holding, Patent
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from patents.search.ranking import patent_text_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def fudan(operator):
    return services.holder_create(
        actor=operator,
        data={
            "name": "复旦大学",
            "kind": "university",
            "uscc": "12100000425006117p",
            "region": "310110",
        },
    )


def lithium_patent(**overrides):
    values = {
        "application_number": "CN 2019 1 0209152.5",
        "title": "一种锂离子电池正极材料及其制备方法",
        "abstract": "本发明涉及锂离子电池领域。",
        "ipc_codes": ["h01m10/0525", "H01M 4/36"],
        "filing_date": datetime.date(2019, 3, 21),
        "grant_date": datetime.date(2021, 6, 1),
        "legal_status": "in_force",
    }
    values.update(overrides)
    return values


def test_create_normalises_numbers_and_computes_fields(operator, fudan):
    patent = services.patent_create(
        actor=operator, data=PatentInput(values=lithium_patent(), holdings=[HoldingInput(fudan)])
    )
    patent.refresh_from_db()
    assert patent.application_number == "201910209152.5"
    assert patent.patent_type == "invention"  # read from the number
    assert patent.ipc_codes == ["H01M 10/0525", "H01M 4/36"]
    assert patent.main_ipc == "H01M 10/0525"
    assert {"H", "H01", "H01M", "H01M 10/00", "H01M 10/05", "H01M 10/052", "H01M 10/0525"} <= set(
        patent.ipc_index
    )
    assert patent.expiry_date == datetime.date(2039, 3, 21)
    assert patent.region_id == "310110"
    assert patent.holder_kinds == ["university"]
    assert patent.search_document is not None
    assert list(patent_text_search(Patent.objects.all(), "锂离子电池 复旦")) == [patent]
    history = patent.history.get()
    assert history.history_type == "+"
    assert history.history_user == operator


def test_holder_uscc_is_checked_and_normalised(operator, fudan):
    assert fudan.uscc == "12100000425006117P"
    with pytest.raises(ValidationError) as raised:
        services.holder_create(
            actor=operator, data={"name": "某大学", "uscc": "12100000425006117Q"}
        )
    assert raised.value.message_dict["uscc"]
    assert not Holder.objects.filter(name="某大学").exists()


def test_invalid_values_report_every_field_and_write_nothing(operator):
    before = Patent.all_objects.count()
    with pytest.raises(ValidationError) as raised:
        services.patent_create(
            actor=operator,
            data=PatentInput(
                values=lithium_patent(
                    application_number="201910209152.4",  # wrong check character
                    ipc_codes=["H1M 10/0525"],
                    title=" ",
                    grant_date=datetime.date(2018, 1, 1),
                )
            ),
        )
    assert set(raised.value.message_dict) == {
        "application_number",
        "ipc_codes",
        "title",
        "grant_date",
    }
    assert Patent.all_objects.count() == before


def test_a_number_of_another_type_is_refused(operator):
    with pytest.raises(ValidationError) as raised:
        services.patent_create(
            actor=operator, data=PatentInput(values=lithium_patent(patent_type="design"))
        )
    assert raised.value.error_dict["application_number"][0].code == "type_mismatch"


def test_update_needs_the_current_version_and_records_history(operator, university_a, fudan):
    patent = services.patent_create(actor=operator, data=PatentInput(values=lithium_patent()))
    updated = services.patent_update(
        actor=university_a,
        patent=patent,
        data=PatentInput(values={"title_en": "Cathode material"}),
        expected_version=1,
    )
    assert updated.version == 2
    with pytest.raises(StaleVersion):
        services.patent_update(
            actor=operator,
            patent=patent,
            data=PatentInput(values={"title_en": "Overwritten"}),
            expected_version=1,
        )
    patent.refresh_from_db()
    assert patent.title_en == "Cathode material"
    latest = patent.history.first()
    assert latest.history_user == university_a
    assert latest.diff_against(latest.prev_record).changed_fields == [
        "title_en",
        "version",
        "updated_by",
    ] or ("title_en" in latest.diff_against(latest.prev_record).changed_fields)


def test_soft_delete_hides_the_patent_but_keeps_it_and_its_history(operator):
    patent = services.patent_create(actor=operator, data=PatentInput(values=lithium_patent()))
    services.patent_delete(actor=operator, patent=patent, expected_version=1)
    assert not Patent.objects.filter(pk=patent.pk).exists()
    assert Patent.all_objects.get(pk=patent.pk).deleted_at is not None
    assert patent.history.count() == 2


def test_writes_inside_an_import_batch_carry_its_id(operator, fudan):
    batch = uuid.uuid4()
    with import_batch(batch):
        patent = services.patent_create(
            actor=operator,
            data=PatentInput(values=lithium_patent(), holdings=[HoldingInput(fudan)]),
            batch=batch,
        )
    assert patent.history.get().import_batch == batch
    assert Holding.history.filter(patent_id=patent.pk).get().import_batch == batch


def test_transfer_keeps_the_original_applicant(operator, fudan):
    buyer = services.holder_create(
        actor=operator, data={"name": "上海某科技有限公司", "region": "310115"}
    )
    patent = services.patent_create(
        actor=operator,
        data=PatentInput(
            values=lithium_patent(),
            holdings=[HoldingInput(fudan, role="applicant"), HoldingInput(fudan)],
        ),
    )
    services.patent_update(
        actor=operator,
        patent=patent,
        data=PatentInput(
            values={},
            holdings=[
                HoldingInput(fudan, role="applicant"),
                HoldingInput(buyer, since=datetime.date(2024, 5, 1)),
            ],
        ),
        expected_version=1,
    )
    roles = sorted(patent.holdings.values_list("holder__name", "role"))
    assert roles == [("上海某科技有限公司", "current"), ("复旦大学", "applicant")]
    patent.refresh_from_db()
    assert patent.region_id == "310115"
    assert patent.holder_kinds == ["enterprise"]
