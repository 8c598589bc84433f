"""The simulator driven by the real client: log-in, signing, phone orders, cancel, expiry."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import threading
import time
import xml.etree.ElementTree as ET
from html import escape

import httpx
import pytest

from tests.bankid.conftest import Sim, start_simulator, stop_simulator
from trygg.identity.bankid import BankIdClient, BankIdError, Requirement
from trygg.identity.bankid.messages import user_message
from trygg.identity.bankid.qr import qr_data
from trygg.kernel.idnumbers import generate_swedish_personal, parse_swedish_personal
from trygg.simulators.bankid import PERSONS, Timing
from trygg.simulators.bankid.documents import SIGNATURE_NAMESPACE, signature_digest

NS = {"b": SIGNATURE_NAMESPACE}
ASTRID, ERIK = PERSONS[0], PERSONS[1]


def parse_signature(xml: str) -> ET.Element:
    # The document comes from our own simulator in this test run.
    return ET.fromstring(xml)  # noqa: S314


def test_test_persons_have_valid_unique_numbers() -> None:
    numbers = [p.personal_number for p in PERSONS]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert parse_swedish_personal(number).value == number


def test_qr_log_in_from_start_to_completion_data(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9", user_visible_data="Logga in i Trygg")
    assert started.qr_start_token and started.qr_start_secret and started.auto_start_token

    pending = sim.client.collect(started.order_ref)
    assert (pending.status, pending.hint_code) == ("pending", "outstandingTransaction")
    assert user_message(
        pending.status, pending.hint_code, None, language="sv", started_with="qr"
    ) == ("Starta BankID-appen.")

    # The app reads the frame the page shows three seconds in, computed by our qr_data.
    sim.clock.advance(3.4)
    frame = qr_data(started.qr_start_token, started.qr_start_secret, 3)
    scanned = sim.scan(started.order_ref, frame)
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["hintCode"] == "userSign"
    signing = sim.client.collect(started.order_ref)
    assert (signing.status, signing.hint_code) == ("pending", "userSign")

    assert sim.complete(started.order_ref, personalNumber=ASTRID.personal_number).status_code == 200
    result = sim.client.collect(started.order_ref)
    assert result.status == "complete"
    completion = result.completion
    assert completion is not None
    assert completion.user.personal_number == ASTRID.personal_number
    assert completion.user.name == "Astrid Lindqvist"
    assert (completion.user.given_name, completion.user.surname) == ("Astrid", "Lindqvist")
    assert completion.device.ip_address == "203.0.113.9"
    assert completion.device.uhi
    assert completion.bank_id_issue_date == ASTRID.bank_id_issue_date
    assert completion.step_up is None

    document = parse_signature(completion.signature_xml())
    assert document.tag == f"{{{SIGNATURE_NAMESPACE}}}bankIdSignedData"
    visible = document.findtext("b:usrVisibleData", namespaces=NS)
    assert visible is not None
    assert base64.b64decode(visible).decode() == "Logga in i Trygg"
    assert document.findtext("b:srvInfo/b:orderRef", namespaces=NS) == started.order_ref
    ocsp = base64.b64decode(completion.ocsp_response).decode()
    assert "certStatus=good" in ocsp
    assert "hmacSha256=" in ocsp

    # collect is idempotent: the same final answer while the order is kept.
    assert sim.client.collect(started.order_ref) == result


def test_signing_shows_the_text_in_the_app_and_in_the_signature(sim: Sim) -> None:
    text = "Jag godkänner <b>villkoren</b> för\nOlycksfallsförsäkring Plus & tillägg."
    started = sim.client.sign("198.51.100.4", text, user_non_visible_data=b"document-sha256")

    listed = sim.http.get("/sim/orders").json()
    assert [o["orderRef"] for o in listed] == [started.order_ref]
    assert listed[0]["userVisibleData"] == text
    assert listed[0]["type"] == "sign"
    assert "qrStartSecret" not in listed[0]

    page = sim.http.get("/app")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert escape(text) in page.text
    assert "<b>villkoren" not in page.text
    assert "<script" not in page.text

    # Approve through the page's plain form, as a demo user would.
    form = {"personalNumber": ERIK.personal_number}
    answer = sim.http.post(f"/app/orders/{started.order_ref}/approve", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app?done=approved"
    assert "No pending orders" in sim.http.get("/app?done=approved").text

    result = sim.client.collect(started.order_ref)
    assert result.completion is not None
    assert result.completion.user.personal_number == ERIK.personal_number
    document = parse_signature(result.completion.signature_xml())
    visible = document.findtext("b:usrVisibleData", namespaces=NS)
    non_visible = document.findtext("b:usrNonVisibleData", namespaces=NS)
    assert visible is not None and non_visible is not None
    assert base64.b64decode(visible).decode() == text
    assert base64.b64decode(non_visible) == b"document-sha256"
    digest = document.findtext("b:simulatedSignature/b:digestValue", namespaces=NS)
    assert digest == signature_digest(
        text.encode(), b"document-sha256", started.order_ref, ERIK.personal_number
    )


def test_phone_auth_with_call_confirmation(sim: Sim) -> None:
    started = sim.client.phone_auth(
        ASTRID.personal_number, "RP", user_visible_data="Trygg ringer dig om din skada."
    )
    assert started.auto_start_token is None and started.qr_start_token is None
    assert sim.client.collect(started.order_ref).hint_code == "outstandingTransaction"

    assert sim.scan(started.order_ref).json()["hintCode"] == "userCallConfirm"
    waiting = sim.client.collect(started.order_ref)
    assert waiting.hint_code == "userCallConfirm"
    message = user_message("pending", "userCallConfirm", None, language="en", started_with="phone")
    assert message == "An identification or signing is in progress."
    listed = sim.http.get("/sim/orders").json()[0]
    assert (listed["callInitiator"], listed["phone"]) == ("RP", True)

    assert sim.confirm_call(started.order_ref).json()["hintCode"] == "userSign"
    other = sim.complete(started.order_ref, personalNumber=ERIK.personal_number)
    assert other.status_code == 409
    assert other.json()["errorCode"] == "otherPerson"

    assert sim.complete(started.order_ref).status_code == 200
    result = sim.client.collect(started.order_ref)
    assert result.completion is not None
    assert result.completion.user.personal_number == ASTRID.personal_number
    ipaddress.ip_address(result.completion.device.ip_address)


def test_phone_sign_declined_call(sim: Sim) -> None:
    started = sim.client.phone_sign(ERIK.personal_number, "user", "Uppsägning av hemförsäkring")
    assert sim.http.get("/sim/orders").json()[0]["userVisibleData"] == (
        "Uppsägning av hemförsäkring"
    )
    assert sim.fail(started.order_ref, "userDeclinedCall").status_code == 200
    result = sim.client.collect(started.order_ref)
    assert (result.status, result.hint_code) == ("failed", "userDeclinedCall")

    not_phone = sim.client.auth("203.0.113.9")
    refused = sim.fail(not_phone.order_ref, "userDeclinedCall")
    assert refused.status_code == 409


@pytest.mark.parametrize(
    "hint_code", ["userCancel", "expiredTransaction", "certificateErr", "startFailed"]
)
def test_controlled_failures(sim: Sim, hint_code: str) -> None:
    started = sim.client.auth("203.0.113.9")
    assert sim.fail(started.order_ref, hint_code).status_code == 200
    result = sim.client.collect(started.order_ref)
    assert (result.status, result.hint_code, result.completion) == ("failed", hint_code, None)
    assert sim.http.get("/sim/orders").json() == []


def test_cancel_in_the_app_page(sim: Sim) -> None:
    started = sim.client.sign("203.0.113.9", "Flytt av pensionskapital")
    answer = sim.http.post(f"/app/orders/{started.order_ref}/cancel")
    assert answer.status_code == 303
    result = sim.client.collect(started.order_ref)
    assert (result.status, result.hint_code) == ("failed", "userCancel")
    assert user_message("failed", "userCancel", None, language="sv", started_with="qr") == (
        "Åtgärden avbröts."
    )


def test_cancel_by_the_relying_party(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9")
    sim.client.cancel(started.order_ref)
    with pytest.raises(BankIdError) as caught:
        sim.client.collect(started.order_ref)
    assert (caught.value.error_code, caught.value.http_status) == ("invalidParameters", 400)
    assert caught.value.details == "No such order"
    with pytest.raises(BankIdError, match="invalidParameters"):
        sim.client.cancel(started.order_ref)


def test_already_in_progress_for_the_same_person(sim: Sim) -> None:
    bound = Requirement(personal_number=ASTRID.personal_number)
    first = sim.client.auth("203.0.113.9", requirement=bound)
    with pytest.raises(BankIdError) as caught:
        sim.client.auth("203.0.113.10", requirement=bound)
    assert (caught.value.error_code, caught.value.http_status) == ("alreadyInProgress", 400)
    # BankID aborts the order in progress too.
    result = sim.client.collect(first.order_ref)
    assert (result.status, result.hint_code) == ("failed", "cancelled")
    assert user_message("failed", "cancelled", None, language="en", started_with="qr") == (
        "The action was cancelled. Please try again."
    )
    # With nothing in progress any more, the person can start again; phone orders count too.
    sim.client.phone_auth(ASTRID.personal_number, "user")
    with pytest.raises(BankIdError, match="alreadyInProgress"):
        sim.client.sign("203.0.113.9", "x", requirement=bound)
    # Orders for other people, and unbound orders, are not affected.
    sim.client.auth("203.0.113.9", requirement=Requirement(personal_number=ERIK.personal_number))
    sim.client.auth("203.0.113.9")


def test_concurrent_orders_never_leave_two_pending_for_one_person(sim: Sim) -> None:
    bound = Requirement(personal_number=ERIK.personal_number)
    outcomes: list[str] = []

    def start(index: int) -> None:
        with BankIdClient(sim.base_url, cert=None, ca_cert=None, timeout=5) as client:
            try:
                if index % 2:
                    client.auth("203.0.113.9", requirement=bound)
                else:
                    client.auth("203.0.113.9")
                outcomes.append("started")
            except BankIdError as error:
                outcomes.append(error.error_code)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(outcomes) == 16
    assert set(outcomes) <= {"started", "alreadyInProgress"}
    assert outcomes.count("started") >= 8
    pending = sim.http.get("/sim/orders").json()
    assert sum(1 for o in pending if o["personalNumber"] == ERIK.personal_number) <= 1
    assert len({o["orderRef"] for o in pending}) == len(pending)


def test_bound_auth_order_needs_no_person_in_complete(sim: Sim) -> None:
    started = sim.client.auth(
        "203.0.113.9", requirement=Requirement(personal_number=ERIK.personal_number)
    )
    page = sim.http.get("/app").text
    assert f'type="hidden" name="personalNumber" value="{ERIK.personal_number}"' in page
    assert sim.complete(started.order_ref).status_code == 200
    completion = sim.client.collect(started.order_ref).completion
    assert completion is not None
    assert completion.user.name == ERIK.name


def test_unbound_order_needs_a_person(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9")
    answer = sim.complete(started.order_ref)
    assert answer.status_code == 400
    assert "personalNumber" in answer.json()["details"]
    bad = sim.complete(started.order_ref, personalNumber="198403122421")
    assert (bad.status_code, bad.json()["errorCode"]) == (400, "invalidParameters")
    # A valid number outside the test persons works with a name given.
    other = generate_swedish_personal(dt.date(1990, 1, 1), 238)
    done = sim.complete(
        started.order_ref, personalNumber=other, givenName="Kim", surname="Demo", ipAddress="::1"
    )
    assert done.status_code == 200
    completion = sim.client.collect(started.order_ref).completion
    assert completion is not None
    assert (completion.user.name, completion.device.ip_address) == ("Kim Demo", "::1")


def test_mrtd_requirement_gives_step_up(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9", requirement=Requirement(mrtd=True))
    assert sim.scan(started.order_ref).json()["hintCode"] == "userMrtd"
    assert user_message("pending", "userMrtd", None, language="sv", started_with="same_device") == (
        "Fotografera och läs av din ID-handling med BankID-appen."
    )
    sim.complete(started.order_ref, personalNumber=ASTRID.personal_number)
    completion = sim.client.collect(started.order_ref).completion
    assert completion is not None and completion.step_up is not None
    assert completion.step_up.mrtd is True


# -- the QR check -------------------------------------------------------------------------


def test_qr_with_a_wrong_hmac_is_refused(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9")
    assert started.qr_start_token and started.qr_start_secret
    forged = qr_data(started.qr_start_token, "not-the-secret", 0)
    refused = sim.scan(started.order_ref, forged)
    assert refused.status_code == 400
    assert refused.json()["errorCode"] == "invalidQrCode"
    assert "HMAC" in refused.json()["details"]
    assert sim.client.collect(started.order_ref).hint_code == "outstandingTransaction"


def test_qr_of_another_order_or_malformed_or_stale_is_refused(sim: Sim) -> None:
    first = sim.client.auth("203.0.113.9")
    second = sim.client.auth("203.0.113.9")
    assert second.qr_start_token and second.qr_start_secret
    assert first.qr_start_token and first.qr_start_secret
    other = qr_data(second.qr_start_token, second.qr_start_secret, 0)
    future = qr_data(first.qr_start_token, first.qr_start_secret, 3)
    for qr in (other, "bankid.x.0", "hello", future):
        answer = sim.scan(first.order_ref, qr)
        assert answer.status_code == 400, qr
        assert answer.json()["errorCode"] == "invalidQrCode"
    # Ten seconds on, the frame for second 0 is too old but the current one works.
    sim.clock.advance(10.2)
    stale = qr_data(first.qr_start_token, first.qr_start_secret, 0)
    assert sim.scan(first.order_ref, stale).status_code == 400
    fresh = qr_data(first.qr_start_token, first.qr_start_secret, 10)
    assert sim.scan(first.order_ref, fresh).status_code == 200


def test_phone_orders_have_no_qr(sim: Sim) -> None:
    started = sim.client.phone_auth(ERIK.personal_number, "user")
    answer = sim.scan(started.order_ref, "bankid.a.0.b")
    assert (answer.status_code, answer.json()["errorCode"]) == (400, "invalidQrCode")


# -- expiry -------------------------------------------------------------------------------


def test_qr_not_scanned_in_time_fails_with_start_failed(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9")
    sim.clock.advance(29.9)
    assert sim.client.collect(started.order_ref).status == "pending"
    sim.clock.advance(0.2)
    result = sim.client.collect(started.order_ref)
    assert (result.status, result.hint_code) == ("failed", "startFailed")
    assert user_message("failed", "startFailed", None, language="en", started_with="qr") == (
        "Failed to scan the QR code. Start the BankID app and scan the QR code."
    )
    assert sim.scan(started.order_ref).status_code == 409


def test_picked_up_order_expires_after_three_minutes(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9")
    sim.scan(started.order_ref)
    sim.clock.advance(179.5)
    assert sim.client.collect(started.order_ref).hint_code == "userSign"
    sim.clock.advance(1)
    result = sim.client.collect(started.order_ref)
    assert (result.status, result.hint_code) == ("failed", "expiredTransaction")
    assert user_message("failed", "expiredTransaction", None, language="sv", started_with="qr") == (
        "BankID-appen svarar inte. Kontrollera att den är startad och att du har "
        "internetanslutning. Försök sedan igen."
    )


def test_phone_order_expires_after_three_minutes(sim: Sim) -> None:
    started = sim.client.phone_auth(ASTRID.personal_number, "RP")
    sim.clock.advance(100)
    assert sim.client.collect(started.order_ref).status == "pending"
    sim.clock.advance(80)
    assert sim.client.collect(started.order_ref).hint_code == "expiredTransaction"


def test_finished_orders_are_kept_for_the_documented_time(sim: Sim) -> None:
    done = sim.client.auth("203.0.113.9")
    sim.complete(done.order_ref, personalNumber=ASTRID.personal_number)
    failed = sim.client.auth("203.0.113.9")
    sim.fail(failed.order_ref, "userCancel")
    sim.clock.advance(179)
    assert sim.client.collect(done.order_ref).status == "complete"
    sim.clock.advance(1)
    with pytest.raises(BankIdError, match="No such order"):
        sim.client.collect(done.order_ref)
    assert sim.client.collect(failed.order_ref).hint_code == "userCancel"
    sim.clock.advance(120)
    with pytest.raises(BankIdError, match="No such order"):
        sim.client.collect(failed.order_ref)
    # The control API does not know the order any more either.
    gone = sim.http.get(f"/sim/orders/{failed.order_ref}")
    assert (gone.status_code, gone.json()["errorCode"]) == (404, "notFound")


def test_expiry_on_the_real_clock_with_short_limits() -> None:
    # Limits of a second or two: short enough for a test, long enough that a loaded machine
    # scans the second order before the first limit passes.
    server, thread = start_simulator(Timing(start_timeout=1.0, order_timeout=2.0))
    try:
        with BankIdClient(server.base_url, cert=None, ca_cert=None, timeout=5) as client:
            unscanned = client.auth("203.0.113.9")
            scanned = client.auth("203.0.113.9")
            httpx.post(f"{server.base_url}/sim/orders/{scanned.order_ref}/scan")
            time.sleep(2.2)
            assert client.collect(unscanned.order_ref).hint_code == "startFailed"
            assert client.collect(scanned.order_ref).hint_code == "expiredTransaction"
    finally:
        stop_simulator(server, thread)


# -- the control API ----------------------------------------------------------------------


def test_control_api_for_unknown_and_finished_orders(sim: Sim) -> None:
    for answer in (
        sim.scan("no-such-order"),
        sim.complete("no-such-order", personalNumber=ASTRID.personal_number),
        sim.fail("no-such-order", "userCancel"),
        sim.http.get("/sim/orders/no-such-order"),
    ):
        assert (answer.status_code, answer.json()["errorCode"]) == (404, "notFound")
    started = sim.client.auth("203.0.113.9")
    bad_hint = sim.fail(started.order_ref, "somethingElse")
    assert (bad_hint.status_code, bad_hint.json()["errorCode"]) == (400, "invalidParameters")
    assert sim.confirm_call(started.order_ref).status_code == 409
    sim.complete(started.order_ref, personalNumber=ASTRID.personal_number)
    again = sim.scan(started.order_ref)
    assert (again.status_code, again.json()["errorCode"]) == (409, "notPending")
    assert sim.http.post(f"/sim/orders/{started.order_ref}/dance").status_code == 404


def test_persons_list_and_root_redirect(sim: Sim) -> None:
    persons = sim.http.get("/sim/persons").json()
    assert [p["personalNumber"] for p in persons] == [p.personal_number for p in PERSONS]
    assert persons[0]["name"] == ASTRID.name
    root = sim.http.get("/")
    assert (root.status_code, root.headers["location"]) == (303, "/app")


def test_app_page_reports_errors(sim: Sim) -> None:
    started = sim.client.auth("203.0.113.9")
    answer = sim.http.post(
        f"/app/orders/{started.order_ref}/approve", data={"otherPersonalNumber": "12345"}
    )
    assert answer.status_code == 400
    assert "invalidParameters" in answer.text
    assert started.order_ref in answer.text
