"""The simulator's relying party API refuses what BankID refuses, with BankID's error shapes."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from tests.bankid.conftest import Sim
from trygg.identity.bankid import BankIdError, Requirement
from trygg.identity.bankid.messages import user_message
from trygg.simulators.bankid import PERSONS

PNR = PERSONS[0].personal_number


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def assert_error(answer_status: int, body: object, status: int, code: str) -> None:
    assert answer_status == status
    assert isinstance(body, dict)
    assert set(body) == {"errorCode", "details"}
    assert body["errorCode"] == code
    assert isinstance(body["details"], str) and body["details"]


@pytest.mark.parametrize(
    ("endpoint", "body", "fragment"),
    [
        ("auth", {}, "endUserIp"),
        ("auth", {"endUserIp": "999.1.1.1"}, "endUserIp"),
        ("auth", {"endUserIp": 12}, "endUserIp"),
        ("auth", {"endUserIp": "203.0.113.9", "userVisibleData": "not base64!"}, "base64"),
        ("auth", {"endUserIp": "203.0.113.9", "userVisibleData": "QUJD="}, "base64"),
        ("auth", {"endUserIp": "203.0.113.9", "userVisibleData": ""}, "userVisibleData"),
        (
            "auth",
            {"endUserIp": "203.0.113.9", "userVisibleData": base64.b64encode(b"\xff\xfe").decode()},
            "UTF-8",
        ),
        ("auth", {"endUserIp": "203.0.113.9", "userVisibleData": b64("x" * 1200)}, "1500"),
        ("auth", {"endUserIp": "203.0.113.9", "userNonVisibleData": b64("x" * 1200)}, "1500"),
        (
            "auth",
            {"endUserIp": "203.0.113.9", "userVisibleData": b64("x"), "userVisibleDataFormat": "h"},
            "userVisibleDataFormat",
        ),
        ("sign", {"endUserIp": "203.0.113.9"}, "userVisibleData"),
        ("sign", {"endUserIp": "203.0.113.9", "userVisibleData": b64("x" * 30_001)}, "40000"),
        ("auth", {"endUserIp": "203.0.113.9", "requirement": {"colour": "blue"}}, "colour"),
        ("auth", {"endUserIp": "203.0.113.9", "requirement": {"cardReader": "class3"}}, "card"),
        ("auth", {"endUserIp": "203.0.113.9", "requirement": {"pinCode": "yes"}}, "pinCode"),
        (
            "auth",
            {"endUserIp": "203.0.113.9", "requirement": {"certificatePolicies": ["a.b"]}},
            "certificatePolicies",
        ),
        (
            "auth",
            {"endUserIp": "203.0.113.9", "requirement": {"personalNumber": "198403122421"}},
            "personalNumber",
        ),
        (
            "auth",
            {"endUserIp": "203.0.113.9", "requirement": {"personalNumber": "8403122420"}},
            "personalNumber",
        ),
        ("auth", {"endUserIp": "203.0.113.9", "returnUrl": 5}, "returnUrl"),
        ("phone/auth", {"callInitiator": "RP"}, "personalNumber"),
        ("phone/auth", {"personalNumber": PNR}, "callInitiator"),
        ("phone/auth", {"personalNumber": PNR, "callInitiator": "rp"}, "callInitiator"),
        ("phone/auth", {"personalNumber": "21000101-0000", "callInitiator": "user"}, "personal"),
        (
            "phone/auth",
            {
                "personalNumber": PNR,
                "callInitiator": "user",
                "requirement": {"personalNumber": PNR},
            },
            "personalNumber",
        ),
        ("phone/sign", {"personalNumber": PNR, "callInitiator": "user"}, "userVisibleData"),
        ("collect", {}, "orderRef"),
        ("collect", {"orderRef": 7}, "orderRef"),
        ("collect", {"orderRef": "131daac9-16c6-4618-beb0-365768f37288"}, "No such order"),
        ("cancel", {"orderRef": "131daac9-16c6-4618-beb0-365768f37288"}, "No such order"),
        ("auth", ["endUserIp"], "JSON object"),
    ],
)
def test_invalid_parameters(sim: Sim, endpoint: str, body: object, fragment: str) -> None:
    answer = sim.rp(endpoint, body)
    assert_error(answer.status_code, answer.json(), 400, "invalidParameters")
    assert fragment in answer.json()["details"]


def test_invalid_parameters_through_the_client(sim: Sim) -> None:
    cases: list[Callable[[], object]] = [
        lambda: sim.client.auth("not-an-ip"),
        lambda: sim.client.auth("203.0.113.9", user_visible_data="å" * 600),
        lambda: sim.client.auth("203.0.113.9", requirement=Requirement(personal_number="1984")),
        lambda: sim.client.phone_auth("198403122421", "user"),
    ]
    for case in cases:
        with pytest.raises(BankIdError) as caught:
            case()
        assert (caught.value.error_code, caught.value.http_status) == ("invalidParameters", 400)
    # invalidParameters is the relying party's own fault: a neutral message, not a BankID one.
    assert user_message(None, None, "invalidParameters", language="sv", started_with="qr") == (
        "Något gick fel. Försök igen."
    )


def test_the_limits_themselves_are_allowed(sim: Sim) -> None:
    # 1 125 ASCII characters are exactly 1 500 after base64 encoding.
    sim.client.auth("203.0.113.9", user_visible_data="x" * 1125, user_non_visible_data=b"y" * 1125)
    sim.client.sign("2001:db8::1", "x" * 30_000, user_visible_data_format="simpleMarkdownV1")
    sim.client.phone_sign(PNR, "RP", "x" * 30_000)


def test_unknown_path_is_not_found(sim: Sim) -> None:
    for path in ("/rp/v6.0/nothing", "/rp/v5.1/auth", "/rp/v6.0/phone", "/elsewhere"):
        answer = sim.http.post(path, json={})
        assert_error(answer.status_code, answer.json(), 404, "notFound")


def test_only_post_is_allowed(sim: Sim) -> None:
    for method in ("GET", "PUT", "DELETE"):
        answer = sim.http.request(method, "/rp/v6.0/collect")
        assert_error(answer.status_code, answer.json(), 405, "methodNotAllowed")


def test_content_type_must_be_plain_application_json(sim: Sim) -> None:
    body = b'{"orderRef": "x"}'
    for content_type in ("application/json; charset=UTF-8", "text/plain", None):
        headers = {} if content_type is None else {"Content-Type": content_type}
        answer = sim.http.post("/rp/v6.0/collect", content=body, headers=headers)
        assert_error(answer.status_code, answer.json(), 415, "unsupportedMediaType")


def test_body_that_is_not_json(sim: Sim) -> None:
    answer = sim.http.post(
        "/rp/v6.0/auth", content=b"endUserIp=1.2.3.4", headers={"Content-Type": "application/json"}
    )
    assert_error(answer.status_code, answer.json(), 400, "invalidParameters")


def test_error_answers_keep_the_connection_usable(sim: Sim) -> None:
    # Many requests over one keep-alive connection, errors and successes mixed.
    for _ in range(5):
        assert sim.rp("collect", {"orderRef": "x"}).status_code == 400
        assert sim.http.get("/rp/v6.0/auth").status_code == 405
        assert sim.client.auth("203.0.113.9").order_ref
