"""/api/v1/enterprises/: registration with size class, own records only, versions."""

import pytest

from enterprises.models import Enterprise, EnterpriseMembership, SizeClass
from patents.models import Holder

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"
BODY = {
    "name": "上海测试软件有限公司",
    "uscc": "91310115MA1K3BTP2B",
    "region": "310115",
    "industry_code": "I6513",
    "employees": 99,
    "revenue_cny": "50000000",
}


def test_registering_computes_the_size_class_and_makes_the_user_its_admin(client_for, sme_other):
    response = client_for(sme_other).post(URL, BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    # software & IT, 99 employees, 5,000 (10,000 CNY) revenue: small
    # (docs/domain/enterprise-sizes.md §1)
    assert body["size_class"] == SizeClass.SMALL
    assert body["size_standard"]["industry_group"] == "software_it"
    assert body["size_standard"]["valid_from"] == "2011-06-18"
    assert "99" in body["size_reason"]
    assert "从业人员" in body["size_reason_zh"]
    assert response["ETag"] == '"1"'
    enterprise = Enterprise.objects.get(pk=body["id"])
    assert EnterpriseMembership.objects.get(enterprise=enterprise).user == sme_other
    assert enterprise.history.count() == 1


def test_a_holder_with_the_same_credit_code_is_linked(client_for, sme_other):
    holder = Holder.objects.create(
        name="上海测试软件有限公司", uscc="91310115MA1K3BTP2B", kind="enterprise"
    )
    body = client_for(sme_other).post(URL, BODY, format="json").json()
    assert body["holder"] == holder.pk


@pytest.mark.parametrize(
    ("change", "field", "fragment_en", "fragment_zh"),
    [
        ({"uscc": "91310115MA1K3BTP2C"}, "uscc", "check", "校验"),
        ({"industry_code": "C65"}, "industry_code", "section", "门类"),
        ({"region": "999999"}, "region", "999999", "行政区划"),
        ({"name": "  "}, "name", "", ""),
        ({"revenue_cny": "-1"}, "revenue_cny", "", ""),
    ],
)
def test_bad_input_is_a_field_error_in_both_languages_and_writes_nothing(
    client_for, sme_other, change, field, fragment_en, fragment_zh
):
    for language, fragment in (("en", fragment_en), ("zh-hans", fragment_zh)):
        response = client_for(sme_other, language).post(URL, {**BODY, **change}, format="json")
        assert response.status_code == 400
        errors = [e for e in response.json()["errors"] if e["field"] == field]
        assert errors, response.json()
        assert fragment.lower() in errors[0]["message"].lower()
    assert not Enterprise.objects.filter(name=BODY["name"]).exists()


def test_a_duplicate_credit_code_is_refused(client_for, sme_other, enterprise_s):
    response = client_for(sme_other).post(URL, {**BODY, "uscc": enterprise_s.uscc}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "uscc"


def test_members_see_only_their_own_enterprise(client_for, sme, sme_other, enterprise_s, operator):
    assert [e["id"] for e in client_for(sme).get(URL).json()["results"]] == [enterprise_s.pk]
    assert client_for(sme_other).get(f"{URL}{enterprise_s.pk}/").status_code == 404
    assert (
        client_for(sme_other)
        .patch(f"{URL}{enterprise_s.pk}/", {"employees": 5, "version": 1}, format="json")
        .status_code
        == 404
    )
    assert client_for(operator).get(f"{URL}{enterprise_s.pk}/").status_code == 200


def test_anonymous_gets_nothing(anonymous, enterprise_s):
    assert anonymous.get(URL).status_code in (401, 403)
    assert anonymous.get(f"{URL}{enterprise_s.pk}/").status_code in (401, 403)


def test_an_update_recomputes_the_size_and_a_stale_version_gets_412(client_for, sme, enterprise_s):
    client = client_for(sme)
    response = client.patch(
        f"{URL}{enterprise_s.pk}/",
        {"industry_code": "C3985", "employees": 1500, "revenue_cny": "300000000"},
        HTTP_IF_MATCH='"1"',
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["size_class"] == SizeClass.MEDIUM  # revenue below the large bound
    assert response.json()["version"] == 2
    stale = client.patch(
        f"{URL}{enterprise_s.pk}/", {"employees": 1}, HTTP_IF_MATCH='"1"', format="json"
    )
    assert stale.status_code == 412
    enterprise_s.refresh_from_db()
    assert enterprise_s.employees == 1500


def test_list_query_count_does_not_grow_with_the_page(
    client_for, operator, django_assert_max_num_queries
):
    for i in range(5):
        Enterprise.objects.create(name=f"企业{i}", uscc=f"X{i}")
    with django_assert_max_num_queries(5):  # session user, page, designations prefetch
        response = client_for(operator).get(URL)
    assert len(response.json()["results"]) == 5


def test_designations_are_recorded_with_their_year_and_validity(client_for, sme, enterprise_s):
    url = f"{URL}{enterprise_s.pk}/"
    body = {
        "designations": [
            {
                "kind": "tech_sme",
                "year": 2026,
                "valid_until": "2026-12-31",
                "authority": "上海市科委",
            },
            {"kind": "specialised_sme", "year": 2025, "valid_until": "2028-12-31"},
        ],
        "version": 1,
    }
    response = client_for(sme).patch(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert [(d["kind"], d["year"]) for d in response.json()["designations"]] == [
        ("tech_sme", 2026),
        ("specialised_sme", 2025),
    ]
    bad = client_for(sme, "en").patch(
        url,
        {
            "designations": [{"kind": "tech_sme", "year": 2026, "valid_until": "2024-01-01"}],
            "version": 2,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"].startswith("designations.0")
    assert enterprise_s.designations.count() == 2  # unchanged


def test_a_too_coarse_industry_code_leaves_the_size_unknown_with_a_reason(client_for, sme_other):
    body = client_for(sme_other).post(URL, {**BODY, "industry_code": "F"}, format="json").json()
    assert body["size_class"] == SizeClass.UNKNOWN
    assert body["size_standard"] is None
    assert "F" in body["size_reason"]
    assert "行业代码" in body["size_reason_zh"]
