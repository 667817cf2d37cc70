"""Family members abroad (patents.register.numbers.family): jurisdiction + number + kind
code, the granted ones setting has_foreign_grant, which feeds the high-value category
"patent right abroad" through the same recompute as every write
(docs/domain/high-value-patents.md §2). Through the rule, the API and the import."""

import pytest

from patents.models import Patent
from patents.register.numbers import PatentNumberError, parse_family_member
from tests.support.files import named

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "canonical", "granted"),
    [
        ("US11295096B2", "US11295096B2", True),
        ("us 11,295,096 b2", "US11295096B2", True),
        ("ＵＳ１１２９５０９６Ｂ２", "US11295096B2", True),
        ("US2019123456A1", "US2019123456A1", False),  # a US publication
        ("US5123456A", "US5123456A", True),  # granted before 2001: kind A
        ("EP 3 456 789 A1", "EP3456789A1", False),
        ("EP3456789B1", "EP3456789B1", True),
        ("JP2020123456A", "JP2020123456A", False),
        ("JP6543210B2", "JP6543210B2", True),
        ("KR101234567B1", "KR101234567B1", True),
        ("USRE45678E", "USRE45678E", True),
        ("WO2019123456A1", "WO2019123456A1", False),  # an international application: never
        ("WO 2019/123456 A1", "WO2019123456A1", False),
    ],
)
def test_a_family_member_is_office_number_and_kind(written, canonical, granted):
    member = parse_family_member(written)
    assert (member.canonical, member.is_grant) == (canonical, granted)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("US11295096", "kind_required"),
        ("WO2019123456", "kind_required"),
        ("CN109918572B", "not_abroad"),
        ("XX1234567B1", "unknown_office"),
        ("11295096B2", "invalid_family_member"),
        ("US-B2", "invalid_family_member"),
        ("", "empty"),
    ],
)
def test_a_family_member_without_office_number_or_kind_is_refused(written, code):
    with pytest.raises(PatentNumberError) as caught:
        parse_family_member(written)
    assert caught.value.code == code


def patch(client, patent, body):
    version = Patent.objects.get(pk=patent.pk).version
    return client.patch(
        f"/api/v1/patents/{patent.pk}/", {**body, "version": version}, format="json"
    )


def test_a_granted_member_sets_the_foreign_grant_and_the_high_value_flag(
    client_for, operator, patent_a
):
    assert not patent_a.is_high_value  # filed 2019, no other category
    response = patch(
        client_for(operator), patent_a, {"foreign_family": ["US 11,295,096 B2", "EP3456789A1"]}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["foreign_family"] == ["US11295096B2", "EP3456789A1"]
    assert body["has_foreign_grant"] is True
    assert body["high_value"]["categories"] == ["foreign_family_grant"]
    patent_a.refresh_from_db()
    assert (patent_a.hv_foreign_grant, patent_a.is_high_value) == (True, True)
    assert patent_a.history.first().foreign_family == ["US11295096B2", "EP3456789A1"]

    # A pending member only (an application abroad) is not a patent right abroad.
    response = patch(client_for(operator), patent_a, {"foreign_family": ["EP3456789A1"]})
    assert response.json()["has_foreign_grant"] is False
    patent_a.refresh_from_db()
    assert (patent_a.hv_foreign_grant, patent_a.is_high_value) == (False, False)


def test_a_flag_stated_without_a_listed_member_stays_when_members_are_listed(
    client_for, operator, patent_a
):
    patch(client_for(operator), patent_a, {"has_foreign_grant": True})
    response = patch(client_for(operator), patent_a, {"foreign_family": ["JP2020123456A"]})
    assert response.json()["has_foreign_grant"] is True


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "needs its kind code"), ("zh-hans", "需要文献种类代码")],
)
def test_a_member_without_its_kind_is_a_bilingual_400_and_nothing_changes(
    client_for, operator, patent_a, language, message
):
    response = patch(
        client_for(operator, language=language),
        patent_a,
        {"foreign_family": ["US11295096", "CN109918572B"]},
    )
    assert response.status_code == 400
    errors = [e for e in response.json()["errors"] if e["field"] == "foreign_family"]
    assert len(errors) == 2
    assert message in errors[0]["message"]
    patent_a.refresh_from_db()
    assert (patent_a.foreign_family, patent_a.version) == ([], 1)


def test_the_flag_cannot_be_cleared_while_a_granted_member_is_listed(
    client_for, operator, patent_a
):
    patch(client_for(operator), patent_a, {"foreign_family": ["US11295096B2"]})
    response = patch(client_for(operator), patent_a, {"has_foreign_grant": False})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "has_foreign_grant"
    assert "US11295096B2" in response.json()["errors"][0]["message"]


def test_the_patent_import_reads_the_family_column_of_an_export(client_for, operator, patent_a):
    content = (
        "申请号,同族专利\n"
        "201910209152.5,CN109918572B；US11295096B2 | EP3456789A1\n"  # the CN member is read past
    ).encode()
    response = client_for(operator).post(
        "/api/v1/patents/import/", {"file": named(content, "export.csv")}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert {"header": "同族专利", "column": "foreign_family"} in response.json()["columns"]
    patent = Patent.objects.get(pk=patent_a.pk)
    assert patent.foreign_family == ["US11295096B2", "EP3456789A1"]
    assert (patent.has_foreign_grant, patent.is_high_value) == (True, True)

    bad = named("申请号,family members\n201910209152.5,US11295096\n".encode(), "bad.csv")
    response = client_for(operator).post(
        "/api/v1/patents/import/", {"file": bad}, format="multipart"
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["row"], error["column"]) == (2, "foreign_family")


def test_an_export_writes_the_family_and_imports_again_unchanged(client_for, operator, patent_a):
    patch(client_for(operator), patent_a, {"foreign_family": ["US11295096B2"]})
    exported = client_for(operator).get("/api/v1/patents/export/?file_format=csv")
    content = b"".join(exported.streaming_content)
    assert b"US11295096B2" in content
    response = client_for(operator).post(
        "/api/v1/patents/import/",
        {"file": named(content, "again.csv")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["unchanged"] == 1
