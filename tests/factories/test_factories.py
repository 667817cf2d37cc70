"""Each factory makes a valid record through its service, with the history the product
writes, and its defaults are what its docstring says."""

import datetime

import pytest

from enterprises.models import EnterpriseMembership, MatchState
from patents.models import Holding, OfferStatus
from tests.factories import (
    DealFactory,
    DemandFactory,
    EnterpriseFactory,
    HolderFactory,
    InquiryFactory,
    LicenceRecordFactory,
    OfferFactory,
    PatentFactory,
    PledgeFactory,
    SavedSearchFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_patent_is_a_granted_invention_with_its_holdings_and_search_document(operator):
    holder, applicant = HolderFactory.create(), HolderFactory.create(name="乙研究所")
    patent = PatentFactory.create(actor=operator, holders=[holder], applicants=[applicant])
    patent.refresh_from_db()
    assert (patent.patent_type, patent.legal_status) == ("invention", "in_force")
    assert patent.expiry_date == datetime.date(2039, 3, 21)  # computed by the service
    assert patent.search_document
    assert [(h.role, h.holder) for h in Holding.objects.filter(patent=patent).order_by("role")] == [
        ("applicant", applicant),
        ("current", holder),
    ]
    assert patent.history.get().history_user == operator
    assert applicant.kind == "research_institute"  # guessed from the name, as the service does


def test_traits_make_a_pending_patent_and_one_numbered_by_its_publication():
    pending = PatentFactory.create(pending=True)
    published = PatentFactory.create(publication_only=True)
    assert (pending.legal_status, pending.grant_date) == ("pending", None)
    assert published.application_number is None
    assert published.publication_number.startswith("CN14")


def test_offers_are_drafts_unless_submitted_or_published_through_the_review(
    operator, university_a, patent_a
):
    draft = OfferFactory.create(patents=[patent_a], actor=university_a)
    pending = OfferFactory.create(patents=[patent_a], actor=university_a, status="pending_review")
    published = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    assert [o.status for o in (draft, pending, published)] == [
        OfferStatus.DRAFT,
        OfferStatus.PENDING_REVIEW,
        OfferStatus.PUBLISHED,
    ]
    assert (published.version, published.reviewer) == (3, operator)
    assert published.holder == patent_a.holdings.get().holder
    patent_a.refresh_from_db()
    assert patent_a.has_offer


def test_licences_and_pledges_are_recorded_by_the_current_holder(operator, holder_a, patent_a):
    licence = LicenceRecordFactory.create(patents=[patent_a], actor=operator)
    pledge = PledgeFactory.create(patents=[patent_a], actor=operator)
    assert (licence.licensor, pledge.pledgor) == (holder_a, holder_a)
    assert list(licence.patents.all()) == list(pledge.patents.all()) == [patent_a]


def test_the_demand_side_is_made_through_its_services(university_a, patent_a, operator):
    member = UserFactory.create()
    enterprise = EnterpriseFactory.create(
        actor=member, industry_code="I6513", employees=99, revenue_cny=50_000_000
    )
    assert EnterpriseMembership.objects.get(enterprise=enterprise).user == member
    assert enterprise.size_class == "small"  # computed by the service
    demand = DemandFactory.create(enterprise=enterprise, actor=member, open_now=True)
    assert demand.status == "matched"
    match = demand.matches.get(patent=patent_a)
    inquiry = InquiryFactory.create(enterprise=enterprise, actor=member, match=match)
    assert (inquiry.holder, inquiry.patent) == (patent_a.holdings.get().holder, patent_a)
    match.refresh_from_db()
    assert match.state == MatchState.CONTACTED
    deal = DealFactory.create(inquiry=inquiry, actor=university_a)
    assert deal.licence_record.licensee_uscc == enterprise.uscc
    saved = SavedSearchFactory.create(enterprise=enterprise, actor=member)
    assert (saved.user, saved.query) == (member, {"ipc": ["H01M"]})


def test_build_is_refused():
    with pytest.raises(TypeError, match="creates through a service"):
        PatentFactory.build()
