"""Three months of premium billing played day by day through the real run, the local Bankgirot
simulator answering the files trygg writes, and the real import of its answers: the mandate is
created, December's debit meets a renewed balance check and then lack of funds and is paid on
trygg's retry, January's fails twice and is carried with the fee into February's debit under
§ 2 (B), and February's is paid. Every payment is booked once; the ledger balances. The suite
runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from tests.billing.conftest import Payer, register
from trygg.banking.models import Account, Posting
from trygg.billing.models import BankgirotFile, Charge, Mandate, Notice
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.web.demo_billing import play_days

pytestmark = pytest.mark.django_db


def _play(root: Path, first: dt.date, last: dt.date) -> None:
    refused = play_days(SYSTEM, root, first, last)
    assert not refused, refused


def test_three_months_with_failures_retries_and_rule_b(payer: Payer, exchange: Path) -> None:
    with clock.business_date(dt.date(2026, 11, 23)):
        mandate = register(payer)
    exchange.mkdir(parents=True, exist_ok=True)
    (exchange / "scenario.json").write_text(
        json.dumps(
            {
                "payments": {
                    mandate.payer_number: [
                        "renewed_balance_check",  # December, 1st attempt: checked again
                        "insufficient_funds",  # ... the next bank day: not paid
                        "approved",  # December, trygg's second order: paid
                        "insufficient_funds",  # January, 1st order
                        "insufficient_funds",  # January, second order: § 2 (B)
                        "approved",  # February with January's premium and the fee
                    ]
                }
            }
        ),
        encoding="utf-8",
    )
    _play(exchange, dt.date(2026, 11, 23), dt.date(2027, 2, 10))

    mandate.refresh_from_db()
    assert mandate.state == "active" and mandate.active_from is not None
    charges = {c.period_start: c for c in Charge.objects.filter(policy=payer.policy)}
    dec = charges[dt.date(2026, 12, 1)]
    jan = charges[dt.date(2027, 1, 1)]
    feb = charges[dt.date(2027, 2, 1)]
    assert (dec.state, dec.attempts) == ("paid", 2)
    assert dec.settled_on is not None and dec.settled_on > dec.due_date
    assert jan.state == "carried"
    assert feb.state == "paid"
    assert feb.carried == jan.amount and feb.fee == Decimal("25.00")
    assert feb.amount == feb.premium + jan.amount + Decimal("25.00")
    # February's payment plan told the payer the new amount before it was debited.
    notice = Notice.objects.filter(kind="plan", charges=feb).get()
    assert notice.sent_on is not None and feb.order_date is not None
    assert notice.sent_on < feb.order_date

    # Booked once each: the premium income is what was paid, and the whole ledger balances.
    paid = Charge.objects.filter(policy=payer.policy, state="paid").aggregate(s=Sum("amount"))["s"]
    income = Account.objects.get(number="INT-PREMIUMS")
    assert -income.balance == paid == dec.amount + feb.amount
    assert Posting.objects.aggregate(s=Sum("amount"))["s"] == 0
    # Playing the same days again (the files are all there) changes nothing.
    files = BankgirotFile.objects.count()
    _play(exchange, dt.date(2027, 1, 1), dt.date(2027, 2, 10))
    assert BankgirotFile.objects.count() == files
    income.refresh_from_db()
    assert -income.balance == paid
    assert Mandate.objects.get(pk=mandate.pk).state == "active"
