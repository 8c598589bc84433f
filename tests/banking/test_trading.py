"""Stock orders: placed with a signature only, cancelled while open, filled into the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from tests.banking.conftest import sign, with_token
from trygg.banking.models import Holding, LedgerTransaction, TradeOrder, TradeState
from trygg.banking.selectors import depot_of, instrument_quotes
from trygg.banking.services import holding_record
from trygg.banking.trading import (
    TradeInput,
    instrument_price_record,
    trade_cancel,
    trade_fill,
    trade_place,
    trade_start,
)
from trygg.identity.models import SigningOrder
from trygg.kernel import clock
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


def _shares(customer: Any, units: int) -> None:
    holding_record(
        party=customer.party,
        kind="share",
        name="Ericsson B",
        identifier=ISIN,
        units=Decimal(units),
        price=Decimal("75.00"),
        valued_on=dt.date(2026, 11, 20),
    )


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
    _shares(customer, 10)
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


@pytest.mark.django_db
def test_a_buy_beyond_the_available_balance_is_refused_before_signing(funded: Any) -> None:
    """10 000 kr on the account: 100 × 100 kr fits; once an open buy reserves 7 550 kr, another
    of 3 000 kr does not (available 2 450 kr), and no signing order is created."""
    customer, main, _savings = funded
    with_token(customer)
    exact = trade_start(
        ctx=SYSTEM, person=customer.party, data=_order(main, quantity="100", limit_price="100")
    )
    assert exact.public_id
    with pytest.raises(ValidationFailed) as exc:
        trade_start(
            ctx=SYSTEM,
            person=customer.party,
            data=_order(main, quantity="100", limit_price="100.01"),
        )
    assert (exc.value.problems[0].field, exc.value.problems[0].code) == (
        "quantity",
        "trade.no_cover",
    )
    data = _order(main, quantity="100", limit_price="75.50")
    signing = trade_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, signing)
    trade_place(ctx=SYSTEM, person=customer.party, signing_id=signing.public_id, data=data)
    orders_before = SigningOrder.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        trade_start(
            ctx=SYSTEM, person=customer.party, data=_order(main, quantity="30", limit_price="100")
        )
    assert exc.value.code == "trade.no_cover"
    assert SigningOrder.objects.count() == orders_before
    assert "täcker inte" in exc.value.message  # in the customer's language


@pytest.mark.django_db
def test_cover_is_checked_again_when_the_signed_order_is_placed(funded: Any) -> None:
    """Two orders signed side by side: the second no longer has cover when it is placed."""
    customer, main, _savings = funded
    with_token(customer)
    first = _order(main, quantity="100", limit_price="60")
    second = _order(main, quantity="100", limit_price="50")
    one = trade_start(ctx=SYSTEM, person=customer.party, data=first)
    two = trade_start(ctx=SYSTEM, person=customer.party, data=second)
    sign(customer, one)
    sign(customer, two)
    trade_place(ctx=SYSTEM, person=customer.party, signing_id=one.public_id, data=first)
    with pytest.raises(ValidationFailed) as exc:
        trade_place(ctx=SYSTEM, person=customer.party, signing_id=two.public_id, data=second)
    assert exc.value.code == "trade.no_cover"
    assert TradeOrder.objects.count() == 1


@pytest.mark.django_db
def test_a_sell_needs_the_units_less_those_in_open_sell_orders(funded: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    with pytest.raises(ValidationFailed) as exc:  # holds none
        trade_start(ctx=SYSTEM, person=customer.party, data=_order(main, side="sell"))
    assert (exc.value.problems[0].field, exc.value.problems[0].code) == (
        "quantity",
        "trade.no_holding",
    )
    _shares(customer, 15)
    data = _order(main, side="sell", quantity="10")
    signing = trade_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, signing)
    trade_place(ctx=SYSTEM, person=customer.party, signing_id=signing.public_id, data=data)
    trade_start(ctx=SYSTEM, person=customer.party, data=_order(main, side="sell", quantity="5"))
    with pytest.raises(ValidationFailed) as exc:  # 15 held, 10 in an open sell order
        trade_start(ctx=SYSTEM, person=customer.party, data=_order(main, side="sell", quantity="6"))
    assert exc.value.code == "trade.no_holding"


@pytest.mark.django_db
def test_a_listed_instrument_is_named_by_the_list_and_priced_in_the_depot(funded: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    for day, price in ((yesterday, "70.00"), (today, "77.00")):
        instrument_price_record(
            isin=ISIN, name="Ericsson B", kind="share", on=day, price=Decimal(price)
        )
    quotes = instrument_quotes()
    assert [(q.instrument.isin, q.price, q.change) for q in quotes] == [
        (ISIN, Decimal("77.0000"), Decimal("10.0"))
    ]
    data = _order(main, instrument="Something else", quantity="10", limit_price="77")
    signing = trade_start(ctx=SYSTEM, person=customer.party, data=data)
    assert "Ericsson B" in signing.summary and "Something else" not in signing.summary
    sign(customer, signing)
    order = trade_place(ctx=SYSTEM, person=customer.party, signing_id=signing.public_id, data=data)
    trade_fill(ctx=SYSTEM, order_id=order.pk, price=Decimal("77"))
    depot = depot_of(ctx=SYSTEM, person=customer.party)
    assert [(p.holding.identifier, p.value) for p in depot.positions] == [(ISIN, Decimal("770.00"))]
    assert depot.total == Decimal("770.00")
    assert [t.pk for t in depot.trades] == [order.pk]
    # Bought today: worth 10 × 77 kr at today's close, nothing held at yesterday's.
    assert depot.history == [(today, Decimal("770.00")), (yesterday, Decimal("0"))]
