"""Claims: reported within cover, decided with the calculator on the accident year's PBB, paid
once through the ledger; the decision letter; ``trygg benefit``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import Customer
from tests.insurance.conftest import underwriter
from trygg.banking.models import Account, LedgerTransaction
from trygg.claims.letters import decision_letter
from trygg.claims.models import ClaimState
from trygg.claims.services import (
    FactsInput,
    claim_decide,
    claim_pay,
    claim_reject,
    claim_report,
)
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def _report(customer: Customer, number: str, account: Account, day: dt.date) -> Any:
    return claim_report(
        ctx=SYSTEM,
        person=customer.party,
        policy_number=number,
        accident_date=day,
        description="Halkade på isen och bröt handleden.",
        payout_account=account.pk,
    )


def test_the_accident_date_must_fall_in_cover(insured: tuple[Customer, str, Account]) -> None:
    customer, number, account = insured
    with clock.business_date(dt.date(2027, 1, 20)):
        with pytest.raises(ValidationFailed) as refused:
            _report(customer, number, account, dt.date(2026, 11, 30))  # the policy starts 1 Dec
        assert refused.value.code == "claim.not_in_cover"
        assert refused.value.field == "accident_date"
        with pytest.raises(ValidationFailed) as future:
            _report(customer, number, account, dt.date(2027, 1, 21))
        assert future.value.code == "claim.future"
        claim = _report(customer, number, account, dt.date(2027, 1, 15))
    assert claim.state == ClaimState.REPORTED


def test_another_customer_cannot_report_on_the_policy(
    insured: tuple[Customer, str, Account], other_customer: Customer
) -> None:
    _customer, number, _account = insured
    with pytest.raises(NotFound):
        claim_report(
            ctx=SYSTEM,
            person=other_customer.party,
            policy_number=number,
            accident_date=dt.date(2026, 12, 5),
            description="x",
            payout_destination="6000-123456789",
        )


def test_decide_and_pay_once_through_the_ledger(insured: tuple[Customer, str, Account]) -> None:
    customer, number, account = insured
    with clock.business_date(dt.date(2027, 3, 1)):
        claim = _report(customer, number, account, dt.date(2027, 2, 10))
        handler = underwriter("handler")
        facts = FactsInput(
            medical_degree=10,
            occupational="none",
            hospital_nights=3,
            costs=[(dt.date(2027, 2, 11), Decimal("850"), "Akutbesök")],
            clothes_glasses=Decimal("20000"),
            pain_months=2,
        )
        with pytest.raises(ValidationFailed) as missing_pbb:
            claim_decide(ctx=SYSTEM, user=handler, claim_id=claim.pk, facts=facts)
        assert missing_pbb.value.code == "pbb.missing"  # 2027's PBB is not in the table yet
        from trygg.insurance.models import PriceBaseAmount
        from trygg.insurance.tariffs import catalogue_forget

        PriceBaseAmount.objects.create(year=2027, amount=Decimal("60000"))
        catalogue_forget()
        claim = claim_decide(ctx=SYSTEM, user=handler, claim_id=claim.pk, facts=facts)
    lines = {line["item"]: Decimal(line["amount"]) for line in claim.lines}
    # Level 20 with the accident year's PBB: base 1 200 000; 10 % of it.
    assert lines["medical_disability"] == Decimal("120000.00")
    assert lines["acute_care"] == Decimal("500.00")
    assert lines["hospital"] == Decimal("600.00")
    assert lines["costs"] == Decimal("850.00")
    assert lines["clothes_glasses"] == Decimal("15000.00")  # capped at 0.25 × 60 000
    assert lines["pain_suffering"] == Decimal("3800.00")
    assert claim.pbb_year == 2027 and claim.total == sum(lines.values())
    assert decision_letter(claim, on=dt.date(2027, 3, 1)).startswith(b"%PDF")
    paid = claim_pay(ctx=SYSTEM, claim_id=claim.pk)
    again = claim_pay(ctx=SYSTEM, claim_id=claim.pk)
    assert paid.state == again.state == ClaimState.PAID
    assert LedgerTransaction.objects.filter(kind="claim_payout").count() == 1
    account.refresh_from_db()
    assert account.balance == claim.total
    entry = LedgerTransaction.objects.get(kind="claim_payout")
    assert sum(p.amount for p in entry.postings.all()) == 0
    with pytest.raises(ValidationFailed):
        claim_reject(ctx=SYSTEM, user=handler, claim_id=claim.pk, reason="Fel")


def test_benefit_command(insured: tuple[Customer, str, Account]) -> None:
    customer, number, account = insured
    with clock.business_date(dt.date(2026, 12, 20)):
        claim = _report(customer, number, account, dt.date(2026, 12, 10))
    out = StringIO()
    call_command(
        "benefit", claim.number, "--degree", "50", "--occupational", "half", "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["pbb_year"] == 2026 and result["level"] == 20
    # 50 % × 2 × (20 × 59 200) = 1 184 000, higher than the occupational 1 × base.
    assert result["total"] == "1184000.00"
    with pytest.raises(CommandError, match="degree"):
        call_command("benefit", claim.number, "--degree", "120")
