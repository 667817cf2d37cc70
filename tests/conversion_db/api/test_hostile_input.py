"""What a careless or hostile client sends is a 4xx in the error shape, never a 500:
tampered cursors (a NUL character, a lone surrogate, a rank that is no number, values of
the wrong shape), too many query parameters, JSON nested too deep."""

from __future__ import annotations

import base64
import json

import pytest

from tests.support.errors import assert_error_shape

pytestmark = pytest.mark.django_db


def cursor(values, reverse=False) -> str:
    payload = json.dumps({"v": values, "r": reverse}).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


@pytest.mark.parametrize(
    ("url", "params", "values"),
    [
        # the ranked search: (rank, id)
        ("/api/v1/patents/", {"q": "锂电池"}, ["abc", 1]),
        ("/api/v1/patents/", {"q": "锂电池"}, [{"x": 1}, 1]),
        ("/api/v1/patents/", {"q": "锂电池"}, [True, 1]),
        ("/api/v1/patents/", {"q": "锂电池"}, [0.5, "\x00"]),
        # the holder list, by name then id: a text column
        ("/api/v1/holders/", {}, ["甲\x00大学", 1]),
        ("/api/v1/holders/", {}, ["\ud800", 1]),
        ("/api/v1/holders/", {}, [["a"], 1]),
        ("/api/v1/holders/", {}, ["甲大学", 10**30]),
    ],
)
def test_a_tampered_cursor_is_a_400_on_cursor(anonymous, patent_a, url, params, values):
    answer = anonymous.get(url, {**params, "cursor": cursor(values)})
    body = assert_error_shape(answer, 400)
    assert [e["field"] for e in body["errors"]] == ["cursor"]


def test_a_cursor_that_is_not_base64_json_is_a_400(anonymous):
    for raw in ["%00", "\x00", "not a cursor", "e30", base64.b64encode(b"\xff\xfe").decode()]:
        answer = anonymous.get("/api/v1/patents/", {"cursor": raw})
        body = assert_error_shape(answer, 400)
        assert [e["field"] for e in body["errors"]] == ["cursor"]


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "more parameters or fields than accepted"), ("zh-hans", "超过了允许的上限")],
)
def test_more_query_parameters_than_accepted_is_a_400(anonymous, language, message):
    query = "&".join(f"p{index}=1" for index in range(1500))
    answer = anonymous.get(f"/api/v1/patents/?{query}", HTTP_ACCEPT_LANGUAGE=language)
    body = assert_error_shape(answer, 400)
    assert body["code"] == "too_many_fields"
    assert message in body["message"]


def test_json_nested_too_deep_is_a_400(client_for, sme):
    body = "[" * 50_000 + "]" * 50_000
    answer = client_for(sme, "en").post(
        "/api/v1/demands/", data=body, content_type="application/json"
    )
    error = assert_error_shape(answer, 400)
    assert error["code"] == "parse_error"
    assert "nested too deep" in error["message"]


def test_a_body_with_a_nul_in_a_text_field_is_a_field_error(client_for, sme):
    answer = client_for(sme).post(
        "/api/v1/demands/", {"title": "寻求\x00技术", "ipc_codes": ["H01M"]}, format="json"
    )
    body = assert_error_shape(answer, 400)
    assert [e["field"] for e in body["errors"]] == ["title"]
