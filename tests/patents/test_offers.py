"""Licensing offers through the services (patents.licensing.offers): lifecycle and the rules
of docs/domain/ (open licensing, licences, pledges)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conversion_db.services import StaleVersion
from patents.licensing import offers
from patents.models import LicenceRecord, OfferStatus, Patent, Pledge
from patents.register import services
from patents.register.services import HoldingInput, PatentInput

pytestmark = pytest.mark.django_db

OPEN_TERMS = {
    "offer_type": "open_licence",
    "title": "锂离子电池正极材料开放许可",
    "pricing_mode": "royalty_net_sales",
    "royalty_rate": Decimal("3"),
    "term_start": datetime.date(2025, 1, 1),
    "term_end": datetime.date(2030, 12, 31),
}


def make_patent(operator, holder, number, **values):
    defaults = {
        "application_number": number,
        "title": "一种锂离子电池正极材料",
        "filing_date": datetime.date(2019, 3, 21),
        "grant_date": datetime.date(2021, 6, 1),
        "legal_status": "in_force",
    }
    return services.patent_create(
        actor=operator,
        data=PatentInput(values={**defaults, **values}, holdings=[HoldingInput(holder)]),
    )


@pytest.fixture
def granted(operator, holder_a):
    return make_patent(operator, holder_a, "201910209152.5")


def codes(error: ValidationError) -> set[str | None]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_a_holder_offers_its_own_patents_as_a_draft(university_a, holder_a, granted):
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    assert offer.status == OfferStatus.DRAFT
    assert list(offer.patents.all()) == [granted]
    assert offer.history.get().history_user == university_a


def test_another_holders_patent_cannot_be_offered(university_b, holder_b, granted):
    with pytest.raises(ValidationError) as raised:
        offers.offer_create(
            actor=university_b, holder=holder_b, values=OPEN_TERMS, patent_ids=[granted.pk]
        )
    assert codes(raised.value) == {"not_holders_patent"}


def test_the_licence_term_may_not_outlive_a_patent(university_a, holder_a, granted):
    values = {**OPEN_TERMS, "term_end": datetime.date(2040, 1, 1)}  # expires 2039-03-21
    with pytest.raises(ValidationError) as raised:
        offers.offer_create(
            actor=university_a, holder=holder_a, values=values, patent_ids=[granted.pk]
        )
    assert "term_end" in raised.value.error_dict


def test_amounts_and_rates_are_checked(university_a, holder_a, granted):
    for bad in ({"royalty_rate": Decimal("120")}, {"lump_sum_cny": Decimal("-1")}):
        with pytest.raises(ValidationError):
            offers.offer_create(
                actor=university_a,
                holder=holder_a,
                values={**OPEN_TERMS, **bad},
                patent_ids=[granted.pk],
            )


def test_submit_review_publish_and_withdraw(university_a, operator, holder_a, granted):
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    offer = offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    assert offer.status == OfferStatus.PENDING_REVIEW
    offer = offers.offer_review(
        actor=operator, offer=offer, approve=True, note="", expected_version=2
    )
    assert (offer.status, offer.reviewer) == (OfferStatus.PUBLISHED, operator)
    assert Patent.objects.get(pk=granted.pk).has_offer
    offer = offers.offer_withdraw(actor=university_a, offer=offer, expected_version=3)
    assert offer.status == OfferStatus.WITHDRAWN
    assert not Patent.objects.get(pk=granted.pk).has_offer
    assert offer.history.count() == 4


def test_a_rejection_needs_a_reason_and_returns_the_draft(
    university_a, operator, holder_a, granted
):
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    offer = offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    with pytest.raises(ValidationError):
        offers.offer_review(
            actor=operator, offer=offer, approve=False, note=" ", expected_version=2
        )
    offer = offers.offer_review(
        actor=operator, offer=offer, approve=False, note="价格说明不清", expected_version=2
    )
    assert (offer.status, offer.review_note) == (OfferStatus.DRAFT, "价格说明不清")


def test_an_ineligible_open_licence_is_refused_with_every_reason(university_a, operator, holder_a):
    pending = make_patent(
        operator, holder_a, "201610920041.1", grant_date=None, legal_status="pending"
    )
    values = {**OPEN_TERMS, "pricing_mode": "negotiable", "term_end": None, "term_start": None}
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=values, patent_ids=[pending.pk]
    )
    verdicts = offers.offer_eligibility(offer)
    assert set(verdicts[0].result.codes) == {
        "not_granted",
        "royalty_terms_missing",
        "licence_period_missing",
    }
    with pytest.raises(ValidationError) as raised:
        offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    assert codes(raised.value) == set(verdicts[0].result.codes)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT


def test_a_pledged_patent_needs_the_pledgees_consent(university_a, operator, holder_a, granted):
    pledge = Pledge.objects.create(
        pledgor=holder_a,
        pledgee_name="上海银行",
        secured_amount_cny=Decimal("5000000"),
        registration_date=datetime.date(2024, 5, 1),
        debt_end=datetime.date(2027, 5, 1),
    )
    pledge.patents.add(granted)
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    assert offers.offer_eligibility(offer)[0].result.codes == ["pledged_without_consent"]
    offer = offers.offer_update(
        actor=university_a,
        offer=offer,
        values={"pledgee_consent": True},
        patent_ids=None,
        expected_version=1,
    )
    assert offers.offer_eligibility(offer)[0].result.ok


def test_no_exclusive_offer_while_an_open_licence_is_published(
    university_a, operator, holder_a, granted
):
    open_offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    offers.offer_submit(actor=university_a, offer=open_offer, expected_version=1)
    offers.offer_review(actor=operator, offer=open_offer, approve=True, note="", expected_version=2)
    exclusive = offers.offer_create(
        actor=university_a,
        holder=holder_a,
        values={**OPEN_TERMS, "offer_type": "exclusive", "title": "独占许可"},
        patent_ids=[granted.pk],
    )
    with pytest.raises(ValidationError) as raised:
        offers.offer_submit(actor=university_a, offer=exclusive, expected_version=1)
    assert codes(raised.value) == {"open_licence_in_force"}
    ordinary = offers.offer_create(
        actor=university_a,
        holder=holder_a,
        values={**OPEN_TERMS, "offer_type": "ordinary", "title": "普通许可"},
        patent_ids=[granted.pk],
    )
    assert offers.offer_submit(actor=university_a, offer=ordinary, expected_version=1)


def test_a_recorded_exclusive_licence_blocks_an_open_licence(university_a, holder_a, granted):
    record = LicenceRecord.objects.create(
        licensor=holder_a,
        licensee_name="上海某新能源有限公司",
        kind="exclusive",
        term_start=datetime.date(2024, 1, 1),
        term_end=datetime.date(2030, 1, 1),
    )
    record.patents.add(granted)
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    assert "exclusive_licence_in_force" in offers.offer_eligibility(offer)[0].result.codes


def test_a_stale_version_is_refused(university_a, holder_a, granted):
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    with pytest.raises(StaleVersion):
        offers.offer_submit(actor=university_a, offer=offer, expected_version=7)


def test_published_offers_expire_when_a_patent_lapses(university_a, operator, holder_a, granted):
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    offers.offer_review(actor=operator, offer=offer, approve=True, note="", expected_version=2)
    assert offers.offers_expire() == 0
    services.patents_set_legal_status(actor=operator, patents=[granted], legal_status="lapsed")
    assert offers.offers_expire() == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert not Patent.objects.get(pk=granted.pk).has_offer


def test_the_expire_offers_command(university_a, operator, holder_a, granted):
    import io

    from django.core.management import call_command

    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    offers.offer_review(actor=operator, offer=offer, approve=True, note="", expected_version=2)
    Patent.objects.filter(pk=granted.pk).update(legal_status="invalidated")
    out = io.StringIO()
    call_command("expire_offers", stdout=out)
    assert out.getvalue().strip() == "1 offers expired"


def test_an_offer_whose_term_has_ended_cannot_be_submitted(university_a, holder_a, granted):
    offer = offers.offer_create(
        actor=university_a,
        holder=holder_a,
        values={**OPEN_TERMS, "term_start": None, "term_end": datetime.date(2024, 12, 31)},
        patent_ids=[granted.pk],
    )
    with pytest.raises(ValidationError) as raised:
        offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    assert codes(raised.value) == {"past"}


def test_the_holders_members_are_emailed_the_review(
    university_a, operator, holder_a, granted, mailoutbox, django_capture_on_commit_callbacks
):
    university_a.email = "tto@a.edu.cn"
    university_a.save()
    offer = offers.offer_create(
        actor=university_a, holder=holder_a, values=OPEN_TERMS, patent_ids=[granted.pk]
    )
    offers.offer_submit(actor=university_a, offer=offer, expected_version=1)
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_review(
            actor=operator,
            offer=offer,
            approve=False,
            note="请补充许可期限说明",
            expected_version=2,
        )
    assert [message.to for message in mailoutbox] == [["tto@a.edu.cn"]]
    assert "请补充许可期限说明" in mailoutbox[0].body
