"""Recorded licences, assignments and pledges through the services (patents.licensing.records)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from patents.licensing import records
from patents.models import Holding, Patent
from tests.factories import PatentFactory
from tests.support.errors import error_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(operator, holder_a):
    """Holder A's granted invention in force, filed 2019-03-21 (expires 2039-03-21), of which
    A is both the original applicant and the current holder."""
    return PatentFactory.create(
        actor=operator,
        application_number="201910209152.5",
        applicants=[holder_a],
        holders=[holder_a],
    )


def licence(operator, holder, patent, **values):
    defaults = {
        "licensee_name": "上海某新能源有限公司",
        "kind": "ordinary",
        "term_start": datetime.date(2025, 1, 10),
        "term_end": datetime.date(2030, 1, 9),
        "contract_date": datetime.date(2025, 1, 10),
        "recordation_date": datetime.date(2025, 3, 1),
    }
    return records.licence_record_create(
        actor=operator, licensor=holder, values={**defaults, **values}, patent_ids=[patent.pk]
    )


def test_a_licence_is_recorded_with_history(operator, holder_a, granted):
    record, warnings = licence(operator, holder_a, granted)
    assert warnings == []
    assert list(record.patents.all()) == [granted]
    assert {h.history_user for h in record.history.all()} == {operator}  # row, then its patents


def test_a_late_recordation_is_accepted_with_a_warning(operator, holder_a, granted):
    _record, warnings = licence(
        operator, holder_a, granted, recordation_date=datetime.date(2025, 4, 11)
    )
    assert [w.code for w in warnings] == ["recordation_late"]


@pytest.mark.parametrize(
    ("setup", "values", "code"),
    [
        (None, {"term_end": datetime.date(2040, 12, 31)}, "period_beyond_term"),
        ("grace", {}, "annual_fee_unpaid"),
        ("exclusive", {}, "conflicting_licence"),
    ],
)
def test_recordation_refusals(operator, holder_a, granted, setup, values, code):
    if setup == "grace":
        Patent.objects.filter(pk=granted.pk).update(legal_status="in_grace_period")
    if setup == "exclusive":
        licence(operator, holder_a, granted, kind="exclusive")
    with pytest.raises(ValidationError) as raised:
        licence(operator, holder_a, granted, **values)
    assert code in error_codes(raised.value)


def test_only_the_patentee_of_record_licenses(operator, holder_b, granted):
    with pytest.raises(ValidationError) as raised:
        licence(operator, holder_b, granted)
    assert error_codes(raised.value) == {"licensor_not_holder"}


def test_an_assignment_changes_the_holder_of_record_and_keeps_the_original(
    operator, holder_a, granted
):
    licence(
        operator,
        holder_a,
        granted,
        kind="assignment",
        licensee_name="上海某科技有限公司",
        recordation_date=datetime.date(2025, 2, 1),
    )
    holdings = {(h.role, h.holder.name) for h in Holding.objects.filter(patent=granted)}
    assert holdings == {("applicant", "甲大学"), ("current", "上海某科技有限公司")}
    current = Holding.objects.get(patent=granted, role="current")
    assert current.since == datetime.date(2025, 2, 1)
    assert Patent.objects.get(pk=granted.pk).version == 2


def test_a_pledge_by_the_holder_inside_the_term(operator, holder_a, granted):
    pledge = records.pledge_create(
        actor=operator,
        pledgor=holder_a,
        values={
            "pledgee_name": "上海银行",
            "secured_amount_cny": Decimal("5000000"),
            "registration_date": datetime.date(2025, 5, 1),
            "debt_end": datetime.date(2028, 5, 1),
        },
        patent_ids=[granted.pk],
    )
    assert list(pledge.patents.all()) == [granted]


@pytest.mark.parametrize(
    ("debt_end", "pledgor", "twice", "code"),
    [
        (datetime.date(2040, 1, 1), "a", False, "debt_beyond_term"),
        (datetime.date(2028, 1, 1), "b", False, "pledgor_not_holder"),
        (datetime.date(2028, 1, 1), "a", True, "already_pledged"),
    ],
)
def test_pledge_refusals(operator, holder_a, holder_b, granted, debt_end, pledgor, twice, code):
    values = {
        "pledgee_name": "上海银行",
        "secured_amount_cny": Decimal("5000000"),
        "registration_date": datetime.date(2025, 5, 1),
        "debt_end": debt_end,
    }
    holder = holder_a if pledgor == "a" else holder_b
    if twice:
        records.pledge_create(
            actor=operator,
            pledgor=holder_a,
            values={**values, "debt_end": datetime.date(2027, 1, 1)},
            patent_ids=[granted.pk],
        )
    with pytest.raises(ValidationError) as raised:
        records.pledge_create(
            actor=operator, pledgor=holder, values=values, patent_ids=[granted.pk]
        )
    assert code in error_codes(raised.value)


def test_a_bad_uscc_is_a_field_error(operator, holder_a, granted):
    with pytest.raises(ValidationError) as raised:
        licence(operator, holder_a, granted, licensee_uscc="91310000MA1FL8TQ3X")
    assert "licensee_uscc" in raised.value.error_dict


def test_a_debt_that_ends_before_its_registration_is_refused(operator, holder_a, granted):
    with pytest.raises(ValidationError) as raised:
        records.pledge_create(
            actor=operator,
            pledgor=holder_a,
            values={
                "pledgee_name": "上海银行",
                "secured_amount_cny": Decimal("5000000"),
                "registration_date": datetime.date(2025, 5, 1),
                "debt_end": datetime.date(2025, 4, 30),
            },
            patent_ids=[granted.pk],
        )
    assert error_codes(raised.value) == {"date_order"}
