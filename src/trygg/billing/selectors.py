"""Reads of premium billing for pages, the API and the back office; reads of a payer's data
are audited."""

from __future__ import annotations

from trygg.banking.selectors import accounts_of
from trygg.billing import rules
from trygg.billing.models import MandatePolicy, Notice
from trygg.insurance.models import Policy, PolicyState
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party


def payable_policies(*, ctx: AuditContext, payer: Party) -> list[Policy]:
    """The payer's policies in force that no mandate in force pays yet: what may be put on
    autogiro (an audited read when there are any)."""
    with_mandate = MandatePolicy.objects.filter(
        detached_on__isnull=True, mandate__state__in=rules.OPEN_MANDATE_STATES
    ).values("policy_id")
    rows = list(
        Policy.objects.filter(policyholder=payer, state=PolicyState.ACTIVE)
        .exclude(pk__in=with_mandate)
        .order_by("number")
    )
    if rows:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=payer.pk,
            object_type="policy",
            object_id=",".join(str(p.pk) for p in rows[:20]),
        )
    return rows


def notices_of(*, ctx: AuditContext, payer: Party, limit: int = 20) -> list[Notice]:
    """The payer's latest notices (payment plans, invoices, letters), newest first: audited."""
    notices = list(Notice.objects.filter(payer=payer).order_by("-sent_on", "-pk")[:limit])
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=payer.pk,
        object_type="billing_notices",
        object_id=payer.pk,
    )
    return notices


def notice_of(*, ctx: AuditContext, payer: Party, notice_id: int) -> Notice | None:
    """One of the payer's own notices, or None: an audited read when found."""
    notice = Notice.objects.filter(pk=notice_id, payer=payer).select_related("payer").first()
    if notice is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=payer.pk,
            object_type="billing_notice",
            object_id=notice.pk,
        )
    return notice


def autogiro_accounts_of(*, ctx: AuditContext, person: Party) -> list[tuple[int, str, str]]:
    """The person's own transaction accounts with us, which an autogiro mandate may debit:
    (id, clearing and number, name); an audited read of their accounts."""
    return [
        (a.pk, a.number, a.name)
        for a in accounts_of(ctx=ctx, person=person)
        if a.party_id == person.pk and a.kind == "transaction"
    ]
