"""Reads of the protection service for pages and the API. Every read of a person's registry,
calls or reports is audited under that person."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from trygg.kernel import idnumbers
from trygg.kernel.audit import AuditContext, audit_record
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
    FoundKeysCase,
    IdTheftCase,
    Invoice,
    Issuer,
    Item,
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
