"""Patent curation in the admin: import with a dry-run preview, export, bulk status, search.

Every write goes through the services (patents.imports.patents, patents.register.services), so the admin
applies the same rules as the API and keeps history.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversion_db.tabular.resources import KindAdminMixin
from patents.models import Patent
from tests.factories import OfferFactory, PatentFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "application_number,title,ipc_codes,current_holders,filing_date\n"
    "201910209152.5,一种锂离子电池正极材料,H01M 10/0525,甲大学,2019-03-21\n"
)
BAD = GOOD + "201910209152.7,校验位错误,H01M,,\n"


def upload(client, text):
    return client.post(
        "/admin/patents/patent/import/",
        {
            "import_file": SimpleUploadedFile("p.csv", text.encode(), content_type="text/csv"),
            "format": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_import_previews_as_a_dry_run_then_writes_on_confirm(client, operator, holder_a):
    client.force_login(operator)
    preview = upload(client, GOOD)
    assert preview.status_code == 200
    assert not Patent.all_objects.exists()  # the preview is a dry run
    page = preview.content.decode()
    hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
    confirm = client.post(
        "/admin/patents/patent/process_import/",
        {
            key: hidden[key]
            for key in ("import_file_name", "original_file_name", "format", "resource")
            if key in hidden
        },
    )
    assert confirm.status_code == 302
    patent = Patent.objects.get(application_number="201910209152.5")
    assert [h.holder for h in patent.holdings.all()] == [holder_a]
    assert patent.history.get().history_user == operator
    assert patent.import_batch is not None


def test_an_invalid_file_shows_each_error_and_writes_nothing(client, operator):
    client.force_login(operator)
    page = upload(client, BAD).content.decode()
    assert "process_import" not in page  # no confirm button
    assert "check character" in page
    assert not Patent.all_objects.exists()


def test_export_writes_the_import_columns(client, operator, holder_a):
    PatentFactory.create(
        actor=operator,
        application_number="201910209152.5",
        title="储能装置",
        bare=True,
        holders=[holder_a],
    )
    client.force_login(operator)
    response = client.post("/admin/patents/patent/export/", {"format": "0", "resource": "0"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("application_number,publication_number,grant_number")
    assert "201910209152.5" in text
    assert "甲大学" in text


def test_bulk_action_sets_the_legal_status_through_the_service(client, operator, holder_a):
    patents = [
        PatentFactory.create(
            actor=operator,
            application_number=number,
            title="储能装置",
            bare=True,
            grant_date="2021-01-05",
            holders=[holder_a],
        )
        for number in ("201910209152.5", "201610920041.1")
    ]
    client.force_login(operator)
    response = client.post(
        "/admin/patents/patent/",
        {
            "action": "set_legal_status",
            "legal_status": "lapsed",
            "_selected_action": [p.pk for p in patents],
        },
    )
    assert response.status_code == 302
    for patent in Patent.objects.all():
        assert patent.legal_status == "lapsed"
        assert patent.version == 2
        assert patent.history.first().history_user == operator


def test_search_finds_titles_through_the_index_and_numbers_in_any_spelling(
    client, operator, holder_a
):
    PatentFactory.create(
        actor=operator,
        application_number="201910209152.5",
        title="一种锂离子电池正极材料",
        bare=True,
        holders=[holder_a],
    )
    client.force_login(operator)
    for term in ("锂离子", "CN 2019 1 0209152.5"):
        page = client.get("/admin/patents/patent/", {"q": term}).content.decode()
        assert "一种锂离子电池正极材料" in page, term
    assert (
        "一种锂离子电池正极材料"
        not in client.get("/admin/patents/patent/", {"q": "燃料电池"}).content.decode()
    )


def test_operator_links_a_user_to_a_holder_with_autocomplete(client, operator, holder_a, sme):
    from patents.models import HolderMembership

    client.force_login(operator)
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "patents",
            "model_name": "holdermembership",
            "field_name": "holder",
            "term": "甲",
        },
    ).json()
    assert [row["text"] for row in found["results"]] == ["甲大学"]
    response = client.post(
        "/admin/patents/holdermembership/add/",
        {"user": sme.pk, "holder": holder_a.pk, "role": "member"},
    )
    assert response.status_code == 302
    membership = HolderMembership.objects.get(user=sme)
    assert membership.holder == holder_a
    assert membership.history.get().history_user == operator


def test_large_changelists_show_the_planners_estimate_instead_of_counting(
    client, operator, holder_a, monkeypatch, django_assert_max_num_queries
):
    from conversion_db import estimates

    PatentFactory.create(
        actor=operator,
        application_number="201910209152.5",
        title="储能装置",
        bare=True,
        holders=[holder_a],
    )
    monkeypatch.setattr(estimates, "EXACT_BELOW", 0)
    client.force_login(operator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/patents/patent/")
    assert page.status_code == 200
    assert "储能装置" in page.content.decode()
    assert not any("COUNT(*)" in q["sql"] for q in queries.captured_queries)
    assert any(q["sql"].startswith("EXPLAIN") for q in queries.captured_queries)


def test_the_review_queue_shows_eligibility_and_approves_through_the_service(
    client, operator, university_a, holder_a
):
    from patents.models import LicensingOffer

    patent = PatentFactory.create(
        actor=operator, application_number="201910209152.5", title="储能装置", holders=[holder_a]
    )
    offer = OfferFactory.create(
        patents=[patent],
        actor=university_a,
        status="pending_review",
        offer_type="ordinary",
        title="储能装置普通许可",
        pricing_mode="negotiable",
        royalty_rate=None,
        term_start=None,
        term_end=None,
    )
    client.force_login(operator)
    queue = client.get("/admin/patents/licensingoffer/", {"status__exact": "pending_review"})
    assert "储能装置普通许可" in queue.content.decode()
    detail = client.get(f"/admin/patents/licensingoffer/{offer.pk}/change/").content.decode()
    assert "201910209152.5: ✓" in detail
    response = client.post(
        "/admin/patents/licensingoffer/",
        {"action": "approve", "_selected_action": [offer.pk], "review_note": "OK"},
    )
    assert response.status_code == 302
    offer = LicensingOffer.objects.get(pk=offer.pk)
    assert (offer.status, offer.reviewer, offer.review_note) == ("published", operator, "OK")


def test_the_patent_changelist_shows_the_holders_in_a_constant_number_of_queries(
    client, operator, holder_a, holder_b
):
    def patent(number, holders):
        PatentFactory.create(
            actor=operator, application_number=number, title="储能装置", bare=True, holders=holders
        )

    def changelist_queries():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/admin/patents/patent/")
        assert page.status_code == 200
        return page.content.decode(), len(queries.captured_queries)

    client.force_login(operator)
    patent("201910209152.5", [holder_a])
    page, one_row = changelist_queries()
    assert "甲大学" in page
    patent("201610920041.1", [holder_b])
    patent("201710000001.X", [holder_a, holder_b])
    page, three_rows = changelist_queries()
    assert page.count("乙研究所") == 2
    # session, user, the estimate or count, the page, its holdings with their holders:
    # the same whatever the page's size
    assert three_rows == one_row


def pending_offer(operator, university_a, holder_a):
    patent = PatentFactory.create(
        actor=operator, application_number="201910209152.5", title="储能装置", holders=[holder_a]
    )
    return OfferFactory.create(
        patents=[patent],
        actor=university_a,
        status="pending_review",
        offer_type="ordinary",
        title="储能装置普通许可",
        pricing_mode="negotiable",
        royalty_rate=None,
        term_start=None,
        term_end=None,
    )


@pytest.mark.parametrize(
    ("language", "approve", "suspend"),
    [
        ("zh-hans", "审核通过并发布", "暂停（请填写审核意见）"),
        ("en", "Approve and publish", "Suspend"),
    ],
)
def test_the_offer_page_approves_then_suspends_with_the_eligibility_beside_the_buttons(
    client, operator, university_a, holder_a, language, approve, suspend
):
    from patents.models import LicensingOffer

    offer = pending_offer(operator, university_a, holder_a)
    client.force_login(operator)
    url = f"/admin/patents/licensingoffer/{offer.pk}/change/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    review = page[page.index('id="offer-review"') :]
    assert "201910209152.5: ✓" in review
    assert approve in review
    assert 'value="suspend"' not in review  # not while pending
    response = client.post(
        f"/admin/patents/licensingoffer/{offer.pk}/review/",
        {"decision": "approve", "review_note": "OK"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 302
    assert response["Location"] == url
    offer = LicensingOffer.objects.get(pk=offer.pk)
    assert (offer.status, offer.reviewer, offer.review_note) == ("published", operator, "OK")
    assert offer.history.first().history_user == operator

    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert suspend in page[page.index('id="offer-review"') :]
    client.post(
        f"/admin/patents/licensingoffer/{offer.pk}/review/",
        {"decision": "suspend", "review_note": "核查中"},
    )
    assert LicensingOffer.objects.get(pk=offer.pk).status == "suspended"


def test_a_decision_the_status_does_not_allow_changes_nothing(
    client, operator, university_a, holder_a
):
    from patents.models import LicensingOffer

    offer = pending_offer(operator, university_a, holder_a)
    client.force_login(operator)
    response = client.post(
        f"/admin/patents/licensingoffer/{offer.pk}/review/",
        {"decision": "suspend"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "does not apply" in response.content.decode()
    assert LicensingOffer.objects.get(pk=offer.pk).status == "pending_review"


def test_offers_are_never_deleted_in_the_admin(client, operator, university_a, holder_a):
    from patents.models import LicensingOffer

    offer = pending_offer(operator, university_a, holder_a)
    client.force_login(operator)
    changelist = client.get("/admin/patents/licensingoffer/").content.decode()
    assert 'value="delete_selected"' not in changelist
    assert client.get(f"/admin/patents/licensingoffer/{offer.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/patents/licensingoffer/",
        {"action": "delete_selected", "_selected_action": [offer.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert LicensingOffer.objects.filter(pk=offer.pk).exists()


def import_format(title):
    """The index of a format on the admin's Import form (what its select posts)."""
    formats = KindAdminMixin.import_formats
    return str([f().get_title() for f in formats].index(title))


def upload_as(client, name, content, file_format, language="en"):
    return client.post(
        "/admin/patents/patent/import/",
        {"import_file": SimpleUploadedFile(name, content), "format": file_format},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def confirm(client, page):
    hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
    keys = ("import_file_name", "original_file_name", "format", "resource")
    return client.post(
        "/admin/patents/patent/process_import/", {k: hidden[k] for k in keys if k in hidden}
    )


def count(page, outcome):
    found = re.search(rf'class="count-{outcome}">(\d+)<', page)
    assert found, outcome
    return int(found.group(1))


@pytest.mark.parametrize(
    ("language", "heading"), [("zh-hans", "可导入的列"), ("en", "Accepted columns")]
)
def test_the_import_screen_lists_the_accepted_columns_and_formats(
    client, operator, language, heading
):
    client.force_login(operator)
    page = client.get("/admin/patents/patent/import/", HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    columns = text[text.index('id="accepted-columns"') :]
    assert heading in text
    for column in ("application_number", "ipc_codes", "current_holders", "has_foreign_grant"):
        assert f"<code>{column}</code>" in columns
    assert ">jsonl<" in text


def test_the_preview_counts_what_the_import_would_do_before_confirm(client, operator, holder_a):
    PatentFactory.create(
        actor=operator,
        application_number="201610920041.1",
        title="储能装置",
        bare=True,
        holders=[holder_a],
    )
    client.force_login(operator)
    csv = GOOD + "201610920041.1,储能装置改进,,甲大学,\n"
    page = upload_as(client, "p.csv", csv.encode(), "0").content.decode()
    counts = page[: page.index("process_import")]  # shown before the confirm button
    assert (count(counts, "created"), count(counts, "updated")) == (1, 1)
    assert (count(counts, "unchanged"), count(counts, "errors")) == (0, 0)


@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("zh-hans", "部分行未通过校验", "校验位"),
        ("en", "Some rows failed to validate", "check character"),
    ],
)
def test_each_import_error_reads_with_its_row_column_and_message(
    client, operator, language, heading, message
):
    client.force_login(operator)
    page = upload_as(client, "p.csv", BAD.encode(), "0", language).content.decode()
    assert heading in page
    assert "某些行验数据证失败" not in page
    assert count(page, "errors") == 1
    errors = page[page.index('id="import-errors"') :]
    row = re.search(r'<tr class="import-error">(.*?)</tr>', errors, re.S)
    assert row
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    ]
    assert cells[:2] == ["3", "application_number"]
    assert message in cells[2]


def test_json_lines_import_like_the_api(client, operator, holder_a):
    lines = [
        {
            "application_number": "201910209152.5",
            "title": "一种锂离子电池正极材料",
            "ipc_codes": ["H01M 10/0525", "H01M 4/131"],
            "current_holders": ["甲大学"],
        },
        {"application_number": "201610920041.1", "title": "储能装置", "keywords": ["储能"]},
    ]
    content = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    client.force_login(operator)
    preview = upload_as(client, "p.jsonl", content, import_format("jsonl")).content.decode()
    assert count(preview, "created") == 2
    assert not Patent.all_objects.exists()
    assert confirm(client, preview).status_code == 302
    patent = Patent.objects.get(application_number="201910209152.5")
    assert patent.ipc_codes == ["H01M 10/0525", "H01M 4/131"]
    assert [h.holder for h in patent.holdings.all()] == [holder_a]

    bad = upload_as(
        client, "p.jsonl", b'{"application_number": "201910209152.7"}\n', import_format("jsonl")
    )
    page = bad.content.decode()
    assert count(page, "errors") == 2  # the check character, and a new patent's title
    assert "check character" in page
