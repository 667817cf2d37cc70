"""One error shape for every 4xx, in the request's language; session and token auth."""

import pytest
from rest_framework.test import APIClient

from tests.support.errors import assert_error_shape
from tests.support.tokens import issue_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "There is nothing at this address."), ("zh-hans", "此地址不存在。")],
)
def test_unknown_api_address_is_a_json_404_in_the_request_language(client_for, language, message):
    response = client_for(language=language).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert_error_shape(response, 404)
    assert response.json()["message"] == message


def test_chinese_is_the_default_language(anonymous):
    response = anonymous.get("/api/v1/regions/", {"page_size": "0"})
    assert response.json()["message"] == "部分取值无效，请查看各字段的错误说明。"


def test_missing_trailing_slash_redirects(anonymous):
    response = anonymous.get("/api/v1/regions", {"q": "浦东"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/regions/?q=%E6%B5%A6%E4%B8%9C"


def test_writes_to_read_only_reference_endpoints_are_refused_with_the_shape(client_for, operator):
    response = client_for(operator, language="en").post(
        "/api/v1/regions/", {"code": "999999"}, format="json"
    )
    assert response.status_code == 405
    assert_error_shape(response, 405)


def test_token_is_issued_for_valid_credentials_only(operator):
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    wrong = client.post(
        "/api/v1/auth/token/", {"username": "operator", "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400
    assert_error_shape(wrong, 400)
    assert wrong.json()["errors"][0]["field"] is None
    assert wrong.json()["errors"][0]["code"] == "authorization"
    missing = client.post("/api/v1/auth/token/", {}, format="json")
    assert {e["field"] for e in missing.json()["errors"]} == {"username", "password"}

    right = client.post(
        "/api/v1/auth/token/",
        {"username": "operator", "password": "correct horse battery staple"},
        format="json",
    )
    assert right.status_code == 200
    signed = APIClient()
    signed.credentials(HTTP_AUTHORIZATION=f"Token {right.json()['token']}")
    assert signed.get("/api/v1/auth/me/").json()["username"] == "operator"


def test_a_bad_token_is_a_401_with_a_challenge(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = anonymous.get("/api/v1/regions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert_error_shape(response, 401)


def test_every_operation_open_to_everyone_documents_the_401_of_a_bad_token(anonymous):
    """A public operation refuses a revoked or invalid token (DRF authenticates before it
    asks the permissions), so its schema must say so: a generated client otherwise has no
    type for that answer."""
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    answer = anonymous.get("/api/v1/patents/")
    assert answer.status_code == 401
    assert answer.json()["code"] == "authentication_failed"
    schema = APIClient().get("/api/schema/?format=json").json()
    public = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if {} in operation.get("security", [])
    ]
    assert len(public) > 10
    missing = [
        (path, method) for path, method, operation in public if "401" not in operation["responses"]
    ]
    assert missing == []
    examples = schema["paths"]["/api/v1/patents/"]["get"]["responses"]["401"]["content"][
        "application/json"
    ]["examples"]
    assert {e["value"]["code"] for e in examples.values()} >= {"authentication_failed"}


def test_a_valid_token_authenticates(operator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(operator)}")
    assert client.get("/api/v1/regions/310115/").status_code == 200


def test_admin_keeps_html_pages(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("path", "typo"),
    [
        ("/api/v1/offers/", "offer_typ"),
        ("/api/v1/patents/", "legal_stauts"),
        ("/api/v1/patents/facets/", "ipcc"),
        ("/api/v1/offers/export/", "q2"),
        ("/api/v1/ipc/suggest/", "txt"),
        ("/api/v1/regions/", "parnet"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it_and_listing_the_accepted_ones(
    anonymous, path, typo
):
    params = {typo: "x"}
    if path == "/api/v1/ipc/suggest/":
        params["text"] = "锂电池"

    response = anonymous.get(path, params, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == typo
    assert error["code"] == "unknown_parameter"
    assert typo in error["message"]
    accepted = "text" if path == "/api/v1/ipc/suggest/" else "q"
    assert accepted in error["message"].split("accepts:")[1]
