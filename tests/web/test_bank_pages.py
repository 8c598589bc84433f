"""The bank in the portal: own transfer without token, payment to a new account signed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Customer, csrf_of, portal_login
from trygg.banking.models import Account, Payment
from trygg.banking.services import account_open, incoming_payment_book
from trygg.identity.models import TokenKind
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.kernel.audit import SYSTEM


def _through_review(client: Client, response: Any) -> Any:
    """The payment form leads to its review page; confirming there goes on."""
    review = response["Location"]
    assert review.startswith("/bank/pay/review/")
    assert client.get(review).status_code == 200
    return client.post(review, {"csrfmiddlewaretoken": csrf_of(client)})


@pytest.fixture
def banked(customer: Customer) -> tuple[Customer, Account, Account]:
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("10000"), text="Lön")
    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    return customer, main, savings


@pytest.mark.django_db
def test_pin_session_transfers_between_own_accounts(
    banked: tuple[Customer, Account, Account],
) -> None:
    customer, main, savings = banked
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    page = client.get("/bank/transfer/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert key
    form = {
        "from_account": main.pk,
        "to_account": savings.pk,
        "amount": "1200,00",
        "message": "Spara",
        "idempotency_key": key.group(1),
        "csrfmiddlewaretoken": csrf_of(client),
    }
    assert client.post("/bank/transfer/", form)["Location"] == "/bank/"
    assert client.post("/bank/transfer/", form)["Location"] == "/bank/"  # a double click
    savings.refresh_from_db()
    assert savings.balance == Decimal("1200.00")
    assert "1\u00a0200,00\u00a0kr" in client.get("/bank/").content.decode()  # the one format


@pytest.mark.django_db
def test_payment_to_a_new_account_asks_for_the_token(
    banked: tuple[Customer, Account, Account],
) -> None:
    customer, main, _savings = banked
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    client.get("/bank/pay/")
    response = client.post(
        "/bank/pay/",
        {
            "from_account": main.pk,
            "kind": "bankgiro",
            "number": "5050-1055",
            "amount": "845",
            "message": "Faktura 77",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    sign_url = _through_review(client, response)["Location"]
    assert sign_url.startswith("/bank/sign/")
    page = client.get(sign_url).content.decode()
    assert "845" in page and "5050-1055" in page  # what is signed is shown
    challenge = re.search(r'id="challenge">(\d+)<', page)
    assert challenge
    wrong = client.post(sign_url, {"response": "00000001", "csrfmiddlewaretoken": csrf_of(client)})
    assert wrong.status_code == 422 and not Payment.objects.exists()
    token = customer.party.security_tokens.get(state="active")
    done = client.post(
        sign_url,
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    payment = Payment.objects.get()
    assert done["Location"] == f"/bank/payments/{payment.pk}/"
    assert (payment.amount, payment.destination_number) == (Decimal("845.00"), "50501055")
    main.refresh_from_db()
    assert main.balance == Decimal("9155.00")


@pytest.mark.django_db
def test_bad_payment_input_names_the_fields(banked: tuple[Customer, Account, Account]) -> None:
    customer, main, _savings = banked
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    client.get("/bank/pay/")
    response = client.post(
        "/bank/pay/",
        {
            "from_account": main.pk,
            "kind": "bankgiro",
            "number": "5050-1056",
            "amount": "-3",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_number-error"' in html and 'id="id_amount-error"' in html


@pytest.mark.django_db
def test_another_customers_account_page_is_not_found(
    banked: tuple[Customer, Account, Account], other_customer: Customer
) -> None:
    _customer, main, _savings = banked
    client = Client()
    portal_login(client, other_customer.id_number, other_customer.pin)
    assert client.get(f"/bank/accounts/{main.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["qr", "device"])
def test_payment_signed_with_bankid_in_the_portal(
    banked: tuple[Customer, Account, Account], settings: Any, mode: str
) -> None:
    import threading

    import httpx

    from trygg.simulators.bankid import make_server

    server = make_server("127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRYGG_BANKID_URL = server.base_url
    try:
        customer, main, _savings = banked
        client = Client(enforce_csrf_checks=True)
        portal_login(client, customer.id_number, customer.pin)
        client.get("/bank/pay/")
        sign_url = _through_review(
            client,
            client.post(
                "/bank/pay/",
                {
                    "from_account": main.pk,
                    "kind": "plusgiro",
                    "number": "900203-1",
                    "amount": "120",
                    "csrfmiddlewaretoken": csrf_of(client),
                },
            ),
        )["Location"]
        page = client.post(
            sign_url + "bankid/", {"mode": mode, "csrfmiddlewaretoken": csrf_of(client)}
        ).content.decode()
        token = client.session["trygg.signing_bankid"]["auto_start_token"]
        launch = f"bankid:///?autostarttoken={token}&amp;redirect=null"
        if mode == "device":  # the app on this device opens from the autostart token
            assert launch in page and "<svg" not in page
        else:  # a phone scans the animated QR code
            assert "<svg" in page and launch not in page
        assert 'id="signed-text"' in page
        order_ref = client.session["trygg.signing_bankid"]["order_ref"]
        with httpx.Client(base_url=server.base_url) as control:
            control.post(f"/sim/orders/{order_ref}/scan")
            control.post(f"/sim/orders/{order_ref}/complete", json={})
        done = client.post(
            sign_url + "bankid/collect/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=csrf_of(client)
        )
        payment = Payment.objects.get()
        assert done.status_code == 204 and done["HX-Redirect"] == f"/bank/payments/{payment.pk}/"
        assert payment.amount == Decimal("120.00") and payment.destination_kind == "plusgiro"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
def test_register_a_payee_with_the_token_then_pay_without(
    banked: tuple[Customer, Account, Account],
) -> None:
    customer, main, _savings = banked
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    client.get("/bank/payees/")
    sign_url = client.post(
        "/bank/payees/",
        {
            "name": "Elbolaget",
            "kind": "bankgiro",
            "number": "5050-1055",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )["Location"]
    page = client.get(sign_url).content.decode()
    challenge = re.search(r'id="challenge">(\d+)<', page)
    assert challenge and "Elbolaget" in page
    token = customer.party.security_tokens.get(state="active")
    done = client.post(
        sign_url,
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert done["Location"] == "/bank/payees/"
    payee_id = customer.party.payees.get().pk
    assert client.get(f"/bank/payees/{payee_id}/pay/").status_code == 200
    form = {"from_account": main.pk, "amount": "300", "csrfmiddlewaretoken": csrf_of(client)}
    review = client.post(f"/bank/payees/{payee_id}/pay/", form)["Location"]
    page = client.get(review).content.decode()
    assert "Elbolaget" in page and "5050-1055" in page and "300,00" in page
    paid = client.post(review, {"csrfmiddlewaretoken": csrf_of(client)})
    payment = Payment.objects.get()
    assert paid["Location"] == f"/bank/payments/{payment.pk}/"
    assert client.post(review, {"csrfmiddlewaretoken": csrf_of(client)})["Location"] == "/bank/"
    assert Payment.objects.count() == 1  # the review is confirmed once
    main.refresh_from_db()
    assert main.balance == Decimal("9700.00")


@pytest.mark.django_db
def test_autogiro_registration_signed_in_the_portal(
    banked: tuple[Customer, Account, Account],
) -> None:
    from trygg.banking.models import Registration

    customer, main, _savings = banked
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    client.get("/bank/registrations/")
    sign_url = client.post(
        "/bank/registrations/",
        {
            "kind": "autogiro",
            "biller_name": "Trygg Försäkring",
            "biller_bankgiro": "5050-1055",
            "payer_reference": "1000017",
            "account": main.pk,
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )["Location"]
    page = client.get(sign_url).content.decode()
    challenge = re.search(r'id="challenge">(\d+)<', page)
    # The summary names the account as the form did; the signed payload holds its number.
    assert challenge and main.name in page and main.number not in page
    token = customer.party.security_tokens.get(state="active")
    done = client.post(
        sign_url,
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert done["Location"] == "/bank/registrations/"
    registration = Registration.objects.get()
    assert (registration.kind, registration.account_id, registration.state) == (
        "autogiro",
        main.pk,
        "requested",
    )


@pytest.mark.django_db
def test_stock_order_signed_in_the_portal_then_filled_by_the_demo_market(
    banked: tuple[Customer, Account, Account],
) -> None:
    from django.core.management import call_command

    from trygg.banking.models import TradeOrder
    from trygg.banking.trading import instrument_price_record
    from trygg.kernel import clock

    instrument_price_record(
        isin="SE0000108656",
        name="Ericsson B",
        kind="share",
        on=clock.today(),
        price=Decimal("75.10"),
    )
    customer, main, _savings = banked
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    client.get("/bank/trade/")
    sign_url = client.post(
        "/bank/trade/",
        {
            "account": main.pk,
            "side": "buy",
            "isin": "SE0000108656",
            "instrument": "Ericsson B",
            "quantity": "10",
            "limit_price": "75,50",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )["Location"]
    page = client.get(sign_url).content.decode()
    challenge = re.search(r'id="challenge">(\d+)<', page)
    assert challenge and "Ericsson B" in page
    token = customer.party.security_tokens.get(state="active")
    done = client.post(
        sign_url,
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert done["Location"] == "/bank/trade/"
    call_command("trading", "fill", stdout=__import__("io").StringIO())
    order = TradeOrder.objects.get()
    assert order.state == "filled" and order.fill_price == Decimal("75.50")
    main.refresh_from_db()
    assert main.balance == Decimal("9245.00")
