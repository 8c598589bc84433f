"""Pending payment orders: their occurrences, and finding the ones a request names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trygg.kernel.bankdays import BankCalendar

from .scenario import Scenario
from .schedule import Schedule
from .state import OrderEntry, Payment, State

__all__ = ["Context", "Hit", "advance", "cancel", "current_payment", "find", "prune", "refresh"]


@dataclass
class Context:
    """What a run works with."""

    state: State
    scenario: Scenario
    cal: BankCalendar


def schedule_of(order: OrderEntry) -> Schedule:
    return Schedule(order.first_date, order.period, order.repeats)


def refresh(order: OrderEntry, cal: BankCalendar) -> None:
    """Step over cancelled occurrences and set ``due`` (``None`` once the order is done)."""
    while order.index in order.skipped:
        order.skipped.remove(order.index)
        order.index += 1
    order.due = schedule_of(order).actual(order.index, cal)


def advance(order: OrderEntry, cal: BankCalendar) -> None:
    """The current occurrence has been paid (or failed): on to the next."""
    order.index += 1
    refresh(order, cal)


def prune(state: State) -> None:
    """Forget orders that have no occurrence left."""
    state.orders = [order for order in state.orders if order.due is not None]


def _payment(order: OrderEntry, index: int, nominal: date, due: date) -> Payment:
    return Payment(
        order_id=order.id,
        tk=order.tk,
        bankgiro=order.bankgiro,
        payer_number=order.payer_number,
        amount=order.amount,
        nominal=nominal,
        period=order.period,
        repeats=order.repeats,
        reference=order.reference,
        due=due,
    )


def current_payment(order: OrderEntry, cal: BankCalendar) -> Payment:
    nominal = schedule_of(order).nominal(order.index, cal)
    assert nominal is not None and order.due is not None
    return _payment(order, order.index, nominal, order.due)


@dataclass
class Hit:
    """A pending payment a request names: an occurrence of an order, or a payment waiting for a
    renewed balance check."""

    payment: Payment
    order: OrderEntry | None = None
    index: int = 0
    retry: Payment | None = None

    @property
    def recurring(self) -> bool:
        return self.order is not None and self.order.period != 0


def _occurrences(order: OrderEntry, cal: BankCalendar, on: date | None) -> Iterator[Hit]:
    """The current occurrence (``on`` None), or those whose payment date or bank day is ``on``."""
    if order.due is None:
        return
    schedule = schedule_of(order)
    index = order.index
    while True:
        nominal = schedule.nominal(index, cal)
        if nominal is None:
            return
        due = cal.next_bank_day(nominal, include_today=True)
        if on is not None and min(nominal, due) > on:
            return
        if index not in order.skipped and (on is None or on in (nominal, due)):
            yield Hit(_payment(order, index, nominal, due), order=order, index=index)
            if on is None:
                return
        index += 1


def find(
    ctx: Context,
    bankgiro: str,
    *,
    payer_number: str | None = None,
    on: date | None = None,
    tk: str | None = None,
    amount: Decimal | None = None,
    reference: str = "",
) -> list[Hit]:
    """Pending payments of ``bankgiro`` matching every criterion given. Without ``on`` an order
    is represented by its next occurrence."""
    hits: list[Hit] = []
    for order in ctx.state.orders:
        if order.bankgiro != bankgiro or (payer_number and order.payer_number != payer_number):
            continue
        hits.extend(_occurrences(order, ctx.cal, on))
    for retry in ctx.state.retries:
        if retry.bankgiro != bankgiro or (payer_number and retry.payer_number != payer_number):
            continue
        if on is None or on in (retry.nominal, retry.due):
            hits.append(Hit(retry, retry=retry))
    return [
        hit
        for hit in hits
        if (tk is None or hit.payment.tk == tk)
        and (amount is None or hit.payment.amount == amount)
        and (not reference or hit.payment.reference == reference)
    ]


def cancel(ctx: Context, hit: Hit, *, whole_order: bool) -> None:
    """Drop a pending payment; ``whole_order`` drops every later occurrence too."""
    if hit.retry is not None:
        ctx.state.retries.remove(hit.retry)
        return
    order = hit.order
    assert order is not None
    if whole_order:
        order.due = None
    else:
        order.skipped.append(hit.index)
        refresh(order, ctx.cal)
    prune(ctx.state)
