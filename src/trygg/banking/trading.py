"""Stock orders: placed only with a signature over instrument, side, quantity and limit
(the seed's second list); cancelled while not filled; filled by the market, which this issue
simulates in the demo. A fill books the cash in the ledger and the shares as a holding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _
from stdnum import isin as stdnum_isin

from trygg.banking import chart, rules
from trygg.banking.ledger import Leg, book, internal_account
from trygg.banking.models import (
    Account,
    Holding,
    HoldingKind,
    Instrument,
    InstrumentPrice,
    TradeOrder,
    TradeSide,
    TradeState,
)
from trygg.banking.rules import RuleError, parse_amount
from trygg.banking.services import own_account, rule_problem
from trygg.identity.models import SigningOrder
from trygg.identity.sca import Function
from trygg.identity.signing import SigningRequest, signed_execution, signing_start
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.money import round_amount
from trygg.kernel.numbertext import money_text
from trygg.kernel.validation import Problems, clean_text
from trygg.parties.models import Party


@dataclass(frozen=True)
class TradeInput:
    account_id: object
    isin: str
    instrument: str
    side: str
    quantity: object
    limit_price: object


def _trade(person: Party, data: TradeInput) -> tuple[dict[str, str], int, Decimal]:
    problems = Problems()
    code = (data.isin or "").strip().upper() if isinstance(data.isin, str) else ""
    if not stdnum_isin.is_valid(code):
        problems.add("isin", "isin.invalid", _("Give a valid ISIN, e.g. SE0000108656."))
    listed = Instrument.objects.filter(isin=code).first() if code else None
    # A listed instrument is named by the list; another is named by the customer.
    name = (
        listed.name
        if listed is not None
        else clean_text(problems, "instrument", data.instrument, max_length=60)
    )
    if data.side not in (TradeSide.BUY, TradeSide.SELL):
        problems.add("side", "trade.side", _("Choose buy or sell."))
    quantity = data.quantity if isinstance(data.quantity, int) else None
    if (
        isinstance(data.quantity, str)
        and data.quantity.strip().isascii()
        and data.quantity.strip().isdigit()
    ):
        quantity = int(data.quantity.strip())
    if quantity is None or quantity <= 0 or quantity > 1_000_000:
        problems.add("quantity", "trade.quantity", _("Give a whole number of shares, 1 or more."))
    limit = Decimal(0)
    try:
        limit = parse_amount(data.limit_price)
    except RuleError as error:
        rule_problem(problems, "limit_price", error)
    problems.raise_if_any()
    assert quantity is not None
    account = own_account(person, data.account_id, "account_id")
    payload = {
        "account": account.number,
        "isin": code,
        "instrument": name,
        "side": data.side,
        "quantity": str(quantity),
        "limit": str(limit),
    }
    return payload, quantity, limit


def _open_buys(account: Account) -> Decimal:
    """What the account's open buy orders reserve (quantity at limit, plus the fee)."""
    total = Decimal(0)
    for quantity, limit in TradeOrder.objects.filter(
        account=account, side=TradeSide.BUY, state=TradeState.PLACED
    ).values_list("quantity", "limit_price"):
        total += rules.buy_cover(quantity=quantity, limit=limit)
    return total


def trade_cover_check(
    *, person: Party, account: Account, side: str, isin: str, quantity: int, limit: Decimal
) -> None:
    """The cover check before signing and again before placing: a buy needs the account's
    available balance (its balance less its open buy orders) to cover quantity at the limit;
    a sell needs the units held, less those in open sell orders."""
    try:
        if side == TradeSide.BUY:
            rules.check_buy_cover(
                available=account.balance - _open_buys(account), quantity=quantity, limit=limit
            )
        else:
            held = Holding.objects.filter(
                party=person, kind=HoldingKind.SHARE, identifier=isin
            ).aggregate(units=Sum(F("units")))["units"] or Decimal(0)
            open_sells = (
                TradeOrder.objects.filter(
                    party=person, isin=isin, side=TradeSide.SELL, state=TradeState.PLACED
                ).aggregate(q=Sum("quantity"))["q"]
                or 0
            )
            rules.check_sell_cover(held=held, open_sells=open_sells, quantity=quantity)
    except RuleError as error:
        problems = Problems()
        rule_problem(problems, "quantity", error)
        problems.raise_if_any()


def trade_start(*, ctx: AuditContext, person: Party, data: TradeInput) -> SigningOrder:
    payload, quantity, limit = _trade(person, data)
    trade_cover_check(
        person=person,
        account=own_account(person, data.account_id, "account_id"),
        side=payload["side"],
        isin=payload["isin"],
        quantity=quantity,
        limit=limit,
    )
    verb = _("Buy") if payload["side"] == TradeSide.BUY else _("Sell")
    summary = _(
        "%(verb)s %(quantity)s %(instrument)s (%(isin)s) at %(limit)s or better, "
        "account %(account)s"
    ) % {
        "verb": verb,
        "quantity": quantity,
        "instrument": payload["instrument"],
        "isin": payload["isin"],
        "limit": money_text(limit),
        "account": payload["account"],
    }
    return signing_start(
        ctx=ctx,
        signer=person,
        acting_for=person,
        request=SigningRequest(
            function=Function.STOCK_TRADE,
            payload=payload,
            summary=summary,
            amount_minor=int(limit * quantity * 100),
            payee=payload["isin"],
        ),
    )


def trade_place(
    *, ctx: AuditContext, person: Party, signing_id: str, data: TradeInput
) -> TradeOrder:
    payload, quantity, limit = _trade(person, data)
    account = own_account(person, data.account_id, "account_id")
    with signed_execution(
        ctx=ctx, public_id=signing_id, signer=person, function=Function.STOCK_TRADE, payload=payload
    ):
        # Checked again under the account's lock: another order may have been placed since.
        account = Account.objects.select_for_update().get(pk=account.pk)
        trade_cover_check(
            person=person,
            account=account,
            side=payload["side"],
            isin=payload["isin"],
            quantity=quantity,
            limit=limit,
        )
        order = TradeOrder.objects.create(
            party=person,
            account=account,
            isin=payload["isin"],
            instrument=payload["instrument"],
            side=payload["side"],
            quantity=quantity,
            limit_price=limit,
            signing_id=signing_id,
            placed_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=person.pk,
            object_type="trade_order",
            object_id=order.pk,
        )
    return order


def trade_cancel(*, ctx: AuditContext, person: Party, order_id: int) -> TradeOrder:
    with transaction.atomic():
        order = TradeOrder.objects.select_for_update().filter(pk=order_id, party=person).first()
        if order is None:
            raise NotFound(_("No such order among yours."), code="trade.not_found")
        if order.state != TradeState.PLACED:
            raise ValidationFailed(
                code="trade.not_open",
                field="order",
                message=_("Only an order that is not filled can be cancelled."),
            )
        order.state = TradeState.CANCELLED
        order.closed_at = clock.now()
        order.save(update_fields=["state", "closed_at"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=person.pk,
            object_type="trade_order",
            object_id=order.pk,
            detail={"to": "cancelled"},
        )
    return order


def trade_fill(*, ctx: AuditContext, order_id: int, price: Decimal) -> TradeOrder:
    """The market filled the order at ``price`` (within the limit): cash and shares booked."""
    with transaction.atomic():
        order = TradeOrder.objects.select_for_update().select_related("account").get(pk=order_id)
        if order.state != TradeState.PLACED:
            raise ValidationFailed(
                code="trade.not_open", field="order", message=_("The order is no longer open.")
            )
        buying = order.side == TradeSide.BUY
        if (buying and price > order.limit_price) or (not buying and price < order.limit_price):
            raise ValidationFailed(
                code="trade.outside_limit",
                field="price",
                message=_("The price is outside the order's limit."),
            )
        cash = round_amount(price * order.quantity, order.account.currency)
        settlement = internal_account(chart.SECURITIES_SETTLEMENT)
        sign = -1 if buying else 1
        book(
            kind="trade",
            description=f"{order.side} {order.quantity} {order.isin}",
            party=order.party,
            legs=[
                Leg(order.account, sign * cash, order.instrument),
                Leg(settlement, -sign * cash, order.isin),
            ],
        )
        holding = (
            Holding.objects.select_for_update()
            .filter(party=order.party, kind=HoldingKind.SHARE, identifier=order.isin)
            .first()
        )
        units = (holding.units if holding else Decimal(0)) + (
            order.quantity if buying else -order.quantity
        )
        if units < 0:
            raise ValidationFailed(
                code="trade.no_shares",
                field="quantity",
                message=_("You do not hold that many shares."),
            )
        Holding.objects.update_or_create(
            party=order.party,
            kind=HoldingKind.SHARE,
            identifier=order.isin,
            defaults={
                "name": order.instrument,
                "units": units,
                "price": price,
                "value": round_amount(units * price, order.account.currency),
                "valued_on": clock.today(),
            },
        )
        order.state = TradeState.FILLED
        order.fill_price = price
        order.closed_at = clock.now()
        order.save(update_fields=["state", "fill_price", "closed_at"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=order.party_id,
            object_type="trade_order",
            object_id=order.pk,
            detail={"to": "filled"},
        )
    return order


def instrument_price_record(
    *, isin: str, name: str, kind: str, on: dt.date, price: Decimal
) -> InstrumentPrice:
    """Record an instrument's closing price of a day, as the market data feed reports it (the
    instrument is listed on its first price); a second report of the day replaces the first."""
    if not stdnum_isin.is_valid(isin):
        raise ValueError(f"not an ISIN: {isin}")
    if price <= 0:
        raise ValueError("a price is more than zero")
    with transaction.atomic():
        instrument, _created = Instrument.objects.update_or_create(
            isin=isin, defaults={"name": name, "kind": kind}
        )
        row, _created = InstrumentPrice.objects.update_or_create(
            instrument=instrument, on=on, defaults={"price": price}
        )
    return row
