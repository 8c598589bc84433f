"""Signing for every token: a time-code token (no challenge) signs the orders that move no money
to a payee with its current code, once per code; a payment or a new payee is refused with words
that lead to BankID, and the signing page says so before anything is typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Customer, portal_login
from trygg.banking.services import (
    NewPaymentInput,
    account_open,
    incoming_payment_book,
    payment_new_start,
)
from trygg.banking.trading import TradeInput, trade_start
from trygg.identity.models import SigningState, TokenKind
from trygg.identity.otp.totp import totp_now
from trygg.identity.signing import signing_complete_with_token
from trygg.identity.tokens import token_dispatch, token_hand_over, token_order, token_seed_b32
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _time_code_token(customer: Customer) -> Any:
    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.TOTP)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    token.refresh_from_db()
    return token


def _account(customer: Customer) -> Any:
    account = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    incoming_payment_book(account=account, amount=Decimal("5000"), text="Lön")
    return account


def _trade(customer: Customer, account: Any) -> Any:
    data = TradeInput(account.pk, "SE0000108656", "Ericsson B", "buy", "2", "50")
    return trade_start(ctx=SYSTEM, person=customer.party, data=data)


def _payment(customer: Customer, account: Any) -> Any:
    data = NewPaymentInput(account.pk, "bankgiro", "5050-1055", "100", "Faktura 12")
    return payment_new_start(ctx=SYSTEM, person=customer.party, data=data)


def test_a_time_code_signs_a_stock_order_once(customer: Customer, frozen: Any) -> None:
    token = _time_code_token(customer)
    account = _account(customer)
    order = _trade(customer, account)
    code = totp_now(token_seed_b32(token), at=clock.now())
    signed = signing_complete_with_token(ctx=SYSTEM, order=order, response=code)
    assert signed.state == SigningState.SIGNED and signed.evidence["kind"] == "totp"
    again = _trade(customer, account)
    with pytest.raises(ValidationFailed) as refused:
        signing_complete_with_token(ctx=SYSTEM, order=again, response=code)
    assert refused.value.code == "signing.wrong_code"
    again.refresh_from_db()
    assert again.state == SigningState.PENDING


def test_a_time_code_cannot_sign_a_payment_and_says_to_use_bankid(
    customer: Customer, frozen: Any
) -> None:
    token = _time_code_token(customer)
    order = _payment(customer, _account(customer))
    code = totp_now(token_seed_b32(token), at=clock.now())
    with pytest.raises(ValidationFailed) as refused:
        signing_complete_with_token(ctx=SYSTEM, order=order, response=code)
    assert refused.value.code == "signing.time_code_not_enough"
    assert "BankID" in str(refused.value.message)
    order.refresh_from_db()
    assert order.state == SigningState.PENDING


def test_the_signing_page_leads_a_time_code_token_to_a_way_that_works(
    customer: Customer,
) -> None:
    _time_code_token(customer)
    account = _account(customer)
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    payment = client.get(f"/bank/sign/{_payment(customer, account).public_id}/")
    html = payment.content.decode()
    assert payment.status_code == 200
    assert 'id="time-code-info"' in html and 'id="challenge"' not in html
    assert 'name="response"' not in html and "BankID" in html
    trade = client.get(f"/bank/sign/{_trade(customer, account).public_id}/").content.decode()
    assert 'id="time-code-info"' in trade and 'id="challenge"' not in trade
    assert 'name="response"' in trade
