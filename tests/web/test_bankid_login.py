"""Log-in with BankID in the portal, against the BankID simulator, with the real client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import Client

from tests.conftest import Customer, csrf_of
from trygg.identity.bankid.qr import qr_data, qr_seconds
from trygg.kernel import idnumbers
from trygg.simulators.bankid import make_server


@pytest.fixture
def simulator(settings: Any) -> Iterator[httpx.Client]:
    server = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRYGG_BANKID_URL = server.base_url
    settings.TRYGG_BANKID_SIMULATOR = True
    with httpx.Client(base_url=server.base_url, timeout=5) as control:
        yield control
    server.shutdown()
    server.server_close()


def _start(client: Client) -> dict[str, Any]:
    client.get("/login/bankid/")
    response = client.post(
        "/login/bankid/start/", {"mode": "qr", "csrfmiddlewaretoken": csrf_of(client)}
    )
    assert response["Location"] == "/login/bankid/wait/"
    pending: dict[str, Any] = client.session["trygg.bankid"]
    return pending


def _collect(client: Client) -> Any:
    return client.post(
        "/login/bankid/collect/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=csrf_of(client)
    )


@pytest.mark.django_db
def test_qr_login_completes_with_two_factors(simulator: httpx.Client, customer: Customer) -> None:
    client = Client(enforce_csrf_checks=True)
    pending = _start(client)
    page = client.get("/login/bankid/wait/").content.decode()
    assert "<svg" in page and pending["qr_start_secret"] not in page
    assert client.get("/login/bankid/qr/")["Content-Type"] == "image/svg+xml"
    waiting = _collect(client)
    assert waiting.status_code == 200 and 'role="status"' in waiting.content.decode()
    # The phone scans the frame the server shows now: the simulator checks its HMAC.
    frame = qr_data(
        pending["qr_start_token"],
        pending["qr_start_secret"],
        qr_seconds(pending["started_at"], time.time()),
    )
    assert (
        simulator.post(f"/sim/orders/{pending['order_ref']}/scan", json={"qr": frame}).status_code
        == 200
    )
    assert (
        simulator.post(
            f"/sim/orders/{pending['order_ref']}/complete",
            json={"personalNumber": customer.id_number},
        ).status_code
        == 200
    )
    done = _collect(client)
    assert done.status_code == 204 and done["HX-Redirect"] == "/overview/"
    me = client.get("/api/v1/me").json()
    assert me["authentication_method"] == "bankid" and me["authentication_level"] == 2


@pytest.mark.django_db
def test_bankid_on_this_device_opens_the_app_with_the_autostart_token(
    simulator: httpx.Client, customer: Customer
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/bankid/")
    started = client.post(
        "/login/bankid/start/", {"mode": "device", "csrfmiddlewaretoken": csrf_of(client)}
    )
    assert started["Location"] == "/login/bankid/wait/"
    pending: dict[str, Any] = client.session["trygg.bankid"]
    page = client.get("/login/bankid/wait/").content.decode()
    token = pending["auto_start_token"]
    assert f'href="bankid:///?autostarttoken={token}&amp;redirect=null"' in page
    assert "<svg" not in page and pending["qr_start_secret"] not in page
    # The app on this device starts from the token (no QR code), and the user identifies.
    assert simulator.post(f"/sim/orders/{pending['order_ref']}/scan", json={}).status_code == 200
    assert (
        simulator.post(
            f"/sim/orders/{pending['order_ref']}/complete",
            json={"personalNumber": customer.id_number},
        ).status_code
        == 200
    )
    done = _collect(client)
    assert done.status_code == 204 and done["HX-Redirect"] == "/overview/"
    assert client.get("/api/v1/me").json()["authentication_method"] == "bankid"


@pytest.mark.django_db
def test_a_wrong_qr_frame_is_refused_by_the_simulator(simulator: httpx.Client) -> None:
    client = Client(enforce_csrf_checks=True)
    pending = _start(client)
    forged = qr_data(pending["qr_start_token"], "not-the-secret", 0)
    response = simulator.post(f"/sim/orders/{pending['order_ref']}/scan", json={"qr": forged})
    assert response.status_code >= 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hint", ["userCancel", "expiredTransaction", "certificateErr", "startFailed"]
)
def test_every_failure_gets_a_message_and_no_session(simulator: httpx.Client, hint: str) -> None:
    client = Client(enforce_csrf_checks=True)
    pending = _start(client)
    simulator.post(f"/sim/orders/{pending['order_ref']}/fail", json={"hintCode": hint})
    response = _collect(client)
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_someone_who_is_not_a_customer_is_told_so(simulator: httpx.Client) -> None:
    import datetime as dt

    client = Client(enforce_csrf_checks=True)
    pending = _start(client)
    stranger = idnumbers.generate_swedish_personal(dt.date(1970, 1, 1), 345)
    simulator.post(f"/sim/orders/{pending['order_ref']}/scan")
    simulator.post(
        f"/sim/orders/{pending['order_ref']}/complete", json={"personalNumber": stranger}
    )
    html = _collect(client).content.decode()
    assert "inte kund" in html or "not a customer" in html
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_cancel_ends_the_order(simulator: httpx.Client) -> None:
    client = Client(enforce_csrf_checks=True)
    pending = _start(client)
    client.post("/login/bankid/cancel/", {"csrfmiddlewaretoken": csrf_of(client)})
    assert "trygg.bankid" not in client.session
    order = simulator.get(f"/sim/orders/{pending['order_ref']}")
    assert order.status_code == 404 or order.json().get("status") != "pending"


@pytest.mark.django_db
def test_agent_starts_bankid_phone_auth_for_a_caller(
    simulator: httpx.Client, customer: Customer, telephony: dict[str, str]
) -> None:
    from tests.conftest import ApiClient

    api = ApiClient()
    api.csrf()
    started = api.call(
        "POST",
        "/phone/auth/bankid",
        {"id_number": customer.id_number, "customer_called": True},
        headers=telephony,
    )
    assert started.status_code == 202
    order_ref = api.client.session["trygg.phone_bankid"]
    polled = api.call("POST", "/phone/auth/bankid/collect", headers=telephony)
    assert polled.status_code == 200 and polled.json()["status"] == "pending"
    simulator.post(f"/sim/orders/{order_ref}/confirm-call")
    simulator.post(f"/sim/orders/{order_ref}/complete", json={})
    done = api.call("POST", "/phone/auth/bankid/collect", headers=telephony)
    assert done.status_code == 201 and done.json()["name"] == "Anna Berg"
    api.token = api.client.cookies["trygg_csrftoken"].value
    me = api.call("GET", "/me").json()
    assert (me["authentication_method"], me["authentication_level"]) == ("bankid", 1)


def _complete(simulator: httpx.Client, pending: dict[str, Any], customer: Customer) -> None:
    frame = qr_data(
        pending["qr_start_token"],
        pending["qr_start_secret"],
        qr_seconds(pending["started_at"], time.time()),
    )
    simulator.post(f"/sim/orders/{pending['order_ref']}/scan", json={"qr": frame})
    simulator.post(
        f"/sim/orders/{pending['order_ref']}/complete",
        json={"personalNumber": customer.id_number},
    )


@pytest.mark.django_db
def test_a_completed_order_logs_in_once_and_never_again(
    simulator: httpx.Client, customer: Customer
) -> None:
    from trygg.identity.models import BankIdOrder, LoginEvent

    first = Client(enforce_csrf_checks=True)
    pending = _start(first)
    _complete(simulator, pending, customer)
    assert _collect(first)["HX-Redirect"] == "/overview/"
    assert "trygg.bankid" not in first.session  # the completed order is dropped
    # BankID answers "complete" for the same order for a while: another browser that got hold
    # of the order (or the same one, replaying) must not log in with it.
    second = Client(enforce_csrf_checks=True)
    second.get("/login/bankid/")
    session = second.session
    session["trygg.bankid"] = {**pending, "same_device": False}
    session.save()
    replay = _collect(second)
    assert replay.status_code == 200 and "har redan använts" in replay.content.decode()
    assert second.get("/api/v1/me").status_code == 401
    bankid_logins = LoginEvent.objects.filter(party=customer.party, method="bankid", success=True)
    assert bankid_logins.count() == 2  # the fixture's earlier one and the first browser's
    assert BankIdOrder.objects.get(order_ref=pending["order_ref"]).state == "used"


@pytest.mark.django_db
def test_an_order_not_started_here_logs_in_nobody(
    simulator: httpx.Client, customer: Customer
) -> None:
    from trygg.identity.models import BankIdOrder

    client = Client(enforce_csrf_checks=True)
    pending = _start(client)
    BankIdOrder.objects.filter(order_ref=pending["order_ref"]).delete()  # not ours
    _complete(simulator, pending, customer)
    refused = _collect(client)
    assert refused.status_code == 200 and "har redan använts" in refused.content.decode()
    assert client.get("/api/v1/me").status_code == 401
