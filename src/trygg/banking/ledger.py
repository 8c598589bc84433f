"""The ledger: every booking is a transaction whose postings add up to zero, written with the
accounts' balances in one database transaction; customer accounts never go below zero.

On PostgreSQL a deferred constraint trigger refuses, at commit, a transaction whose postings do
not balance; on SQLite this module's check is the guard. Accounts are locked in id order, so
concurrent bookings cannot deadlock, and a balance is read and changed under its lock, so two
payments can never spend the same money. On PostgreSQL the whole booking (lock, check,
transaction, postings, balances, the idempotency key) is one statement, one round trip; on
SQLite the same steps are separate statements in one transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, DecimalField, Value, When
from django.utils.translation import gettext as _

from trygg.banking.chart import LedgerAccount, in_chart
from trygg.banking.models import Account, AccountKind, LedgerTransaction, Posting
from trygg.kernel import clock
from trygg.kernel.errors import Conflict, ValidationFailed
from trygg.kernel.money import round_amount
from trygg.parties.models import Party


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: Decimal  # positive: money in; negative: money out
    text: str = ""


def request_hash(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def replayed(
    *, party: Party | None, idempotency_key: str | None, request: dict[str, Any]
) -> LedgerTransaction | None:
    """The transaction an earlier request with the same key booked, if any; a different request
    under a used key is refused."""
    if not idempotency_key:
        return None
    earlier = LedgerTransaction.objects.filter(
        initiated_by=party, idempotency_key=idempotency_key
    ).first()
    if earlier is not None and earlier.request_hash != request_hash(request):
        raise Conflict(
            _("This idempotency key was used for another request."),
            code="idempotency.key_reused",
            field="idempotency_key",
        )
    return earlier


def book(
    *,
    kind: str,
    description: str,
    legs: list[Leg],
    party: Party | None,
    idempotency_key: str | None = None,
    request: dict[str, Any] | None = None,
) -> LedgerTransaction:
    """Book one balanced transaction (inside the caller's transaction, if any); with an
    idempotency key used before for the same request, the earlier transaction."""
    return book_once(
        kind=kind,
        description=description,
        legs=legs,
        party=party,
        idempotency_key=idempotency_key,
        request=request,
    )[0]


def book_once(
    *,
    kind: str,
    description: str,
    legs: list[Leg],
    party: Party | None,
    idempotency_key: str | None = None,
    request: dict[str, Any] | None = None,
) -> tuple[LedgerTransaction, bool]:
    """:func:`book`, telling whether the transaction was booked now (False: the earlier one of
    the same idempotency key and request)."""
    if len(legs) < 2 or sum((leg.amount for leg in legs), Decimal(0)) != 0:
        raise ValueError("A ledger transaction needs two or more legs that add up to zero.")
    if any(leg.amount != round_amount(leg.amount, leg.account.currency) for leg in legs):
        # The database would round a fraction of an öre its own way (PostgreSQL half away from
        # zero; SQLite keeps a binary fraction that Django reads back rounded half-even), and
        # legs that add up to zero might then not.
        raise ValueError("A ledger amount is whole öre: round it with round_amount first.")
    change: dict[int, Decimal] = {}
    for leg in legs:
        change[leg.account.pk] = change.get(leg.account.pk, Decimal(0)) + leg.amount
    entry = LedgerTransaction(
        kind=kind,
        description=description[:200],
        initiated_by=party,
        idempotency_key=idempotency_key or None,
        request_hash=request_hash(request) if request is not None else "",
        booked_at=clock.now(),
    )
    # No savepoint: a refusal here rolls back the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            return _book_in_one_statement(entry, legs, change, request)
        return _book_step_by_step(entry, legs, change, request)


def _earlier(entry: LedgerTransaction, request: dict[str, Any] | None) -> LedgerTransaction | None:
    """The transaction booked before under ``entry``'s idempotency key (a different request
    under it is refused)."""
    return replayed(
        party=entry.initiated_by, idempotency_key=entry.idempotency_key, request=request or {}
    )


def _short_of_money(account: Account) -> ValidationFailed:
    """The refusal names the account, never its balance: the message reaches forms and API
    clients open to a PIN session, which see no balances after 180 days (RTS Art. 10)."""
    return ValidationFailed(
        code="account.insufficient_funds",
        field="amount",
        message=_("There is not enough money in %(account)s for this amount.")
        % {"account": account.name},
    )


def _book_step_by_step(
    entry: LedgerTransaction,
    legs: list[Leg],
    change: dict[int, Decimal],
    request: dict[str, Any] | None,
) -> tuple[LedgerTransaction, bool]:
    """Lock the accounts in id order, check, write the transaction, its postings and the
    balances; the earlier transaction when the idempotency key was used before."""
    earlier = _earlier(entry, request)
    if earlier is not None:
        return earlier, False
    ids = sorted(change)
    locked = {
        a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    if len(locked) != len(ids):
        raise ValueError("A ledger transaction names an account that does not exist.")
    balances: dict[int, Decimal] = {}
    for account_id, delta in change.items():
        account = locked[account_id]
        balances[account_id] = account.balance + delta
        if account.kind != AccountKind.INTERNAL and balances[account_id] < 0:
            raise _short_of_money(account)
    entry.save(force_insert=True)
    Posting.objects.bulk_create(
        [
            Posting(
                transaction=entry, account_id=leg.account.pk, amount=leg.amount, text=leg.text[:100]
            )
            for leg in legs
        ]
    )
    # Every balance in one statement (the rows are locked already), as the exact new figure
    # worked out in Decimal above: SQLite has no decimal type and would add the change in
    # binary floating point (0.10 + 0.20 is not 0.30 there), so no sum is left to it.
    Account.objects.filter(pk__in=ids).update(
        balance=Case(
            *(When(pk=account_id, then=Value(balance)) for account_id, balance in balances.items()),
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )
    )
    return entry, True


def _book_in_one_statement(
    entry: LedgerTransaction,
    legs: list[Leg],
    change: dict[int, Decimal],
    request: dict[str, Any] | None,
) -> tuple[LedgerTransaction, bool]:
    """The same on PostgreSQL in one round trip: the accounts locked in id order (a balance read
    under ``FOR UPDATE`` is the latest committed one), checked, and only if every one may take
    its change, the transaction inserted (nothing if its idempotency key was used: the earlier
    one is returned), its postings written and the balances moved. The deferred trigger checks
    the balance of the postings at commit, as for every booking."""
    account, ledger, posting = (
        Account._meta.db_table,
        LedgerTransaction._meta.db_table,
        Posting._meta.db_table,
    )
    ids = sorted(change)
    moves = ", ".join(["(%s::bigint, %s::numeric)"] * len(ids))
    lines = ", ".join(["(%s::bigint, %s::numeric, %s::varchar)"] * len(legs))
    params: list[Any] = [*ids]
    for account_id in ids:
        params += [account_id, change[account_id]]
    params += [
        len(ids),
        entry.kind,
        entry.description,
        entry.initiated_by_id,
        entry.idempotency_key,
        entry.request_hash,
        entry.booked_at,
    ]
    for leg in legs:
        params += [leg.account.pk, leg.amount, leg.text[:100]]
    sql = f"""
        WITH locked AS (
            SELECT id, balance, kind FROM {account}
            WHERE id IN ({", ".join(["%s"] * len(ids))}) ORDER BY id FOR UPDATE
        ), moves (account_id, delta) AS (VALUES {moves}
        ), short AS (
            SELECT l.id, l.balance FROM locked l JOIN moves m ON m.account_id = l.id
            WHERE l.kind <> 'internal' AND l.balance + m.delta < 0 ORDER BY l.id LIMIT 1
        ), ok AS (
            SELECT (SELECT count(*) FROM locked) = %s AND NOT EXISTS (SELECT 1 FROM short) AS fine
        ), entry AS (
            INSERT INTO {ledger}
                (kind, description, initiated_by_id, idempotency_key, request_hash, booked_at)
            SELECT %s, %s, %s, %s, %s, %s FROM ok WHERE ok.fine
            ON CONFLICT DO NOTHING RETURNING id
        ), posted AS (
            INSERT INTO {posting} (transaction_id, account_id, amount, text)
            SELECT entry.id, l.account_id, l.amount, l.text
            FROM entry, (VALUES {lines}) AS l (account_id, amount, text) RETURNING 1
        ), moved AS (
            UPDATE {account} a SET balance = a.balance + m.delta FROM moves m, entry
            WHERE a.id = m.account_id RETURNING 1
        )
        SELECT (SELECT id FROM entry), (SELECT fine FROM ok), (SELECT id FROM short),
            (SELECT balance FROM short), (SELECT count(*) FROM posted),
            (SELECT count(*) FROM moved)
    """  # noqa: S608 - table names from the models only
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        entry_id, _fine, short_id, _balance, posted, moved = cursor.fetchone()
    if entry_id is not None:
        if (posted, moved) != (len(legs), len(ids)):
            raise RuntimeError("a booking wrote fewer postings or balances than it has")
        entry.pk = entry_id
        entry._state.adding = False
        entry._state.db = connection.alias
        return entry, True
    # Nothing booked: the key was used before (the insert met it, or a repeated request whose
    # money is already gone), else the money or an account is missing.
    earlier = _earlier(entry, request)
    if earlier is not None:
        return earlier, False
    if short_id is None:
        raise ValueError("A ledger transaction names an account that does not exist.")
    by_id = {leg.account.pk: leg.account for leg in legs}
    raise _short_of_money(by_id[short_id])


def internal_account(entry: LedgerAccount) -> Account:
    """One of the bank's own accounts, an entry of the chart of accounts (opened on first use)."""
    if not in_chart(entry):
        raise ValueError(f"{entry.number} is not an account of the chart of accounts.")
    account, _created = Account.objects.get_or_create(
        number=entry.number,
        defaults={
            "name": entry.name,
            "kind": AccountKind.INTERNAL,
            "opened_at": clock.now(),
            "currency": entry.currency,
        },
    )
    return account
