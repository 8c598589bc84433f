"""Stock orders: placed with a signature only, cancelled while open, filled into the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from tests.banking.conftest import sign, with_token
from trygg.banking.models import Holding, LedgerTransaction, TradeState
from trygg.banking.services import holding_record
from trygg.banking.trading import TradeInput, trade_cancel, trade_fill, trade_place, trade_start
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed

ISIN = "SE0000108656"


def _order(main: Any, **changes: Any) -> TradeInput:
    data = {
        "account_id": main.pk,
        "isin": ISIN,
        "instrument": "Ericsson B",
        "side": "buy",
        "quantity": "10",
        "limit_price": "75.50",
    }
    data.update(changes)
    return TradeInput(**data)


@pytest.mark.django_db
def test_buy_is_signed_placed_and_filled(funded: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    data = _order(main)
    signing = trade_start(ctx=SYSTEM, person=customer.party, data=data)
    assert "Ericsson B" in signing.summary and ISIN in signing.summary
    with pytest.raises(ValidationFailed):  # not signed
        trade_place(ctx=SYSTEM, person=customer.party, signing_id=signing.public_id, data=data)
    sign(customer, signing)
    with pytest.raises(ValidationFailed) as exc:  # more shares than were signed for
        trade_place(
            ctx=SYSTEM,
            person=customer.party,
            signing_id=signing.public_id,
            data=_order(main, quantity="100"),
        )
    assert exc.value.code == "signing.mismatch"
    signing = trade_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, signing)
    order = trade_place(ctx=SYSTEM, person=customer.party, signing_id=signing.public_id, data=data)
    with pytest.raises(ValidationFailed):  # above the limit
        trade_fill(ctx=SYSTEM, order_id=order.pk, price=Decimal("80"))
    filled = trade_fill(ctx=SYSTEM, order_id=order.pk, price=Decimal("74.00"))
    assert filled.state == TradeState.FILLED
    main.refresh_from_db()
    assert main.balance == Decimal("9260.00")
    holding = Holding.objects.get(kind="share", identifier=ISIN)
    assert holding.units == 10 and holding.value == Decimal("740.00")
    for entry in LedgerTransaction.objects.all():
        assert entry.postings.aggregate(s=Sum("amount"))["s"] == 0
    with pytest.raises(ValidationFailed):
        trade_cancel(ctx=SYSTEM, person=customer.party, order_id=order.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("isin", "SE0000108657", "isin.invalid"),
        ("quantity", "0", "trade.quantity"),
        ("quantity", "1.5", "trade.quantity"),
        ("side", "short", "trade.side"),
        ("limit_price", "-1", "amount.positive"),
    ],
)
def test_bad_orders_are_refused_with_the_field(
    funded: Any, field: str, value: str, code: str
) -> None:
    customer, main, _savings = funded
    with pytest.raises(ValidationFailed) as exc:
        trade_start(ctx=SYSTEM, person=customer.party, data=_order(main, **{field: value}))
    assert (exc.value.problems[0].field, exc.value.problems[0].code) == (field, code)


@pytest.mark.django_db
def test_an_open_order_can_be_cancelled(funded: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    data = _order(main, side="sell")
    signing = trade_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, signing)
    order = trade_place(ctx=SYSTEM, person=customer.party, signing_id=signing.public_id, data=data)
    assert trade_cancel(ctx=SYSTEM, person=customer.party, order_id=order.pk).state == (
        TradeState.CANCELLED
    )


@pytest.mark.django_db
def test_a_holdings_value_is_rounded_half_up_to_ore(customer: Any) -> None:
    """10.125 kr is 10.13 kr (the one rounding rule), not the half-even 10.12 kr."""
    holding = holding_record(
        party=customer.party,
        kind="fund",
        name="Trygg Räntefond",
        identifier="SE0009876543",
        units=Decimal("1"),
        price=Decimal("10.1250"),
        valued_on=dt.date(2026, 11, 20),
    )
    holding.refresh_from_db()
    assert holding.value == Decimal("10.13")
