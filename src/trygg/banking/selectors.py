"""Reads of banking data for views and APIs (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from trygg.banking.models import (
    Account,
    Holding,
    HoldingKind,
    Instrument,
    InstrumentPrice,
    Payee,
    Payment,
    PaymentState,
    Posting,
    Registration,
    TradeOrder,
    TradeState,
)
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound
from trygg.kernel.models import AuditAction
from trygg.kernel.money import at_scale, round_amount
from trygg.parties.models import Party
from trygg.parties.selectors import accessible_parties, data_subject_of


def accounts_of(*, ctx: AuditContext, person: Party) -> list[Account]:
    parties = accessible_parties(person)
    accounts = list(
        Account.objects.filter(party__in=parties)
        .select_related("party")
        .order_by("party_id", "number")
    )
    for party in parties:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=data_subject_of(party),
            object_type="accounts",
            object_id=party.pk,
        )
    return accounts


def account_postings(
    *, ctx: AuditContext, person: Party, account_id: int, limit: int = 50
) -> tuple[Account, list[Posting]]:
    parties = [p.pk for p in accessible_parties(person)]
    account = Account.objects.filter(pk=account_id, party_id__in=parties).first()
    if account is None:
        raise NotFound(_("No such account among yours."), code="account.not_found")
    postings = list(
        Posting.objects.filter(account=account)
        .select_related("transaction", "transaction__payment")
        .order_by("-id")[:limit]
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type="account_transactions",
        object_id=account.pk,
    )
    return account, postings


def payees_of(*, ctx: AuditContext, person: Party) -> list[Payee]:
    payees = list(Payee.objects.filter(party=person).order_by("name"))
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type="payees",
        object_id=person.pk,
    )
    return payees


def holdings_of(*, ctx: AuditContext, person: Party, kind: str) -> list[Holding]:
    """The person's (and their firms') fund or life & pension holdings (an audited read)."""
    parties = accessible_parties(person)
    rows = list(Holding.objects.filter(party__in=parties, kind=kind).order_by("name"))
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type=f"holdings_{kind}",
        object_id=person.pk,
    )
    return rows


def registrations_of(*, ctx: AuditContext, person: Party) -> list[Registration]:
    rows = list(
        Registration.objects.filter(party=person).select_related("account").order_by("-created_at")
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type="registrations",
        object_id=person.pk,
    )
    return rows


def trade_orders_of(
    *, ctx: AuditContext, person: Party, limit: int | None = None
) -> list[TradeOrder]:
    """The person's stock orders, newest first (an audited read)."""
    rows = TradeOrder.objects.filter(party=person).order_by("-placed_at")
    orders = list(rows[:limit] if limit is not None else rows)
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type="trade_orders",
        object_id=person.pk,
    )
    return orders


def payee_of(*, ctx: AuditContext, person: Party, payee_id: int) -> Payee | None:
    """One of the person's own payees, or None (an audited read when found)."""
    payee = Payee.objects.filter(pk=payee_id, party=person).first()
    if payee is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="payee",
            object_id=payee.pk,
        )
    return payee


def trade_orders_open() -> list[TradeOrder]:
    """Every placed stock order, oldest first (the simulated market fills them)."""
    return list(TradeOrder.objects.filter(state="placed").order_by("placed_at"))


def payment_of(*, ctx: AuditContext, person: Party, payment_id: int) -> Payment:
    """One payment out of an account the person may use (an audited read), or NotFound."""
    parties = [p.pk for p in accessible_parties(person)]
    payment = (
        Payment.objects.filter(pk=payment_id, from_account__party_id__in=parties)
        .select_related("from_account", "transaction")
        .first()
    )
    if payment is None:
        raise NotFound(_("No such payment among yours."), code="payment.not_found")
    owner = payment.from_account.party
    assert owner is not None  # a customer's account
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=data_subject_of(owner),
        object_type="payment",
        object_id=payment.pk,
    )
    return payment


def payments_scheduled(*, ctx: AuditContext, account: Account) -> list[Payment]:
    """The account's payments waiting for their date (the account is already the reader's)."""
    rows = list(
        Payment.objects.filter(from_account=account, state=PaymentState.SCHEDULED).order_by(
            "execution_date", "pk"
        )
    )
    if rows and account.party is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=data_subject_of(account.party),
            object_type="payments_scheduled",
            object_id=account.pk,
        )
    return rows


@dataclass(frozen=True)
class Quote:
    instrument: Instrument
    price: Decimal | None  # the latest closing price
    on: dt.date | None
    change: Decimal | None  # in per cent against the close before, one decimal


def _latest_prices(instruments: list[Instrument]) -> dict[int, list[InstrumentPrice]]:
    """The two latest prices of each instrument, newest first."""
    latest: dict[int, list[InstrumentPrice]] = {i.pk: [] for i in instruments}
    for price in InstrumentPrice.objects.filter(instrument__in=instruments).order_by(
        "instrument_id", "-on"
    ):
        rows = latest[price.instrument_id]
        if len(rows) < 2:
            rows.append(price)
    return latest


def instrument_quotes() -> list[Quote]:
    """Every tradable instrument with its latest price (market data: nobody's personal data)."""
    instruments = list(Instrument.objects.order_by("kind", "name"))
    latest = _latest_prices(instruments)
    quotes = []
    for instrument in instruments:
        rows = latest[instrument.pk]
        change = None
        if len(rows) == 2:
            change = at_scale((rows[0].price / rows[1].price - 1) * 100, 1)
        quotes.append(
            Quote(
                instrument,
                rows[0].price if rows else None,
                rows[0].on if rows else None,
                change,
            )
        )
    return quotes


@dataclass(frozen=True)
class Position:
    holding: Holding
    price: Decimal
    value: Decimal
    on: dt.date


@dataclass
class Depot:
    positions: list[Position]
    total: Decimal
    trades: list[TradeOrder]
    history: list[tuple[dt.date, Decimal]] = field(default_factory=list)  # newest first


HISTORY_DAYS = 10


def depot_of(*, ctx: AuditContext, person: Party) -> Depot:
    """The person's share holdings valued at the latest prices, their filled trades, and the
    depot's value on each of the last price dates (units then × price then); an audited read."""
    holdings = list(
        Holding.objects.filter(party=person, kind=HoldingKind.SHARE, units__gt=0).order_by("name")
    )
    instruments = {
        i.isin: i for i in Instrument.objects.filter(isin__in=[h.identifier for h in holdings])
    }
    latest = _latest_prices(list(instruments.values()))
    positions = []
    for holding in holdings:
        listed = instruments.get(holding.identifier)
        rows = latest.get(listed.pk, []) if listed is not None else []
        price, on = (rows[0].price, rows[0].on) if rows else (holding.price, holding.valued_on)
        positions.append(Position(holding, price, round_amount(holding.units * price), on))
    trades = list(
        TradeOrder.objects.filter(party=person, state=TradeState.FILLED).order_by("-closed_at")
    )
    depot = Depot(positions, sum((p.value for p in positions), Decimal(0)), trades)
    depot.history = _value_history(holdings, trades, instruments)
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type="holdings_share",
        object_id=person.pk,
    )
    return depot


def _value_history(
    holdings: list[Holding], trades: list[TradeOrder], instruments: dict[str, Instrument]
) -> list[tuple[dt.date, Decimal]]:
    """The depot's value at the close of each of the last price dates: the units held that day
    (today's, with later fills undone) at that day's price."""
    listed = [instruments[h.identifier] for h in holdings if h.identifier in instruments]
    if not listed:
        return []
    prices: dict[dt.date, dict[str, Decimal]] = {}
    for row in InstrumentPrice.objects.filter(instrument__in=listed).select_related("instrument"):
        prices.setdefault(row.on, {})[row.instrument.isin] = row.price
    days = sorted(prices, reverse=True)[:HISTORY_DAYS]
    history = []
    for day in days:
        value = Decimal(0)
        for holding in holdings:
            units = holding.units
            for trade in trades:
                closed = trade.closed_at
                later = closed is not None and clock.date_of(closed) > day
                if trade.isin == holding.identifier and later:
                    units -= trade.quantity if trade.side == "buy" else -trade.quantity
            price = prices[day].get(holding.identifier)
            if price is not None and units > 0:
                value += round_amount(units * price)
        history.append((day, value))
    return history
