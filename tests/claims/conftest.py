"""A customer with an accident insurance and an account to be paid to."""

from __future__ import annotations

from typing import Any

import pytest

from tests.banking.conftest import with_token
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, online_input
from trygg.banking.models import Account
from trygg.banking.services import account_open
from trygg.kernel.audit import SYSTEM


@pytest.fixture
def insured(customer: Customer, frozen: Any) -> tuple[Customer, str, Account]:
    with_token(customer)
    policy = apply_online(customer, online_input(customer, level=20)).policy
    assert policy is not None
    account = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    return customer, policy.number, account
