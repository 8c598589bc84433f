"""Reads of the protection service for pages and the API. Every read of a person's registry,
calls or reports is audited under that person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from trygg.claims import rules as claim_rules
from trygg.kernel import idnumbers
from trygg.kernel.audit import AuditContext, audit_read_batch, audit_record, audit_record_many
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.idnumber_messages import id_number_message
from trygg.kernel.models import AuditAction
from trygg.kernel.money import round_amount
from trygg.parties.models import Party
from trygg.protection import rules
from trygg.protection.models import (
    Agreement,
    AgreementLetter,
    Block,
    BlockingCall,
    Callback,
    ClaimDocument,
    FoundKeysCase,
    IdTheftCase,
    Invoice,
    Issuer,
    Item,
    KeyTag,
    Payment,
    ProtectionClaim,
)


def issuers() -> QuerySet[Issuer]:
    return Issuer.objects.filter(active=True).order_by("name")


def items_of(*, ctx: AuditContext, customer: Party) -> list[Item]:
    items = list(
        Item.objects.filter(customer=customer, removed_at__isnull=True).select_related(
            "issuer", "company"
        )
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=customer.pk,
        object_type="protected_items",
        detail={"items": len(items)},
    )
    return items


def customer_find(*, ctx: AuditContext, text: str) -> Party:
    """The customer an agent looks up by personal identity number (Norwegian or Swedish),
    organisation number or customer number. Audited as a read of that customer."""
    text = text.strip()
    if not text:
        raise ValidationFailed(
            code="customer.required",
            field="customer",
            message=_("Give an identity number, organisation number or customer number."),
        )
    party = Party.objects.filter(customer_number=text.upper()).first()
    if party is None:
        try:
            number = idnumbers.parse(text)
        except idnumbers.IdNumberError as error:
            raise ValidationFailed(
                code=error.code, field="customer", message=id_number_message(error)
            ) from error
        party = Party.objects.filter(country=number.country, id_number=number.value).first()
    if party is None:
        raise NotFound(_("No customer with that number."), code="customer.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=party.pk,
        object_type="party",
        object_id=party.pk,
        detail={"found_by": "blocking line"},
    )
    return party


def call_read(*, ctx: AuditContext, call_id: int, customer: Party | None = None) -> BlockingCall:
    """One call with its blocks, for the agent (any call) or the customer (their own)."""
    rows = BlockingCall.objects.select_related("customer", "agent")
    if customer is not None:
        rows = rows.filter(customer=customer)
    call = rows.filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("No such call."), code="call.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=call.customer_id,
        object_type="blocking_call",
        object_id=call.pk,
    )
    return call


def blocks_of(call: BlockingCall) -> list[Block]:
    return list(call.blocks.select_related("item", "issuer", "item__company").order_by("id"))


def callbacks_open() -> QuerySet[Callback]:
    """The agents' queue: oldest first, so the age of each task shows at the top."""
    return (
        Callback.objects.filter(done_at__isnull=True)
        .select_related("block__call__customer", "block__issuer", "block__item")
        .order_by("created_at")
    )


def item_of(*, ctx: AuditContext, customer: Party, item_id: int) -> Item | None:
    item = (
        Item.objects.filter(pk=item_id, customer=customer, removed_at__isnull=True)
        .select_related("issuer", "company")
        .first()
    )
    if item is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=customer.pk,
            object_type="protected_item",
            object_id=item.pk,
        )
    return item


def calls_of(*, ctx: AuditContext, customer: Party) -> list[BlockingCall]:
    """The customer's closed calls with their blocks, newest first."""
    calls = list(
        BlockingCall.objects.filter(customer=customer, state__in=["closed", "completed"])
        .prefetch_related("blocks__item", "blocks__issuer")
        .order_by("-opened_at")
    )
    if calls:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=customer.pk,
            object_type="blocking_calls",
            detail={"calls": [c.number for c in calls]},
        )
    return calls


def agreements_of(*, ctx: AuditContext, customer: Party) -> list[Agreement]:
    """The customer's agreements with their entity, invoices and letters (one audited read)."""
    agreements = list(
        Agreement.objects.filter(customer=customer)
        .select_related("product", "entity")
        .prefetch_related(
            Prefetch("invoices", queryset=Invoice.objects.order_by("-period_start")),
            Prefetch("letters", queryset=AgreementLetter.objects.select_related("invoice")),
        )
        .order_by("-started_on", "number")
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=customer.pk,
        object_type="protection_agreements",
        detail={"agreements": len(agreements)},
    )
    return agreements


@dataclass(frozen=True)
class ReturnRate:
    returned: int
    closed: int
    open: int

    @property
    def percent(self) -> Decimal | None:
        if not self.closed:
            return None
        return round_amount(Decimal(100 * self.returned) / Decimal(self.closed))


def key_tag_return_rate() -> ReturnRate:
    """How many closed found-keys cases brought the keys back to their owner (seed: 9 of 10)."""
    counts = dict(
        FoundKeysCase.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    returned = sum(counts.get(s, 0) for s in rules.RETURNED_STATES)
    closed = returned + counts.get(rules.FoundState.UNRETURNED, 0)
    return ReturnRate(returned, closed, sum(counts.values()) - closed)


def found_case_read(*, ctx: AuditContext, case_id: int) -> FoundKeysCase:
    case = FoundKeysCase.objects.select_related("tag", "owner").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."), code="case.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=case.owner_id,
        object_type="found_keys_case",
        object_id=case.pk,
    )
    return case


def id_theft_cases_of(*, ctx: AuditContext, customer: Party) -> list[IdTheftCase]:
    """The customer's ID theft cases with their claims and case log (one audited read)."""
    cases = list(IdTheftCase.objects.filter(customer=customer).prefetch_related("claims", "steps"))
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=customer.pk,
        object_type="id_theft_cases",
        detail={"cases": len(cases)},
    )
    return cases


# -- claims on the protection insurances ----------------------------------------------------------


def insurance_agreements_of(*, ctx: AuditContext, customer: Party) -> list[Agreement]:
    """The customer's insurances a claim can be made on (the claim form's choices): audited."""
    agreements = list(
        Agreement.objects.filter(customer=customer, product__kind=rules.ProductKind.INSURANCE)
        .select_related("product")
        .order_by("-started_on", "number")
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=customer.pk,
        object_type="protection_agreements",
        detail={"agreements": [a.number for a in agreements], "view": "claim form"},
    )
    return agreements


def claims_of(*, ctx: AuditContext, customer: Party) -> list[ProtectionClaim]:
    """The customer's claims with their documents, newest first (one audited read)."""
    claims = list(
        ProtectionClaim.objects.filter(customer=customer)
        .select_related("agreement__product")
        .prefetch_related("documents")
        .order_by("-reported_at")
    )
    if claims:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=customer.pk,
            object_type="protection_claims",
            detail={"claims": [c.number for c in claims]},
        )
    return claims


def claim_read(
    *, ctx: AuditContext, number: str = "", claim_id: int = 0, customer: Party | None = None
) -> ProtectionClaim:
    """One claim with its documents, for staff (any claim) or the customer (their own only)."""
    rows = ProtectionClaim.objects.select_related("customer", "agreement__product", "decided_by")
    if customer is not None:
        rows = rows.filter(customer=customer)
    claim = (rows.filter(number=number) if number else rows.filter(pk=claim_id)).first()
    if claim is None:
        raise NotFound(_("No such claim."), code="claim.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=claim.customer_id,
        object_type="protection_claim",
        object_id=claim.pk,
    )
    return claim


def claim_document_read(
    *, ctx: AuditContext, claim: ProtectionClaim, document_id: int
) -> ClaimDocument:
    """A document of a claim already read: its file is personal data, audited as a read."""
    document = claim.documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("No such document."), code="document.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=claim.customer_id,
        object_type="protection_claim_document",
        object_id=document.pk,
        detail={"claim": claim.number},
    )
    return document


@dataclass(frozen=True)
class QueueRow:
    claim: ProtectionClaim
    handling: claim_rules.Handling


@dataclass(frozen=True)
class ClaimQueue:
    """The claims handlers' queue on a day: open claims by their due date, the overdue first."""

    today: dt.date
    overdue: list[QueueRow]
    due: list[QueueRow]
    on_time: list[QueueRow]
    waiting: list[QueueRow]
    to_pay: list[ProtectionClaim]


QUEUE_LIMIT = 200


def claim_queue(*, ctx: AuditContext, today: dt.date) -> ClaimQueue:
    """Open claims sorted by due date and split by where they stand against the one-month
    handling time on ``today``, and the approved claims waiting for their payout. Each section
    is one query on the due date's index; the page's reads are audited as one event."""
    rows = ProtectionClaim.objects.select_related("customer", "agreement__product")
    due_soon = today + dt.timedelta(days=claim_rules.DUE_SOON_DAYS)
    running = rows.filter(state=rules.ClaimState.REPORTED).order_by("due_on", "reported_at")
    sections = {
        "overdue": list(running.filter(due_on__lt=today)[:QUEUE_LIMIT]),
        "due": list(running.filter(due_on__gte=today, due_on__lte=due_soon)[:QUEUE_LIMIT]),
        "on_time": list(running.filter(due_on__gt=due_soon)[:QUEUE_LIMIT]),
        "waiting": list(
            rows.filter(state=rules.ClaimState.WAITING).order_by("waiting_since")[:QUEUE_LIMIT]
        ),
    }
    to_pay = list(rows.filter(state=rules.ClaimState.APPROVED).order_by("decided_at")[:QUEUE_LIMIT])
    shown = [c for section in sections.values() for c in section] + to_pay
    if shown:
        audit_record_many(
            ctx=ctx,
            action=AuditAction.READ,
            object_type="protection_claim",
            items=[(c.customer_id, c.pk) for c in shown],
            detail={"view": "queue"},
        )

    def section(name: str) -> list[QueueRow]:
        return [
            QueueRow(c, claim_rules.handling_status(c.due_on, c.waiting_since, today))
            for c in sections[name]
        ]

    return ClaimQueue(
        today,
        overdue=section("overdue"),
        due=section("due"),
        on_time=section("on_time"),
        waiting=section("waiting"),
        to_pay=to_pay,
    )


# -- the customer's whole engagement (customer service) ------------------------------------------


@dataclass(frozen=True)
class Engagement:
    """Everything the customer has with the protection service, for customer service's page and
    the customer's own Mine sider."""

    customer: Party
    items: list[Item]
    calls: list[BlockingCall]
    key_tags: list[KeyTag]
    found_cases: list[FoundKeysCase]
    id_theft_cases: list[IdTheftCase]
    agreements: list[Agreement]
    payments: list[Payment]
    claims: list[ProtectionClaim]


def key_tags_of(*, ctx: AuditContext, customer: Party) -> list[KeyTag]:
    tags = list(KeyTag.objects.filter(owner=customer).order_by("serial"))
    if tags:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=customer.pk,
            object_type="key_tags",
            detail={"tags": [t.serial for t in tags]},
        )
    return tags


def found_cases_of(*, ctx: AuditContext, customer: Party) -> list[FoundKeysCase]:
    cases = list(
        FoundKeysCase.objects.filter(owner=customer).select_related("tag").order_by("-opened_at")
    )
    if cases:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=customer.pk,
            object_type="found_keys_cases",
            detail={"cases": [c.number for c in cases]},
        )
    return cases


def payments_of(*, ctx: AuditContext, customer: Party) -> list[Payment]:
    """The payments read from OCR giro files that paid the customer's invoices, newest first."""
    payments = list(
        Payment.objects.filter(invoice__agreement__customer=customer)
        .select_related("invoice__agreement", "file")
        .order_by("-paid_on", "-pk")[:100]
    )
    if payments:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=customer.pk,
            object_type="protection_payments",
            detail={"payments": len(payments)},
        )
    return payments


def engagement_of(*, ctx: AuditContext, customer: Party) -> Engagement:
    """The customer's whole engagement; each kind of record read is audited, the page's reads
    appended together."""
    with audit_read_batch():
        return Engagement(
            customer=customer,
            items=items_of(ctx=ctx, customer=customer),
            calls=calls_of(ctx=ctx, customer=customer),
            key_tags=key_tags_of(ctx=ctx, customer=customer),
            found_cases=found_cases_of(ctx=ctx, customer=customer),
            id_theft_cases=id_theft_cases_of(ctx=ctx, customer=customer),
            agreements=agreements_of(ctx=ctx, customer=customer),
            payments=payments_of(ctx=ctx, customer=customer),
            claims=claims_of(ctx=ctx, customer=customer),
        )
