"""Fixtures of the billing tests: a customer with an accident policy from 1 December 2026 paid
monthly, an autogiro mandate, and the Bankgirot exchange directory under tmp_path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.banking.conftest import with_token
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, online_input
from trygg.billing.mandates import MandateInput, PolicyChoice, mandate_register
from trygg.billing.models import Mandate
from trygg.billing.runs import RunResult, billing_run
from trygg.insurance.models import Policy
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM


@dataclass
class Payer:
    customer: Customer
    policy: Policy

    @property
    def nordea_account(self) -> str:
        """A Nordea personal account: clearing 3300 and the personal number's last 10 digits."""
        return f"3300-{self.customer.id_number[2:]}"

    def mandate_input(self, **changes: Any) -> MandateInput:
        values: dict[str, Any] = {
            "payer_id_number": self.customer.id_number,
            "account": self.nordea_account,
            "bank": "Nordea",
            "policies": [PolicyChoice(self.policy.number, "monthly")],
        }
        values.update(changes)
        return MandateInput(**values)


@pytest.fixture
def exchange(tmp_path: Path, settings: Any) -> Path:
    settings.TRYGG_BANKGIROT_DIR = tmp_path / "bankgirot"
    return tmp_path / "bankgirot"


@pytest.fixture
def payer(customer: Customer, frozen: Any, exchange: Path) -> Payer:
    with_token(customer)
    policy = apply_online(customer, online_input(customer, level=30)).policy
    assert policy is not None
    return Payer(customer, policy)


def register(payer: Payer) -> Mandate:
    return mandate_register(ctx=SYSTEM, data=payer.mandate_input())


def run_on(day: dt.date) -> RunResult:
    with clock.business_date(day):
        return billing_run(ctx=SYSTEM, on=day)
