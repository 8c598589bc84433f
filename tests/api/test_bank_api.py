"""The bank through the API: the same proofs as the portal, idempotency, no other's data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import ApiClient, Customer
from trygg.banking.models import Account, Payment
from trygg.banking.services import account_open, incoming_payment_book
from trygg.identity.models import SecurityToken, TokenKind
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.kernel.audit import SYSTEM


@pytest.fixture
def bank(api: ApiClient, customer: Customer) -> tuple[ApiClient, Account, Account, SecurityToken]:
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("10000"), text="Lön")
    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    api.login(customer.id_number, customer.pin)
    return api, main, savings, token


@pytest.mark.django_db
def test_accounts_and_an_idempotent_transfer(
    bank: tuple[ApiClient, Account, Account, SecurityToken],
) -> None:
    api, main, savings, _token = bank
    assert {a["name"] for a in api.call("GET", "/accounts").json()} == {"Lönekonto", "Sparkonto"}
    body = {"from_account": main.pk, "to_account": savings.pk, "amount": "250.00"}
    first = api.call("POST", "/transfers", body, headers={"HTTP_IDEMPOTENCY_KEY": "t-1"})
    again = api.call("POST", "/transfers", body, headers={"HTTP_IDEMPOTENCY_KEY": "t-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["transaction_id"] == again.json()["transaction_id"]
    savings.refresh_from_db()
    assert savings.balance == Decimal("250.00")
    rows = api.call("GET", f"/accounts/{savings.pk}/transactions").json()
    assert [r["amount"] for r in rows] == ["250.00"]


@pytest.mark.django_db
def test_signed_payment_through_the_api(
    bank: tuple[ApiClient, Account, Account, SecurityToken],
) -> None:
    api, main, _savings, token = bank
    body = {"from_account": main.pk, "kind": "bankgiro", "number": "5050-1055", "amount": "99.50"}
    order = api.call("POST", "/payments/signing", body).json()
    assert "99,50\u00a0kr" in order["summary"] and "5050-1055" in order["summary"]
    unsigned = api.call("POST", f"/payments/{order['signing_id']}", body)
    assert unsigned.json()["code"] == "signing.not_signed"
    signed = api.call(
        "POST",
        f"/signing/{order['signing_id']}/token",
        {"response": token_expected_response(token, order["challenge"])},
    )
    assert signed.json()["state"] == "signed"
    tampered = api.call("POST", f"/payments/{order['signing_id']}", {**body, "amount": "9950"})
    assert tampered.status_code == 422 and tampered.json()["code"] == "signing.mismatch"
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_payee_registered_with_signature_then_paid_without(
    bank: tuple[ApiClient, Account, Account, SecurityToken],
) -> None:
    api, main, _savings, token = bank
    payee = {"name": "Elbolaget", "kind": "bankgiro", "number": "5050-1055"}
    order = api.call("POST", "/payees/signing", payee).json()
    api.call(
        "POST",
        f"/signing/{order['signing_id']}/token",
        {"response": token_expected_response(token, order["challenge"])},
    )
    created = api.call("POST", f"/payees/{order['signing_id']}", payee)
    assert created.status_code == 201
    paid = api.call(
        "POST",
        "/payments/payee",
        {"from_account": main.pk, "payee_id": created.json()["id"], "amount": "845"},
    )
    assert paid.status_code == 201 and paid.json()["amount"] == "845.00"


@pytest.mark.django_db
def test_another_customers_account_is_not_found(
    bank: tuple[ApiClient, Account, Account, SecurityToken], other_customer: Customer
) -> None:
    _api, main, _savings, _token = bank
    intruder = ApiClient()
    intruder.login(other_customer.id_number, other_customer.pin)
    assert intruder.call("GET", f"/accounts/{main.pk}/transactions").status_code == 404
    theirs = account_open(ctx=SYSTEM, party=other_customer.party, name="Egen")
    response = intruder.call(
        "POST", "/transfers", {"from_account": main.pk, "to_account": theirs.pk, "amount": "1"}
    )
    assert response.status_code == 404
    main.refresh_from_db()
    assert main.balance == Decimal("10000.00")


@pytest.mark.django_db
def test_payment_signed_with_bankid_through_the_api(
    bank: tuple[ApiClient, Account, Account, SecurityToken], settings: Any
) -> None:
    import threading

    import httpx

    from trygg.simulators.bankid import make_server

    server = make_server("127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRYGG_BANKID_URL = server.base_url
    try:
        api, main, _savings, _token = bank
        body = {"from_account": main.pk, "kind": "bankgiro", "number": "5050-1055", "amount": "10"}
        order = api.call("POST", "/payments/signing", body).json()
        started = api.call("POST", f"/signing/{order['signing_id']}/bankid")
        assert started.status_code == 201 and started.json()["auto_start_token"]
        qr = api.call("GET", started.json()["qr_url"].removeprefix("/api/v1"))
        assert qr["Content-Type"] == "image/svg+xml"
        poll = api.call("POST", f"/signing/{order['signing_id']}/bankid/collect").json()
        assert poll["state"] == "pending" and poll["message"]
        order_ref = api.client.session["trygg.api_signing_bankid"]["order_ref"]
        with httpx.Client(base_url=server.base_url) as control:
            control.post(f"/sim/orders/{order_ref}/scan")
            control.post(f"/sim/orders/{order_ref}/complete", json={})
        poll = api.call("POST", f"/signing/{order['signing_id']}/bankid/collect").json()
        assert poll["state"] == "signed"
        paid = api.call("POST", f"/payments/{order['signing_id']}", body)
        assert paid.status_code == 201
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
def test_einvoice_registration_through_the_api(
    bank: tuple[ApiClient, Account, Account, SecurityToken],
) -> None:
    api, _main, _savings, token = bank
    body = {
        "kind": "einvoice",
        "biller_name": "Elbolaget",
        "biller_bankgiro": "5050-1055",
        "payer_reference": "77-1234",
    }
    order = api.call("POST", "/registrations/signing", body).json()
    api.call(
        "POST",
        f"/signing/{order['signing_id']}/token",
        {"response": token_expected_response(token, order["challenge"])},
    )
    created = api.call("POST", f"/registrations/{order['signing_id']}", body)
    assert created.status_code == 201 and created.json()["state"] == "requested"
    assert [r["kind"] for r in api.call("GET", "/registrations").json()] == ["einvoice"]
    bad = api.call("POST", "/registrations/signing", {**body, "biller_bankgiro": "5050-1056"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "biller_bankgiro"


@pytest.mark.django_db
def test_a_dated_payment_with_an_ocr_number_and_payee_changes_through_the_api(
    bank: tuple[ApiClient, Account, Account, SecurityToken], other_customer: Customer
) -> None:
    from trygg.banking.models import Payee
    from trygg.kernel import clock
    from trygg.kernel.bankdays import calendar_for

    api, main, _savings, token = bank
    payee_body = {"name": "Elbolaget", "kind": "bankgiro", "number": "5050-1055"}
    order = api.call("POST", "/payees/signing", payee_body).json()
    api.call(
        "POST",
        f"/signing/{order['signing_id']}/token",
        {"response": token_expected_response(token, order["challenge"])},
    )
    payee_id = api.call("POST", f"/payees/{order['signing_id']}", payee_body).json()["id"]
    day = calendar_for("SE").add_bank_days(clock.today(), 2)
    body = {"from_account": main.pk, "payee_id": payee_id, "amount": "120"}
    both = api.call("POST", "/payments/payee", {**body, "ocr": "1234567897", "message": "x"})
    assert both.status_code == 422 and both.json()["code"] == "payment.ocr_and_message"
    bad = api.call("POST", "/payments/payee", {**body, "ocr": "1234567898"})
    assert bad.status_code == 422 and bad.json()["code"] == "ocr.checksum"
    scheduled = api.call(
        "POST",
        "/payments/payee",
        {**body, "ocr": "1234567897", "execution_date": day.isoformat()},
    ).json()
    assert (scheduled["state"], scheduled["transaction_id"], scheduled["execution_date"]) == (
        "scheduled",
        None,
        day.isoformat(),
    )
    renamed = api.call("PUT", f"/payees/registered/{payee_id}", {"name": "Elbolaget AB"}).json()
    assert renamed["name"] == "Elbolaget AB"
    kept = api.call("DELETE", f"/payees/registered/{payee_id}")
    assert kept.status_code == 422 and kept.json()["code"] == "payee.has_scheduled"
    stranger = ApiClient()
    stranger.login(other_customer.id_number, other_customer.pin)
    assert stranger.call("DELETE", f"/payees/registered/{payee_id}").status_code == 404
    assert (
        stranger.call("PUT", f"/payees/registered/{payee_id}", {"name": "Mine"}).status_code == 404
    )
    assert Payee.objects.get(pk=payee_id).name == "Elbolaget AB"
