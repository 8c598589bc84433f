"""Premium billing by autogiro: the agreement's rules, pure (no Django).

Bank days come from ``kernel.bankdays`` (Swedish calendar). The numbers are the seed's:
- a premium falls due on the first bank day of its period;
- the payer is told amount, due date and method at least 8 bank days before the due date (one
  notice may cover several due dates: then 8 bank days before the first);
- one payment is stopped at the latest 2 bank days before its due date;
- the mandate is revoked at the latest 5 bank days before the due date it should stop;
- § 3: the agreement ends on a due date (the first bank day of a month); the account holder's
  notice reaches the insurer at least one month, the insurer's reaches the payer at least three
  months before it (the mandate text's "thirty days" is read in the consumer's favour: the longer
  notice applies, decision 0026); the insurer ends it at once after repeated failures or a closed
  account;
- the file with the payment orders reaches Bankgirot by 19:00 on the bank day before the due date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from trygg.kernel.bankdays import BankCalendar, calendar_for
from trygg.kernel.statetable import RuleError as RuleError
from trygg.kernel.statetable import check_move as check_move  # the one state-table check
from trygg.kernel.statetable import sources as sources

NOTICE_BANK_DAYS: Final = 8
STOP_BANK_DAYS: Final = 2
REVOKE_BANK_DAYS: Final = 5
HOLDER_NOTICE_MONTHS: Final = 1
INSURER_NOTICE_MONTHS: Final = 3
FILE_DEADLINE: Final = dt.time(19, 0)
# Payment orders go to Bankgirot this many bank days before the due date, so that a stop made
# by the deadline (2 bank days before) is a cancellation of an order already sent.
ORDER_LEAD_BANK_DAYS: Final = 3
# A run plans the premiums of terms starting within this many days, and renews ahead as far, so
# that the payment plan reaches the payer 8 bank days before the first due date.
PLAN_HORIZON_DAYS: Final = 40
# Invoices are sent this many days before their due date.
INVOICE_LEAD_DAYS: Final = 30
# Failed debits in a row after which the insurer may end the autogiro at once.
REPEATED_FAILURES: Final = 2
# A run started by hand may catch up this many days back (a long weekend or a holiday without
# runs), no further: an older date's debits were due before any file could reach Bankgirot, and
# its notices would tell payers of due dates already passed (decision 0090).
RUN_CATCH_UP_DAYS: Final = 7


def se_calendar() -> BankCalendar:
    return calendar_for("SE")


class MandateState(enum.StrEnum):
    REQUESTED = "requested"  # entered or signed, not yet sent to Bankgirot
    SENT = "sent"  # in a file to Bankgirot, awaiting its notice
    ACTIVE = "active"
    REJECTED = "rejected"  # Bankgirot (or the payer's bank) refused it
    REVOKED = "revoked"  # the payer withdrew it
    ENDED = "ended"  # terminated by the insurer, the account holder or the bank


# A mandate that pays its policies, or will once Bankgirot has it: the one list of them.
OPEN_MANDATE_STATES: Final = frozenset(
    {MandateState.REQUESTED, MandateState.SENT, MandateState.ACTIVE}
)


MANDATE_TRANSITIONS: Final[Mapping[MandateState, frozenset[MandateState]]] = {
    MandateState.REQUESTED: frozenset({MandateState.SENT, MandateState.REVOKED}),
    MandateState.SENT: frozenset(
        {MandateState.ACTIVE, MandateState.REJECTED, MandateState.REVOKED}
    ),
    MandateState.ACTIVE: frozenset({MandateState.REVOKED, MandateState.ENDED}),
    MandateState.REJECTED: frozenset(),
    MandateState.REVOKED: frozenset(),
    MandateState.ENDED: frozenset(),
}


class ChargeState(enum.StrEnum):
    PLANNED = "planned"  # on the payment plan
    ORDERED = "ordered"  # in a payment order sent to Bankgirot
    RETRYING = "retrying"  # Bankgirot reported a renewed balance check (status 9)
    PAID = "paid"
    FAILED = "failed"  # not paid; § 2 decides what follows
    STOPPED = "stopped"  # the payer stopped this one payment
    CARRIED = "carried"  # § 2 (B): added to the next debit
    INVOICED = "invoiced"  # moved to an invoice (autogiro ended, or an invoice payer)
    CANCELLED = "cancelled"  # the mandate or the policy ended before it fell due
    REFUNDED = "refunded"  # the payer's bank refunded an approved debit (TK77)


CHARGE_TRANSITIONS: Final[Mapping[ChargeState, frozenset[ChargeState]]] = {
    ChargeState.PLANNED: frozenset(
        {
            ChargeState.ORDERED,
            ChargeState.STOPPED,
            ChargeState.INVOICED,
            ChargeState.CANCELLED,
            ChargeState.PAID,  # an invoice paid
            ChargeState.FAILED,  # an invoice not paid by its due date
        }
    ),
    ChargeState.ORDERED: frozenset(
        {
            ChargeState.PAID,
            ChargeState.FAILED,
            ChargeState.RETRYING,
            ChargeState.STOPPED,
            ChargeState.CANCELLED,
            ChargeState.INVOICED,  # the mandate was deleted before the debit
        }
    ),
    # Bankgirot renews the cover check of a debit on the following bank days (still retrying).
    ChargeState.RETRYING: frozenset({ChargeState.PAID, ChargeState.FAILED, ChargeState.RETRYING}),
    ChargeState.PAID: frozenset({ChargeState.REFUNDED}),
    ChargeState.FAILED: frozenset(
        {ChargeState.ORDERED, ChargeState.CARRIED, ChargeState.INVOICED, ChargeState.PAID}
    ),
    ChargeState.STOPPED: frozenset(),
    ChargeState.CARRIED: frozenset(),
    # An invoice for a period after the policy ended (or its term was replaced) falls away.
    ChargeState.INVOICED: frozenset({ChargeState.PAID, ChargeState.FAILED, ChargeState.CANCELLED}),
    ChargeState.CANCELLED: frozenset(),
    ChargeState.REFUNDED: frozenset(),
}


class NonPaymentRule(enum.StrEnum):
    """§ 2 of the autogiro agreement, chosen per product."""

    CANCELLATION_NOTICE = "A"  # a cancellation notice with a payment slip; cover ends
    ADD_TO_NEXT = "B"  # unpaid premium and fee added to the next debit; then invoice


# -- dates -----------------------------------------------------------------------------------


def due_date(period_start: dt.date, cal: BankCalendar | None = None) -> dt.date:
    """A premium falls due on the first bank day of its period."""
    return (cal or se_calendar()).next_bank_day(period_start, include_today=True)


def renewed_debit_month(due: dt.date) -> dt.date:
    """§ 2 (B): "Förnyad avisering sker påföljande månad": the first day of the month after the
    month of the unpaid due date, for monthly, half-yearly and yearly payers alike."""
    return _add_months(due.replace(day=1), 1)


def renewed_debit_reference(policy_number: str, month: dt.date) -> str:
    """The reference of a renewed debit (§ 2 (B)) of a policy in ``month``; it cannot collide
    with a premium's reference (those end in the period's date, never in ``R``)."""
    return f"{policy_number}{month:%y%m}R"[:16]


def stopped_invoice_reference(reference: str) -> str:
    """The reference of the invoice that collects a stopped debit (``reference``'s premium)."""
    return f"{reference}8"[:16]


def remainder_reference(policy_number: str, term_start: dt.date) -> str:
    """The reference of the invoice of the remaining premium of the term from ``term_start``
    when autogiro ended (one per term): one digit longer than a premium's, so neither it nor its
    OCR collides with one."""
    return f"{policy_number}{term_start:%y%m%d}9"[:16]


def remainder_after_autogiro(*, term_premium: Decimal, collected: Decimal) -> Decimal:
    """What is invoiced when autogiro ends inside a term (§ 2, § 3: the insurance contract's
    terms, premiums yearly in advance): the term's premium at the yearly rate, less every premium
    of the term that was collected; never below zero (what was paid above it stays paid)."""
    return max(term_premium - collected, Decimal(0))


def notice_deadline(due: dt.date, cal: BankCalendar | None = None) -> dt.date:
    """The last day a notice of ``due`` may be sent: 8 bank days before it."""
    return (cal or se_calendar()).add_bank_days(due, -NOTICE_BANK_DAYS)


def earliest_due(noticed_on: dt.date, cal: BankCalendar | None = None) -> dt.date:
    """The first due date a notice sent on ``noticed_on`` may announce."""
    return (cal or se_calendar()).add_bank_days(noticed_on, NOTICE_BANK_DAYS)


def file_day(due: dt.date, cal: BankCalendar | None = None) -> dt.date:
    """The bank day whose 19:00 is the deadline for the file with ``due``'s payment order."""
    return (cal or se_calendar()).previous_bank_day(due)


def earliest_payment_date(now: dt.datetime, cal: BankCalendar | None = None) -> dt.date:
    """The first payment date a file sent at ``now`` (local time) can still carry: the next bank
    day if the file reaches Bankgirot by 19:00 on a bank day, else the bank day after."""
    cal = cal or se_calendar()
    today = now.date()
    if cal.is_bank_day(today) and now.time() < FILE_DEADLINE:
        return cal.next_bank_day(today)
    return cal.next_bank_day(cal.next_bank_day(today))


def check_run_date(*, on: dt.date, today: dt.date) -> None:
    """Refuse a billing run for a future date, or for one further back than the catch-up
    window."""
    if on > today:
        raise RuleError("run.future", "on", "Billing cannot run for a future date.", today=today)
    earliest = today - dt.timedelta(days=RUN_CATCH_UP_DAYS)
    if on < earliest:
        raise RuleError(
            "run.too_old",
            "on",
            "Billing catches up at most 7 days back.",
            earliest=earliest,
            days=RUN_CATCH_UP_DAYS,
        )


def order_window_end(on: dt.date, cal: BankCalendar | None = None) -> dt.date:
    """The run on ``on`` orders the debits due up to this day."""
    return (cal or se_calendar()).add_bank_days(on, ORDER_LEAD_BANK_DAYS)


@dataclass(frozen=True)
class Deadline:
    last_day: dt.date
    bank_days: int


def stop_deadline(due: dt.date, cal: BankCalendar | None = None) -> Deadline:
    return Deadline((cal or se_calendar()).add_bank_days(due, -STOP_BANK_DAYS), STOP_BANK_DAYS)


def revoke_deadline(due: dt.date, cal: BankCalendar | None = None) -> Deadline:
    return Deadline((cal or se_calendar()).add_bank_days(due, -REVOKE_BANK_DAYS), REVOKE_BANK_DAYS)


def check_stop(*, due: dt.date, today: dt.date, cal: BankCalendar | None = None) -> None:
    """Refuse a stop that reaches the insurer later than 2 bank days before the due date."""
    deadline = stop_deadline(due, cal)
    if today > deadline.last_day:
        raise RuleError(
            "stop.too_late",
            "charge",
            "A payment is stopped at the latest 2 bank days before its due date.",
            due=due,
            deadline=deadline.last_day,
        )


def revocation_effect(
    *, today: dt.date, next_dues: list[dt.date], cal: BankCalendar | None = None
) -> dt.date | None:
    """The first due date a revocation received ``today`` still stops (5 bank days before it),
    or None when every listed due date is stopped. Debits before that date are still made."""
    for due in sorted(next_dues):
        if today <= revoke_deadline(due, cal).last_day:
            return due
    return None


class Terminator(enum.StrEnum):
    """Who ends the autogiro agreement (§ 3)."""

    INSURER = "insurer"
    HOLDER = "holder"


NOTICE_MONTHS: Final[Mapping[Terminator, int]] = {
    Terminator.HOLDER: HOLDER_NOTICE_MONTHS,
    Terminator.INSURER: INSURER_NOTICE_MONTHS,
}


def month_due_date(day: dt.date, cal: BankCalendar | None = None) -> dt.date:
    """The first bank day of ``day``'s month: the month's due date ("första bankdagen varje
    månad")."""
    return (cal or se_calendar()).first_bank_day_of_month(day.year, day.month)


def termination_deadline(end: dt.date, by: Terminator) -> dt.date:
    """The last day a termination ending on the due date ``end`` may reach the other party: one
    month (account holder) or three months (insurer) before it (§ 3)."""
    return _add_months(end, -NOTICE_MONTHS[by])


def termination_earliest_end(
    today: dt.date, by: Terminator, cal: BankCalendar | None = None
) -> dt.date:
    """The first due date on which a termination given ``today`` can end the agreement."""
    cal = cal or se_calendar()
    month = dt.date(today.year, today.month, 1)
    while True:
        end = month_due_date(month, cal)
        if today <= termination_deadline(end, by):
            return end
        month = _add_months(month, 1)


def check_termination(
    *, today: dt.date, end: dt.date, by: Terminator, cal: BankCalendar | None = None
) -> None:
    """Refuse an end that is not a due date, or a termination that reaches the other party later
    than § 3 allows for it (the error names the deadline and the earliest possible end)."""
    cal = cal or se_calendar()
    if end != month_due_date(end, cal):
        raise RuleError(
            "termination.not_due_date",
            "ends_on",
            "The autogiro agreement ends on a due date, the first bank day of a month.",
            due=month_due_date(end, cal),
        )
    deadline = termination_deadline(end, by)
    if today > deadline:
        raise RuleError(
            "termination.too_late",
            "ends_on",
            f"A termination by the {by} must be given at least {NOTICE_MONTHS[by]} month(s) "
            "before the due date on which the agreement ends.",
            deadline=deadline,
            earliest=termination_earliest_end(today, by, cal),
        )


def last_autogiro_day(end: dt.date) -> dt.date:
    """The agreement applies until the day before the due date on which it ends: that due date's
    premium is no longer debited."""
    return end - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- payer numbers and references ------------------------------------------------------------


def charge_reference(policy_number: str, period_start: dt.date) -> str:
    """The reference of one premium in the payment orders (at most 16 characters): the policy
    number and the period's first day, so Bankgirot's answers match exactly one charge."""
    return f"{policy_number}{period_start:%y%m%d}"[:16]


def split_account(clearing: str, account: str) -> str:
    """The account as the mandate records it: clearing number and account number, digits."""
    return f"{clearing}{account}"
