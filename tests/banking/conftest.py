"""Fixtures of the bank tests: a customer with two accounts and money, a token to sign with."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import Customer
from trygg.banking.models import Account
from trygg.banking.services import account_open, incoming_payment_book
from trygg.identity.models import TokenKind
from trygg.identity.signing import signing_complete_with_token
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.kernel.audit import SYSTEM


@pytest.fixture
def funded(customer: Customer) -> tuple[Customer, Account, Account]:
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto", kind="savings")
    incoming_payment_book(account=main, amount=Decimal("10000.00"), text="Lön")
    main.refresh_from_db()
    return customer, main, savings


def with_token(customer: Customer) -> None:
    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)


def sign(customer: Customer, order: Any) -> None:
    token = customer.party.security_tokens.get(state="active")
    signing_complete_with_token(
        ctx=SYSTEM, order=order, response=token_expected_response(token, order.challenge)
    )
