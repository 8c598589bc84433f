"""The ledger: every booking is a transaction whose postings add up to zero, written with the
accounts' balances in one database transaction; customer accounts never go below zero.

On PostgreSQL a deferred constraint trigger refuses, at commit, a transaction whose postings do
not balance; on SQLite this module's check is the guard. Accounts are locked in id order, so
concurrent bookings cannot deadlock, and a balance is read and changed under its lock, so two
payments can never spend the same money.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, DecimalField, F, Value, When
from django.utils.translation import gettext as _

from trygg.banking.models import Account, AccountKind, LedgerTransaction, Posting
from trygg.kernel import clock
from trygg.kernel.errors import Conflict, ValidationFailed
from trygg.parties.models import Party


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: Decimal  # positive: money in; negative: money out
    text: str = ""


def request_hash(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def replayed(
    *, party: Party, idempotency_key: str | None, request: dict[str, Any]
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
    """Book one balanced transaction (inside the caller's transaction, if any)."""
    if len(legs) < 2 or sum((leg.amount for leg in legs), Decimal(0)) != 0:
        raise ValueError("A ledger transaction needs two or more legs that add up to zero.")
    # No savepoint: a refusal here rolls back the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        ids = sorted({leg.account.pk for leg in legs})
        locked = {
            a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        }
        change: dict[int, Decimal] = {}
        for leg in legs:
            change[leg.account.pk] = change.get(leg.account.pk, Decimal(0)) + leg.amount
        for account_id, delta in change.items():
            account = locked[account_id]
            if account.kind != AccountKind.INTERNAL and account.balance + delta < 0:
                raise ValidationFailed(
                    code="account.insufficient_funds",
                    field="amount",
                    message=_(
                        "There is not enough money in %(account)s (%(balance)s kr available)."
                    )
                    % {"account": account.name, "balance": account.balance},
                )
        entry = LedgerTransaction.objects.create(
            kind=kind,
            description=description[:200],
            initiated_by=party,
            idempotency_key=idempotency_key or None,
            request_hash=request_hash(request) if request is not None else "",
            booked_at=clock.now(),
        )
        Posting.objects.bulk_create(
            [
                Posting(
                    transaction=entry,
                    account_id=leg.account.pk,
                    amount=leg.amount,
                    text=leg.text[:100],
                )
                for leg in legs
            ]
        )
        # Every balance in one statement (the rows are locked already).
        Account.objects.filter(pk__in=ids).update(
            balance=F("balance")
            + Case(
                *(When(pk=account_id, then=Value(delta)) for account_id, delta in change.items()),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            )
        )
    return entry


def internal_account(number: str, name: str) -> Account:
    """One of the bank's own accounts (created on first use)."""
    account, _created = Account.objects.get_or_create(
        number=number,
        defaults={"name": name, "kind": AccountKind.INTERNAL, "opened_at": clock.now()},
    )
    return account


OUTGOING_CLEARING = ("INT-OUT-CLEARING", "Outgoing payments clearing")
FUNDING = ("INT-FUNDING", "Deposits from outside the bank")
