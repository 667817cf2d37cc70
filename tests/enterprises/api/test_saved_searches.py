"""/api/v1/saved-searches/ and ``manage.py send_alerts``: saved patent and offer searches,
what newly matches them, and the alert e-mails."""

from __future__ import annotations

import datetime
import io
from functools import partial

import pytest
from django.core.management import call_command

from enterprises.models import SavedSearch
from tests.factories import OfferFactory, PatentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/saved-searches/"


@pytest.fixture
def new_patent(operator, holder_a):
    """``new_patent(title=...)``: holder A's lithium battery patent granted in 2025."""
    return partial(
        PatentFactory.create,
        actor=operator,
        holders=[holder_a],
        ipc_codes=["H01M 10/0525"],
        filing_date=datetime.date(2023, 3, 21),
        grant_date=datetime.date(2025, 6, 1),
    )


@pytest.fixture
def new_offer(university_a, operator):
    """``new_offer(patent)``: an open licence of ``patent`` published through the review."""

    def make(patent, **values):
        values = {"title": "锂电池开放许可", **values}
        return OfferFactory.create(
            patents=[patent], actor=university_a, reviewer=operator, status="published", **values
        )

    return make


@pytest.fixture
def enterprise(sme, enterprise_s):
    """The persona ``sme`` acts for exactly one enterprise (see tests/conftest.py)."""
    return enterprise_s


@pytest.fixture
def other_sme(sme_other):
    return sme_other


def save(client, **values):
    body = {"name": "锂电池", "target": "patents", "query": {"ipc": ["H01M"]}, **values}
    return client.post(URL, body, format="json")


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- Create and validate ------------------------------------------------------------------
def test_a_member_saves_a_search_for_their_only_enterprise(client_for, sme, enterprise):
    response = save(client_for(sme), query={"q": "锂离子电池", "legal_status": ["in_force"]})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["ETag"] == '"1"'
    assert body["enterprise"] == enterprise.pk
    assert body["query"] == {"q": ["锂离子电池"], "legal_status": ["in_force"]}
    assert body["alerts_enabled"] is True
    saved = SavedSearch.objects.get(pk=body["id"])
    assert saved.user == sme
    assert saved.history.count() == 1


def test_an_unknown_parameter_is_a_400_naming_it(client_for, sme, enterprise):
    response = save(client_for(sme, language="en"), query={"colour": ["red"]})

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("query.colour", "unknown_parameter")
    ]
    assert not SavedSearch.objects.exists()


def test_a_bad_value_gets_the_lists_own_message(client_for, sme, enterprise, anonymous):
    response = save(client_for(sme), query={"ipc": ["not an ipc"]})
    listed = anonymous.get("/api/v1/patents/", {"ipc": "not an ipc"})

    assert (response.status_code, listed.status_code) == (400, 400)
    error = response.json()["errors"][0]
    assert error["field"] == "query.ipc"
    assert (error["code"], error["message"]) == (
        listed.json()["errors"][0]["code"],
        listed.json()["errors"][0]["message"],
    )
    offers = save(client_for(sme), target="offers", query={"offer_type": ["rent"]})
    assert offers.status_code == 400
    assert offers.json()["errors"][0]["field"] == "query.offer_type"


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"q": ["x"] * 51}, "query.q", "too_many"),
        ({"q": "x" * 501}, "query.q", "too_long"),
        ({"q": 3}, "query.q", "invalid"),
        ({f"p{i}": "x" for i in range(31)}, "query", "too_many"),
        (["ipc"], "query", "invalid"),
        ({"ordering": "relevance"}, "query.ordering", "invalid"),
    ],
)
def test_the_query_is_bounded(client_for, sme, enterprise, query, field, code):
    response = save(client_for(sme), query=query)

    assert response.status_code == 400
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        field,
        code,
    )


def test_someone_without_an_enterprise_must_name_one(client_for, university_a):
    response = save(client_for(university_a))

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "enterprise"


# --- Permissions ----------------------------------------------------------------------------
def test_another_users_saved_search_is_a_404(client_for, sme, enterprise, other_sme, operator):
    saved = save(client_for(sme)).json()
    other = client_for(other_sme)

    assert other.get(f"{URL}{saved['id']}/").status_code == 404
    assert other.get(f"{URL}{saved['id']}/results/").status_code == 404
    assert other.patch(f"{URL}{saved['id']}/", {"version": 1}, format="json").status_code == 404
    assert other.delete(f"{URL}{saved['id']}/").status_code == 404
    assert other.get(URL).json()["results"] == []
    assert ids(client_for(sme).get(URL)) == [saved["id"]]
    assert ids(client_for(operator).get(URL)) == [saved["id"]]
    assert SavedSearch.objects.filter(pk=saved["id"]).exists()


def test_anonymous_gets_nothing(anonymous, client_for, sme, enterprise):
    saved = save(client_for(sme)).json()

    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}{saved['id']}/").status_code == 401
    assert save(anonymous).status_code == 401


# --- Update and delete ----------------------------------------------------------------------
def test_a_stale_version_gets_412_and_changes_nothing(client_for, sme, enterprise):
    client = client_for(sme)
    saved = save(client).json()
    url = f"{URL}{saved['id']}/"

    changed = client.patch(url, {"name": "正极", "version": 1}, format="json")
    stale = client.patch(url, {"alerts_enabled": False}, format="json", HTTP_IF_MATCH='"1"')

    assert (changed.status_code, changed["ETag"], changed.json()["name"]) == (200, '"2"', "正极")
    assert stale.status_code == 412
    assert SavedSearch.objects.get(pk=saved["id"]).alerts_enabled is True
    assert client.patch(url, {"name": "x"}, format="json").status_code == 400  # no version
    assert (
        client.patch(url, {"target": "offers", "version": 2}, format="json").json()["errors"][0][
            "code"
        ]
        == "immutable"
    )


def test_delete_removes_it_and_history_keeps_it(client_for, sme, enterprise):
    client = client_for(sme)
    saved = save(client).json()

    assert client.delete(f"{URL}{saved['id']}/", HTTP_IF_MATCH='"9"').status_code == 412
    unversioned = client.delete(f"{URL}{saved['id']}/")
    assert unversioned.status_code == 400
    assert unversioned.json()["errors"][0]["code"] == "version_required"
    current = f'"{saved["version"]}"'
    assert client.delete(f"{URL}{saved['id']}/", HTTP_IF_MATCH=current).status_code == 204
    assert not SavedSearch.objects.exists()
    assert SavedSearch.history.filter(id=saved["id"], history_type="-").exists()


# --- Results --------------------------------------------------------------------------------
def test_results_hold_only_new_patents_as_the_list_shows_them(
    client_for, sme, enterprise, new_patent, anonymous, django_assert_max_num_queries
):
    new_patent(title="一种锂离子电池正极材料")  # before saving: not new
    client = client_for(sme)
    saved = save(client, query={"ipc": ["H01M"], "q": "锂离子电池"}).json()
    new = [new_patent(title=f"锂离子电池电解液 {i}") for i in range(3)]
    new_patent(title="锂离子电池的包装盒", ipc_codes=["B65D 5/00"])  # does not match

    with django_assert_max_num_queries(5):  # user, saved search, patents, their holders
        response = client.get(f"{URL}{saved['id']}/results/")

    assert response.status_code == 200, response.json()
    body = response.json()
    listed = anonymous.get("/api/v1/patents/", {"ipc": "H01M", "q": "锂离子电池"})
    newer = [pid for pid in ids(listed) if pid > new[0].pk - 1]
    assert [r["id"] for r in body["results"]] == newer
    assert sorted(newer) == sorted(p.pk for p in new)
    assert body["results"][0]["path"] == f"/api/v1/patents/{body['results'][0]['id']}/"
    assert body["truncated"] is False
    limited = client.get(f"{URL}{saved['id']}/results/", {"limit": 2}).json()
    assert (len(limited["results"]), limited["truncated"]) == (2, True)
    assert client.get(f"{URL}{saved['id']}/results/", {"limit": 0}).status_code == 400


def test_offer_results_are_offers_published_since(
    client_for, sme, enterprise, new_patent, new_offer, anonymous
):
    old = new_offer(new_patent(title="锂电池"))
    client = client_for(sme)
    saved = save(client, target="offers", query={"offer_type": "open_licence"}).json()
    new = new_offer(new_patent(title="隔膜"))
    new_offer(
        new_patent(title="电极"),
        offer_type="ordinary",
        pricing_mode="negotiable",
        royalty_rate=None,
    )

    body = client.get(f"{URL}{saved['id']}/results/").json()
    listed = ids(anonymous.get("/api/v1/offers/", {"offer_type": "open_licence"}))

    assert [r["id"] for r in body["results"]] == [new.pk]
    assert set(listed) == {old.pk, new.pk}
    assert body["results"][0]["path"] == f"/api/v1/offers/{new.pk}/"
    assert len(body["results"][0]["numbers"]) == 1


def test_an_offer_search_by_text_is_ranked_like_the_offer_list(
    client_for, sme, enterprise, new_patent, new_offer, anonymous
):
    client = client_for(sme)
    saved = save(client, target="offers", query={"q": "锂电池"}).json()
    new = new_offer(new_patent(title="锂电池隔膜"))

    response = client.get(f"{URL}{saved['id']}/results/")

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [new.pk]
    assert ids(anonymous.get("/api/v1/offers/", {"q": "锂电池"})) == [new.pk]


# --- Alerts ---------------------------------------------------------------------------------
def test_send_alerts_mails_each_search_once(
    client_for,
    sme,
    enterprise,
    other_sme,
    new_patent,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    mine = save(client_for(sme)).json()
    save(client_for(other_sme), query={"ipc": ["A61K"]})  # nothing new for it
    quiet = save(client_for(sme), name="关闭", alerts_enabled=False).json()
    patent = new_patent(title="一种固态电池")

    dry = io.StringIO()
    call_command("send_alerts", "--dry-run", stdout=dry)
    assert "1 e-mails to send" in dry.getvalue()
    assert mailoutbox == []

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves on commit
        call_command("send_alerts", stdout=out)

    assert "2 saved searches checked, 1 e-mails sent" in out.getvalue()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [sme.email]
    assert "锂电池" in mail.subject
    assert "new results" in mail.subject
    assert patent.application_number in mail.body
    assert f"/api/v1/patents/{patent.pk}/" in mail.body
    assert SavedSearch.objects.get(pk=mine["id"]).last_alerted_id == patent.pk
    assert SavedSearch.objects.get(pk=quiet["id"]).last_alerted_id < patent.pk
    assert client_for(sme).get(f"{URL}{mine['id']}/results/").json()["results"] == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts", stdout=io.StringIO())
    assert len(mailoutbox) == 1  # nothing new: nothing sent


def test_send_alerts_costs_one_query_per_search(
    client_for, sme, enterprise, new_patent, django_assert_max_num_queries
):
    for index in range(5):
        save(client_for(sme), name=f"检索 {index}", query={"ipc": ["H01M"]})
    new_patent(title="一种固态电池")

    # newest patent; a chunk of saved-search ids; per search, in its own transaction
    # (savepoint and its release): the search and its user, locked; its new patents and
    # their holders; the notification and its recipient (the user's inbox entry); the
    # watermark update; then the empty next chunk, and the saved searches' content type
    # (once per process: Django caches it)
    with django_assert_max_num_queries(2 + 5 * (2 + 1 + 2 + 2 + 1) + 1 + 1):
        call_command("send_alerts", stdout=io.StringIO())


def test_operators_see_saved_searches_read_only_in_the_admin(
    client, client_for, sme, enterprise, operator
):
    saved = save(client_for(sme), name="固态电池").json()
    client.force_login(operator)

    listed = client.get("/admin/enterprises/savedsearch/")
    page = client.get(f"/admin/enterprises/savedsearch/{saved['id']}/change/")

    assert listed.status_code == 200
    assert "固态电池" in listed.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/admin/enterprises/savedsearch/add/").status_code == 403
    assert client.get(f"/admin/enterprises/savedsearch/{saved['id']}/history/").status_code == 200


def test_the_list_costs_the_same_for_any_page(
    client_for, sme, enterprise, django_assert_max_num_queries
):
    for index in range(25):
        save(client_for(sme), name=f"检索 {index}")
    client = client_for(sme)

    with django_assert_max_num_queries(1):  # one page of the user's saved searches
        first = client.get(URL)
    assert len(first.json()["results"]) == 20
    assert len(client.get(first.json()["next"]).json()["results"]) == 5


def test_an_operator_names_the_enterprise(client_for, operator, enterprise):
    assert save(client_for(operator)).json()["errors"][0]["field"] == "enterprise"
    created = save(client_for(operator), enterprise=enterprise.pk)
    assert (created.status_code, created.json()["enterprise"]) == (201, enterprise.pk)
