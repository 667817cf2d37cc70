"""/api/v1/feeds/offers/: the public feed of offer events (published, withdrawn, ...)."""

import datetime

import pytest
from django.utils import timezone

from patents.licensing import offers
from patents.models import LicensingOffer

pytestmark = pytest.mark.django_db

URL = "/api/v1/feeds/offers/"
OFFERS = "/api/v1/offers/"


def draft(client_for, university_a, patent, title="锂电池正极材料开放许可"):
    body = {
        "offer_type": "open_licence",
        "title": title,
        "pricing_mode": "royalty_net_sales",
        "royalty_rate": "3.00",
        "term_start": "2026-01-01",
        "term_end": "2030-12-31",
        "patents": [patent.pk],
    }
    return client_for(university_a).post(OFFERS, body, format="json").json()


def publish(client_for, university_a, operator, offer):
    client_for(university_a).post(f"{OFFERS}{offer['id']}/submit/", {"version": 1}, format="json")
    client_for(operator).post(
        f"{OFFERS}{offer['id']}/review/", {"approve": True, "version": 2}, format="json"
    )


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
    offer = draft(client_for, university_a, patent_a)
    publish(client_for, university_a, operator, offer)
    withdraw(client_for, university_a, offer["id"])
    private = draft(client_for, university_a, patent_a, title="草稿")
    withdraw(client_for, university_a, private["id"])

    response = anonymous.get(URL)

    assert response.status_code == 200
    assert events(response) == [("withdrawn", offer["id"]), ("published", offer["id"])]
    first = response.json()["results"][0]
    assert first["holder_name"] == holder_a.name
    assert first["patent_numbers"] == [patent_a.application_number]
    assert first["path"] == f"{OFFERS}{offer['id']}/"
    assert first["offer_type"] == "open_licence"
    assert events(anonymous.get(URL, {"event": "published"})) == [("published", offer["id"])]


def test_an_expired_offer_is_an_event(client_for, university_a, operator, patent_a, anonymous):
    offer = draft(client_for, university_a, patent_a)
    publish(client_for, university_a, operator, offer)

    assert offers.offers_expire(on=datetime.date(2031, 1, 1)) == 1

    assert events(anonymous.get(URL))[0] == ("expired", offer["id"])


def test_the_feed_pages_by_event_id_and_filters_by_time(
    client_for, university_a, operator, patent_a, anonymous, django_assert_max_num_queries
):
    published = []
    for index in range(3):
        offer = draft(client_for, university_a, patent_a, title=f"许可 {index}")
        publish(client_for, university_a, operator, offer)
        published.append(offer["id"])

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
    offer = draft(client_for, university_a, patent_a)
    publish(client_for, university_a, operator, offer)
    # +21:30 is a valid ISO 8601 offset beyond PostgreSQL's; the instant is still compared.
    past = anonymous.get(URL, {"since": "2000-01-01T00:00:00+21:30"})
    assert past.status_code == 200
    assert events(past) == [("published", offer["id"])]
    future = anonymous.get(URL, {"since": "2999-01-01T00:00:00-20:00"}).json()
    assert future["results"] == []
    too_early = anonymous.get(URL, {"since": "0001-01-01T00:00:00+05:00"})
    assert too_early.status_code == 400
    assert too_early.json()["errors"][0]["field"] == "since"
