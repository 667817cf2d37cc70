"""/api/v1/notifications/: a user's inbox, unread first then newest, marked read one by one
or all at once, with an unread count; nobody else's notifications, ever."""

from __future__ import annotations

import pytest
from django.utils import timezone

from notifications.models import Recipient
from notifications.services import notify

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


def tell(user, about, kind="offer_published", title="标题"):
    """One notification to ``user``; returns their row (the id the API shows)."""
    notification = notify(
        actor=None,
        kind=kind,
        recipients=[user],
        about=about,
        link=f"/api/v1/patents/{about.pk}/",
        title=title,
        body="正文",
    )
    return notification.recipients.get(user=user)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def rows(sme, patent_a):
    """Five notifications of ``sme``: the 1st and 3rd read."""
    made = [tell(sme, patent_a, title=f"第{i}条") for i in range(5)]
    Recipient.objects.filter(pk__in=[made[0].pk, made[2].pk]).update(read_at=timezone.now())
    return [row.pk for row in made]


def test_unread_come_first_then_newest_in_keyset_pages(
    client_for, sme, rows, django_assert_num_queries
):
    client = client_for(sme)
    with django_assert_num_queries(1):  # the page's rows with their notification
        first = client.get(URL, {"page_size": 2})
    with django_assert_num_queries(1):  # the same for a larger page
        everything = client.get(URL, {"page_size": 20})

    expected = [rows[4], rows[3], rows[1], rows[2], rows[0]]
    assert ids(everything) == expected
    assert ids(first) == expected[:2]
    second = client.get(first.json()["next"])
    third = client.get(second.json()["next"])
    assert ids(second) + ids(third) == expected[2:]
    assert third.json()["next"] is None
    row = everything.json()["results"][0]
    assert row == {
        "id": rows[4],
        "kind": "offer_published",
        "title": "第4条",
        "body": "正文",
        "link": row["link"],
        "about": {"type": "patents.patent", "id": row["about"]["id"]},
        "created_at": row["created_at"],
        "read_at": None,
        "unread": True,
    }


def test_filters_and_their_400s(client_for, sme, rows, patent_a):
    client = client_for(sme, language="en")
    tell(sme, patent_a, kind="inquiry_reminder")

    assert len(ids(client.get(URL, {"unread": "true"}))) == 4
    assert ids(client.get(URL, {"unread": "false"})) == [rows[2], rows[0]]
    assert len(ids(client.get(URL, {"kind": "inquiry_reminder"}))) == 1
    assert len(ids(client.get(URL, {"kind": ["inquiry_reminder", "offer_published"]}))) == 6
    for params, field in (
        ({"unread": "maybe"}, "unread"),
        ({"kind": "party"}, "kind"),
        ({"colour": "red"}, "colour"),
        ({"page_size": "0"}, "page_size"),
    ):
        response = client.get(URL, params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["field"] == field


def test_nobody_sees_another_users_notifications(client_for, sme, sme_other, anonymous, rows):
    assert client_for(sme_other).get(URL).json()["results"] == []
    assert client_for(sme_other).get(f"{URL}{rows[1]}/").status_code == 404
    assert client_for(sme_other).post(f"{URL}{rows[1]}/read/").status_code == 404
    assert client_for(sme_other).post(f"{URL}read-all/").json() == {"marked": 0}
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}unread-count/").status_code == 401
    assert anonymous.post(f"{URL}read-all/").status_code == 401
    assert Recipient.objects.filter(user=sme, read_at__isnull=True).count() == 3


def test_one_is_read_and_reading_it_again_changes_nothing(client_for, sme, rows):
    client = client_for(sme)
    assert client.get(f"{URL}{rows[1]}/").json()["unread"] is True  # reading is not marking

    marked = client.post(f"{URL}{rows[1]}/read/")
    again = client.post(f"{URL}{rows[1]}/read/")

    assert marked.status_code == 200
    assert marked.json()["unread"] is False
    assert marked.json()["read_at"] is not None
    assert again.json()["read_at"] == marked.json()["read_at"]
    assert Recipient.objects.get(pk=rows[1]).is_read is True


def test_all_are_read_or_those_up_to_what_was_seen(client_for, sme, rows):
    client = client_for(sme)

    partly = client.post(f"{URL}read-all/", {"up_to": rows[3]}, format="json")

    assert partly.json() == {"marked": 2}  # rows 1 and 3; row 4 arrived after
    assert list(
        Recipient.objects.filter(user=sme, read_at__isnull=True).values_list("pk", flat=True)
    ) == [rows[4]]
    assert client.post(f"{URL}read-all/").json() == {"marked": 1}
    assert client.get(f"{URL}unread-count/").json() == {"unread": 0, "capped": False}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Ensure this value is greater than or equal to 1."),
        ("zh-hans", "请确保该值大于或者等于 1。"),
    ],
)
def test_a_bad_up_to_is_a_400_in_the_requests_language(client_for, sme, rows, language, message):
    response = client_for(sme, language=language).post(
        f"{URL}read-all/", {"up_to": 0}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "up_to", "code": "min_value", "message": message}
    ]
    assert Recipient.objects.filter(user=sme, read_at__isnull=True).count() == 3


def test_the_unread_count_is_capped(client_for, sme, rows, monkeypatch):
    client = client_for(sme)
    assert client.get(f"{URL}unread-count/").json() == {"unread": 3, "capped": False}
    monkeypatch.setattr("notifications.selectors.UNREAD_COUNT_CAP", 2)
    assert client.get(f"{URL}unread-count/").json() == {"unread": 2, "capped": True}


def test_title_and_text_follow_the_requests_language(client_for, sme, patent_a):
    from django.utils.translation import gettext_lazy as _

    from conversion_db.i18n import lazy_format

    notify(
        actor=None,
        kind="offer_returned",
        recipients=[sme],
        about=patent_a,
        link=f"/api/v1/patents/{patent_a.pk}/",
        title=lazy_format(_("Your offer “%(title)s” needs changes"), title="锂电池"),
        body="请补充许可期限说明",
    )

    chinese = client_for(sme).get(URL).json()["results"][0]
    english = client_for(sme, language="en").get(URL).json()["results"][0]

    assert chinese["title"] == "您的许可信息“锂电池”需要修改"
    assert english["title"] == "Your offer “锂电池” needs changes"
