"""The chart of accounts: one module names every internal ledger account; the ledger opens
only the chart's accounts."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import trygg
from trygg.banking import chart
from trygg.banking.chart import CHART, LedgerAccount, in_chart
from trygg.banking.ledger import Leg, book, internal_account
from trygg.banking.models import Account, AccountKind, LedgerTransaction


def test_every_entry_has_its_own_number() -> None:
    numbers = [entry.number for entry in CHART]
    assert len(set(numbers)) == len(numbers)
    assert all(number.startswith("INT-") for number in numbers)
    assert len({entry.name for entry in CHART}) == len(CHART)


@pytest.mark.parametrize(
    ("entry", "known"),
    [
        (chart.PREMIUM_INCOME, True),
        (LedgerAccount("INT-PREMIUMS", "Premium income"), True),
        (LedgerAccount("INT-PREMIUMS", "Premiums"), False),  # a number under another name
        (LedgerAccount("INT-SUSPENSE", "Suspense account"), False),
    ],
)
def test_in_chart(entry: LedgerAccount, known: bool) -> None:
    assert in_chart(entry) is known


@pytest.mark.django_db
def test_the_ledger_opens_the_charts_accounts_once() -> None:
    first = internal_account(chart.CLAIMS_PAYABLE)
    again = internal_account(chart.CLAIMS_PAYABLE)
    assert first.pk == again.pk
    assert (first.number, first.name, first.kind) == (
        "INT-CLAIMS",
        "Claims paid (accident insurance)",
        AccountKind.INTERNAL,
    )
    book(
        kind="transfer",
        description="chart",
        party=None,
        legs=[
            Leg(internal_account(chart.FUNDING), Decimal("-1.00")),
            Leg(first, Decimal("1.00")),
        ],
    )
    assert Account.objects.get(number="INT-CLAIMS").balance == Decimal("1.00")


@pytest.mark.django_db
def test_the_ledger_refuses_an_account_outside_the_chart() -> None:
    with pytest.raises(ValueError, match="INT-SUSPENSE"):
        internal_account(LedgerAccount("INT-SUSPENSE", "Suspense account"))
    assert not Account.objects.filter(number="INT-SUSPENSE").exists()


def test_no_module_but_the_chart_names_an_internal_account() -> None:
    package = Path(trygg.__file__).parent
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.relative_to(package).as_posix() != "banking/chart.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"[\"']INT-", line)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_ledger_refuses_a_fraction_of_an_ore() -> None:
    """Three legs that add up to zero only before the database rounds them (0.005 + 0.005 -
    0.01) are refused, and nothing is booked."""
    funding = internal_account(chart.FUNDING)
    claims = internal_account(chart.CLAIMS_PAYABLE)
    clearing = internal_account(chart.OUTGOING_CLEARING)
    with pytest.raises(ValueError, match="whole öre"):
        book(
            kind="transfer",
            description="fractions",
            party=None,
            legs=[
                Leg(claims, Decimal("0.005")),
                Leg(clearing, Decimal("0.005")),
                Leg(funding, Decimal("-0.01")),
            ],
        )
    assert not LedgerTransaction.objects.filter(description="fractions").exists()
    assert Account.objects.get(pk=claims.pk).balance == 0
