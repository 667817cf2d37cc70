"""An invalid choice names the valid codes, in a body field and in a filter, in en and
zh-hans (``conversion_db.api.fields``)."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_invalid_decline_reason_lists_the_valid_reasons(client_for, sme, university_a, patent_a):
    inquiry = (
        client_for(sme)
        .post("/api/v1/inquiries/", {"message": "许可条件？", "patent": patent_a.pk}, format="json")
        .json()
    )
    url = f"/api/v1/inquiries/{inquiry['id']}/decline/"
    en = client_for(university_a, "en").post(url, {"reason": "foo", "version": 1}, format="json")
    assert en.status_code == 400
    assert en.json()["errors"] == [
        {
            "field": "reason",
            "code": "invalid_choice",
            "message": "“foo” is not a valid choice; valid: too_early, benefit_unclear, price, "
            "terms, not_our_field, already_licensed, other.",
        }
    ]
    zh = client_for(university_a, "zh-hans").post(
        url, {"reason": "foo", "version": 1}, format="json"
    )
    assert zh.json()["errors"][0]["message"] == (
        "“foo”不是有效选项；可选：too_early, benefit_unclear, price, terms, not_our_field, "
        "already_licensed, other。"
    )
    assert client_for(sme).get(f"/api/v1/inquiries/{inquiry['id']}/").json()["status"] == "open"


def test_a_model_serializer_choice_is_the_project_field():
    from conversion_db.api.fields import ChoiceField
    from enterprises.api.serializers import InquirySerializer

    assert type(InquirySerializer().fields["status"]) is ChoiceField


def test_an_invalid_choice_filter_lists_the_valid_codes(client_for, anonymous):
    en = client_for(None, "en").get("/api/v1/licences/", {"kind": "foo"})
    assert en.status_code == 400
    assert en.json()["errors"] == [
        {
            "field": "kind",
            "code": "invalid_choice",
            "message": "“foo” is not a valid choice; valid: exclusive, sole, ordinary, assignment.",
        }
    ]
    zh = client_for(None, "zh-hans").get("/api/v1/patents/", {"holder_kind": "foo"})
    assert zh.status_code == 400
    assert zh.json()["errors"][0]["message"].startswith("“foo”不是有效选项；可选：university, ")


def test_a_percent_sign_in_an_invalid_choice_is_reported_not_a_crash(client_for):
    response = client_for(None, "en").get("/api/v1/licences/", {"kind": "%Ý%(x)s"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("“%Ý%(x)s” is not a valid choice")


def test_a_list_of_choices_names_the_valid_codes_for_the_wrong_item(client_for, sme):
    response = client_for(sme, "en").post(
        "/api/v1/demands/",
        {"title": "需求", "wanted_offer_types": ["ordinary", "foo"]},
        format="json",
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["code"] == "invalid_choice"
    assert error["field"].startswith("wanted_offer_types")
    assert error["message"] == (
        "“foo” is not a valid choice; valid: exclusive, sole, ordinary, open_licence, "
        "assignment, equity_contribution."
    )
