"""/api/v1/feeds/offers/: the public feed of offer events (published, withdrawn, ...)."""

import datetime

import pytest
from django.utils import timezone

from patents.licensing import offers
from patents.models import LicensingOffer
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/feeds/offers/"
OFFERS = "/api/v1/offers/"


def withdraw(client_for, university_a, offer_id):
    version = LicensingOffer.objects.get(pk=offer_id).version
    response = client_for(university_a).post(
        f"{OFFERS}{offer_id}/withdraw/", {"version": version}, format="json"
    )
    assert response.status_code == 200, response.json()


def events(response):
    return [(row["type"], row["offer"]) for row in response.json()["results"]]


def test_publish_and_withdraw_are_events_but_a_withdrawn_draft_is_not(
    client_for, university_a, operator, patent_a, anonymous, holder_a
):
    offer = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    withdraw(client_for, university_a, offer.pk)
    private = OfferFactory.create(patents=[patent_a], actor=university_a, title="草稿")
    withdraw(client_for, university_a, private.pk)

    response = anonymous.get(URL)

    assert response.status_code == 200
    assert events(response) == [("withdrawn", offer.pk), ("published", offer.pk)]
    first = response.json()["results"][0]
    assert first["holder_name"] == holder_a.name
    assert first["patent_numbers"] == [patent_a.application_number]
    assert first["path"] == f"{OFFERS}{offer.pk}/"
    assert first["offer_type"] == "open_licence"
    assert events(anonymous.get(URL, {"event": "published"})) == [("published", offer.pk)]


def test_an_expired_offer_is_an_event(client_for, university_a, operator, patent_a, anonymous):
    offer = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )

    assert offers.offers_expire(on=datetime.date(2031, 1, 1)) == 1

    assert events(anonymous.get(URL))[0] == ("expired", offer.pk)


def test_the_feed_pages_by_event_id_and_filters_by_time(
    client_for, university_a, operator, patent_a, anonymous, django_assert_max_num_queries
):
    published = []
    for index in range(3):
        offer = OfferFactory.create(
            patents=[patent_a],
            actor=university_a,
            reviewer=operator,
            status="published",
            title=f"许可 {index}",
        )
        published.append(offer.pk)

    with django_assert_max_num_queries(2):  # events with holders; their patents
        first = anonymous.get(URL, {"page_size": 2})
    second = anonymous.get(first.json()["next"])

    assert events(first) == [("published", published[2]), ("published", published[1])]
    assert events(second) == [("published", published[0])]
    assert second.json()["next"] is None
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert anonymous.get(URL, {"since": later}).json()["results"] == []
    assert anonymous.get(URL, {"since": "yesterday"}).json()["errors"][0]["field"] == "since"
    assert anonymous.get(URL, {"event": "draft"}).status_code == 400
    assert anonymous.get(URL, {"page_size": 1000}).status_code == 400


def test_since_takes_any_utc_offset_iso_allows(
    client_for, university_a, operator, patent_a, anonymous
):
    offer = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    # +21:30 is a valid ISO 8601 offset beyond PostgreSQL's; the instant is still compared.
    past = anonymous.get(URL, {"since": "2000-01-01T00:00:00+21:30"})
    assert past.status_code == 200
    assert events(past) == [("published", offer.pk)]
    future = anonymous.get(URL, {"since": "2999-01-01T00:00:00-20:00"}).json()
    assert future["results"] == []
    too_early = anonymous.get(URL, {"since": "0001-01-01T00:00:00+05:00"})
    assert too_early.status_code == 400
    assert too_early.json()["errors"][0]["field"] == "since"
