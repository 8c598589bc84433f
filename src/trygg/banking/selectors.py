"""Reads of banking data for views and APIs (audited)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from trygg.banking.models import Account, Holding, Payee, Posting, Registration, TradeOrder
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound
from trygg.kernel.models import AuditAction
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
        .select_related("transaction")
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
