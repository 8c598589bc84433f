"""The client on its own: request shapes, answer parsing, error mapping and retries.

The network is an ``httpx.MockTransport`` (and, for a real timeout, a socket that never
answers), so every odd answer can be produced on purpose.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest

from trygg.identity.bankid import BankIdClient, BankIdError, Requirement
from trygg.identity.bankid.messages import user_message

Handler = Callable[[httpx.Request], httpx.Response]

STARTED = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "autoStartToken": "7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6",
    "qrStartToken": "67df3917-fa0d-44e5-b327-edcc928297f8",
    "qrStartSecret": "d28db9a7-4cde-429e-a983-359be676944c",
}
SIGNATURE = base64.b64encode(b"<bankIdSignedData/>").decode()
COMPLETE = {
    "orderRef": STARTED["orderRef"],
    "status": "complete",
    "completionData": {
        "user": {
            "personalNumber": "198403122420",
            "name": "Astrid Lindqvist",
            "givenName": "Astrid",
            "surname": "Lindqvist",
        },
        "device": {"ipAddress": "203.0.113.9", "uhi": "OZvYM9VvyiAmG7NA5jU5zRGcyAMgh0aCzS8="},
        "bankIdIssueDate": "2021-09-14",
        "stepUp": {"mrtd": True},
        "signature": SIGNATURE,
        "ocspResponse": base64.b64encode(b"ocsp").decode(),
    },
}


class Recorder:
    """A transport handler that answers from a list and keeps the requests."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def body(self, index: int = -1) -> dict[str, object]:
        parsed: dict[str, object] = json.loads(self.requests[index].content)
        return parsed


def client_for(handler: Handler, **options: object) -> BankIdClient:
    sleeps: list[float] = []
    return BankIdClient(
        "https://appapi2.test.bankid.com",
        cert=None,
        ca_cert=None,
        timeout=1.0,
        transport=httpx.MockTransport(handler),
        sleep=sleeps.append,
        **options,  # type: ignore[arg-type]
    )


def test_auth_request_and_answer() -> None:
    recorder = Recorder(httpx.Response(200, json=STARTED))
    with client_for(recorder) as client:
        started = client.auth(
            "203.0.113.9",
            user_visible_data="Logga in hos *Trygg* – åäö",
            user_visible_data_format="simpleMarkdownV1",
            user_non_visible_data=b"\x00\x01",
            requirement=Requirement(pin_code=True, personal_number="198403122420"),
        )
    request = recorder.requests[0]
    assert request.method == "POST"
    assert request.url == "https://appapi2.test.bankid.com/rp/v6.0/auth"
    assert request.headers["Content-Type"] == "application/json"
    assert recorder.body() == {
        "endUserIp": "203.0.113.9",
        "userVisibleData": base64.b64encode("Logga in hos *Trygg* – åäö".encode()).decode(),
        "userVisibleDataFormat": "simpleMarkdownV1",
        "userNonVisibleData": "AAE=",
        "requirement": {"pinCode": True, "personalNumber": "198403122420"},
    }
    assert started.order_ref == STARTED["orderRef"]
    assert started.auto_start_token == STARTED["autoStartToken"]
    assert started.qr_start_token == STARTED["qrStartToken"]
    assert started.qr_start_secret == STARTED["qrStartSecret"]
    assert STARTED["qrStartSecret"] not in repr(started)


def test_base_url_with_the_api_path_is_kept() -> None:
    recorder = Recorder(httpx.Response(200, json=STARTED))
    client = BankIdClient(
        "https://appapi2.bankid.com/rp/v6.0/",
        cert=None,
        ca_cert=None,
        timeout=1.0,
        transport=httpx.MockTransport(recorder),
    )
    client.sign("203.0.113.9", "Jag godkänner villkoren.")
    assert recorder.requests[0].url == "https://appapi2.bankid.com/rp/v6.0/sign"
    assert (
        recorder.body()["userVisibleData"]
        == base64.b64encode("Jag godkänner villkoren.".encode()).decode()
    )


def test_certificates_need_https() -> None:
    with pytest.raises(ValueError, match="https"):
        BankIdClient("http://127.0.0.1:8081", cert=("c.pem", "k.pem"), ca_cert=None, timeout=1)
    with pytest.raises(ValueError, match="https"):
        BankIdClient("http://127.0.0.1:8081", cert=None, ca_cert="ca.pem", timeout=1)
    with pytest.raises(FileNotFoundError):
        BankIdClient("https://appapi2.bankid.com", cert=None, ca_cert="/no/such/ca.pem", timeout=1)


def test_phone_auth_request() -> None:
    recorder = Recorder(httpx.Response(200, json={"orderRef": STARTED["orderRef"]}))
    client = client_for(recorder)
    started = client.phone_auth("198403122420", "RP", requirement=Requirement(mrtd=True))
    assert recorder.requests[0].url.path == "/rp/v6.0/phone/auth"
    assert recorder.body() == {
        "personalNumber": "198403122420",
        "callInitiator": "RP",
        "requirement": {"mrtd": True},
    }
    assert started.auto_start_token is None
    assert started.qr_start_token is None
    assert started.qr_start_secret is None
    with pytest.raises(ValueError, match="personal number"):
        client.phone_sign(
            "198403122420", "user", "x", requirement=Requirement(personal_number="198403122420")
        )


def test_collect_complete_is_parsed() -> None:
    result = client_for(Recorder(httpx.Response(200, json=COMPLETE))).collect(STARTED["orderRef"])
    assert result.status == "complete"
    assert result.hint_code is None
    completion = result.completion
    assert completion is not None
    assert completion.user.name == "Astrid Lindqvist"
    assert completion.device.ip_address == "203.0.113.9"
    assert completion.bank_id_issue_date == dt.date(2021, 9, 14)
    assert completion.step_up is not None
    assert completion.step_up.mrtd is True
    assert completion.signature_xml() == "<bankIdSignedData/>"


def test_unknown_hint_codes_are_passed_on() -> None:
    answer = {"orderRef": "r", "status": "pending", "hintCode": "somethingNew"}
    result = client_for(Recorder(httpx.Response(200, json=answer))).collect("r")
    assert (result.status, result.hint_code, result.is_pending) == ("pending", "somethingNew", True)


def test_bankid_error_body_is_mapped() -> None:
    answer = httpx.Response(
        400, json={"errorCode": "alreadyInProgress", "details": "Order already in progress"}
    )
    recorder = Recorder(answer)
    with pytest.raises(BankIdError) as caught:
        client_for(recorder).auth("203.0.113.9")
    error = caught.value
    assert (error.error_code, error.details, error.http_status) == (
        "alreadyInProgress",
        "Order already in progress",
        400,
    )
    assert len(recorder.requests) == 1
    assert user_message(None, None, error.error_code, language="en", started_with="qr") == (
        "An identification or signature is already in progress for your personal identity "
        "number. Please try again."
    )


def test_non_json_500_is_a_clear_internal_error_and_is_not_retried() -> None:
    recorder = Recorder(httpx.Response(500, text="<html><body>Bad gateway thing</body></html>"))
    with pytest.raises(BankIdError) as caught:
        client_for(recorder).collect("r")
    error = caught.value
    assert error.error_code == "internalError"
    assert error.http_status == 500
    assert "not JSON" in error.details
    assert "Bad gateway thing" in error.details
    assert len(recorder.requests) == 1
    assert "internalError" in str(error)


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "unauthorized"), (404, "notFound"), (415, "unsupportedMediaType"), (418, None)],
)
def test_statuses_without_a_body(status: int, code: str | None) -> None:
    with pytest.raises(BankIdError) as caught:
        client_for(Recorder(httpx.Response(status))).cancel("r")
    assert caught.value.error_code == (code or "invalidResponse")
    assert caught.value.http_status == status


def test_200_that_is_not_json_is_an_invalid_response() -> None:
    with pytest.raises(BankIdError) as caught:
        client_for(Recorder(httpx.Response(200, text="OK"))).auth("203.0.113.9")
    assert caught.value.error_code == "invalidResponse"


def test_collect_with_a_broken_answer_is_an_invalid_response() -> None:
    answer = {"orderRef": "r", "status": "done"}
    with pytest.raises(BankIdError, match="unknown status"):
        client_for(Recorder(httpx.Response(200, json=answer))).collect("r")
    broken = json.loads(json.dumps(COMPLETE))
    broken["completionData"]["bankIdIssueDate"] = "yesterday"
    with pytest.raises(BankIdError, match="bankIdIssueDate"):
        client_for(Recorder(httpx.Response(200, json=broken))).collect("r")


def test_read_timeout_on_collect_is_retried_then_a_clear_error() -> None:
    recorder = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(BankIdError) as caught:
        client_for(recorder, max_attempts=3).collect("r")
    error = caught.value
    assert error.error_code == "clientTimeout"
    assert error.http_status is None
    assert "No answer" in error.details
    assert "1.0 s" in error.details
    assert len(recorder.requests) == 3
    assert user_message(None, None, error.error_code, language="sv", started_with="qr") == (
        "Något gick fel. Försök igen."
    )


def test_read_timeout_on_auth_is_not_retried() -> None:
    recorder = Recorder(httpx.ReadTimeout("timed out"), httpx.Response(200, json=STARTED))
    with pytest.raises(BankIdError) as caught:
        client_for(recorder, max_attempts=3).auth("203.0.113.9")
    assert caught.value.error_code == "clientTimeout"
    assert len(recorder.requests) == 1


def test_collect_survives_a_timeout_once() -> None:
    answer = {"orderRef": "r", "status": "pending", "hintCode": "userSign"}
    recorder = Recorder(httpx.ReadTimeout("timed out"), httpx.Response(200, json=answer))
    assert client_for(recorder).collect("r").hint_code == "userSign"
    assert len(recorder.requests) == 2


def test_connect_error_is_retried_even_for_auth() -> None:
    recorder = Recorder(httpx.ConnectError("refused"), httpx.Response(200, json=STARTED))
    assert client_for(recorder).auth("203.0.113.9").order_ref == STARTED["orderRef"]
    assert len(recorder.requests) == 2


def test_connect_error_that_persists() -> None:
    recorder = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(BankIdError) as caught:
        client_for(recorder, max_attempts=2).sign("203.0.113.9", "x")
    assert caught.value.error_code == "connectionError"
    assert caught.value.http_status is None
    assert len(recorder.requests) == 2


def test_broken_connection_during_cancel_is_not_retried() -> None:
    recorder = Recorder(httpx.RemoteProtocolError("peer closed"), httpx.Response(200, json={}))
    with pytest.raises(BankIdError) as caught:
        client_for(recorder).cancel("r")
    assert caught.value.error_code == "connectionError"
    assert len(recorder.requests) == 1


def test_maintenance_is_retried_with_growing_pauses() -> None:
    maintenance = httpx.Response(503, json={"errorCode": "maintenance", "details": "later"})
    recorder = Recorder(maintenance, maintenance, httpx.Response(200, json=STARTED))
    pauses: list[float] = []
    client = BankIdClient(
        "https://x.test",
        cert=None,
        ca_cert=None,
        timeout=1.0,
        transport=httpx.MockTransport(recorder),
        retry_delay=0.5,
        sleep=pauses.append,
    )
    assert client.auth("203.0.113.9").order_ref == STARTED["orderRef"]
    assert pauses == [0.5, 1.0]
    recorder = Recorder(maintenance)
    with pytest.raises(BankIdError) as caught:
        client_for(recorder, max_attempts=2).auth("203.0.113.9")
    assert (caught.value.error_code, caught.value.http_status) == ("maintenance", 503)


@pytest.fixture
def silent_socket() -> Iterator[str]:
    """A listening socket that never answers: connections open, no response ever comes."""
    server = socket.create_server(("127.0.0.1", 0))
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()


def test_real_timeout_is_a_clear_error(silent_socket: str) -> None:
    client = BankIdClient(silent_socket, cert=None, ca_cert=None, timeout=0.2)
    with client, pytest.raises(BankIdError) as caught:
        client.auth("203.0.113.9")
    assert caught.value.error_code == "clientTimeout"
    assert "within 0.2 s" in caught.value.details


def test_nothing_listening_is_a_connection_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    client = BankIdClient(
        f"http://127.0.0.1:{port}",
        cert=None,
        ca_cert=None,
        timeout=0.5,
        retry_delay=0,
        max_attempts=2,
    )
    with pytest.raises(BankIdError) as caught:
        client.collect("r")
    assert caught.value.error_code == "connectionError"
