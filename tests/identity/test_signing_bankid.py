"""Signing an order with BankID (against the simulator): the app shows what is signed, the
order's hash travels with it, and only the customer's own BankID signs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import Customer
from trygg.identity.models import SigningState
from trygg.identity.sca import Function
from trygg.identity.signing import (
    SigningRequest,
    signed_execution,
    signing_collect_bankid,
    signing_start,
    signing_start_bankid,
)
from trygg.kernel.audit import SYSTEM
from trygg.simulators.bankid import make_server

REQUEST = SigningRequest(
    function=Function.PAYMENT_NEW_ACCOUNT,
    payload={"amount": "1500.00", "to": "bankgiro:50501055", "from": "9020-10000013"},
    summary="Betala 1500.00 kr till bankgiro 5050-1055 från 9020-10000013",
    amount_minor=150000,
    payee="bankgiro:50501055",
)


@pytest.fixture
def simulator(settings: Any) -> Iterator[httpx.Client]:
    server = make_server("127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRYGG_BANKID_URL = server.base_url
    with httpx.Client(base_url=server.base_url, timeout=5) as control:
        yield control
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_payment_signed_with_bankid(simulator: httpx.Client, customer: Customer) -> None:
    order = signing_start(
        ctx=SYSTEM, signer=customer.party, acting_for=customer.party, request=REQUEST
    )
    pending = signing_start_bankid(ctx=SYSTEM, order=order, end_user_ip="127.0.0.1")
    shown = simulator.get(f"/sim/orders/{pending.order_ref}").json()
    assert "1500.00" in str(shown) and "5050-1055" in str(shown)  # the app shows what is signed
    state, _message = signing_collect_bankid(ctx=SYSTEM, order=order, pending=pending)
    assert state == "pending"
    simulator.post(f"/sim/orders/{pending.order_ref}/scan")
    simulator.post(f"/sim/orders/{pending.order_ref}/complete", json={})
    state, _message = signing_collect_bankid(ctx=SYSTEM, order=order, pending=pending)
    assert state == "signed"
    order.refresh_from_db()
    assert order.state == SigningState.SIGNED and order.method == "bankid"
    assert order.evidence["signature"]
    with signed_execution(
        ctx=SYSTEM,
        public_id=order.public_id,
        signer=customer.party,
        function=REQUEST.function,
        payload=REQUEST.payload,
    ) as used:
        assert used.state == SigningState.USED


@pytest.mark.django_db
def test_a_cancelled_bankid_signature_signs_nothing(
    simulator: httpx.Client, customer: Customer
) -> None:
    order = signing_start(
        ctx=SYSTEM, signer=customer.party, acting_for=customer.party, request=REQUEST
    )
    pending = signing_start_bankid(ctx=SYSTEM, order=order, end_user_ip="127.0.0.1")
    simulator.post(f"/sim/orders/{pending.order_ref}/fail", json={"hintCode": "userCancel"})
    state, message = signing_collect_bankid(ctx=SYSTEM, order=order, pending=pending)
    assert state == "failed" and message
    order.refresh_from_db()
    assert order.state == SigningState.PENDING
