"""Every write of the ID-protection department's cases: opened with the customer, the claims
and invoices run up in the customer's name disputed with their creditors, the steps taken (the
letters, a credit-reference block, a police report) with their deadlines, and the case closed.
The customer reads the case log on Mine sider. A case moves only through
:data:`rules.ID_THEFT_TRANSITIONS`, a claim through :data:`rules.DISPUTE_TRANSITIONS`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.money import round_amount
from trygg.parties.models import Party
from trygg.protection import rules
from trygg.protection.messages import rule_message
from trygg.protection.models import (
    CaseStep,
    DisputedClaim,
    DisputeState,
    IdTheftCase,
    IdTheftState,
    StepKind,
)


def _failed(error: rules.RuleError) -> ValidationFailed:
    return ValidationFailed(code=error.code, field=error.field, message=rule_message(error))


def _text(field: str, value: str, *, required: bool = True, limit: int = 2000) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationFailed(
            code=f"{field}.required", field=field, message=_("This field is required.")
        )
    try:
        rules.check_no_card_number(field, value)
    except rules.RuleError as error:
        raise _failed(error) from error
    return value[:limit]


def _audit(ctx: AuditContext, case: IdTheftCase, action: str, detail: dict[str, object]) -> None:
    audit_record(
        ctx=ctx,
        action=action,
        subject_id=case.customer_id,
        object_type="id_theft_case",
        object_id=case.pk,
        detail=detail,
    )


def idtheft_open(*, ctx: AuditContext, customer: Party, summary: str) -> IdTheftCase:
    summary = _text("summary", summary)
    with transaction.atomic():
        case = IdTheftCase.objects.create(
            number=f"I{counter_next(name='id_theft_case', start=200001)}",
            customer=customer,
            state=IdTheftState.OPEN,
            summary=summary,
            opened_at=clock.now(),
        )
        _audit(ctx, case, AuditAction.CREATE, {"number": case.number})
    return case


def _open_case(case_id: int) -> IdTheftCase:
    case = IdTheftCase.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."), code="case.not_found")
    if case.state != IdTheftState.OPEN:
        raise ValidationFailed(
            code="case.closed", field="case", message=_("The case is closed: open it again first.")
        )
    return case


def idtheft_claim_add(
    *,
    ctx: AuditContext,
    case_id: int,
    creditor: str,
    amount: str,
    reference: str = "",
    deadline: dt.date | None = None,
) -> DisputedClaim:
    """A claim or invoice the customer never ran up, disputed with its creditor."""
    creditor = _text("creditor", creditor, limit=120)
    reference = _text("reference", reference, required=False, limit=60)
    try:
        value = Decimal(amount.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0:
        raise ValidationFailed(
            code="amount.positive", field="amount", message=_("Give the claim's amount.")
        )
    with transaction.atomic():
        case = _open_case(case_id)
        claim = DisputedClaim.objects.create(
            case=case,
            creditor=creditor,
            amount=round_amount(value, "NOK"),
            reference=reference,
            state=DisputeState.DISPUTED,
            deadline=deadline,
            updated_at=clock.now(),
        )
        _audit(ctx, case, AuditAction.UPDATE, {"claim": claim.pk, "creditor": creditor})
    return claim


def idtheft_claim_move(
    *, ctx: AuditContext, claim_id: int, to: str, note: str = ""
) -> DisputedClaim:
    """The creditor's answer: the claim withdrawn, or upheld (and disputed again)."""
    with transaction.atomic():
        claim = DisputedClaim.objects.select_for_update().filter(pk=claim_id).first()
        if claim is None:
            raise NotFound(_("No such claim."), code="claim.not_found")
        case = _open_case(claim.case_id)
        try:
            rules.check_move(rules.DISPUTE_TRANSITIONS, claim.state, to, "dispute")
        except rules.RuleError as error:
            raise _failed(error) from error
        claim.state = to
        claim.updated_at = clock.now()
        claim.save(update_fields=["state", "updated_at"])
        if note.strip():
            CaseStep.objects.create(
                case=case, claim=claim, kind=StepKind.NOTE, text=_text("note", note), at=clock.now()
            )
        _audit(ctx, case, AuditAction.UPDATE, {"claim": claim.pk, "state": to})
    return claim


def idtheft_step_add(
    *,
    ctx: AuditContext,
    case_id: int,
    kind: str,
    text: str,
    claim_id: int | None = None,
    deadline: dt.date | None = None,
) -> CaseStep:
    """A step taken: a letter disputing a claim, a credit-reference block, a police report."""
    if kind not in StepKind.values:
        raise ValidationFailed(code="kind.choice", field="kind", message=_("Choose the step."))
    text = _text("text", text)
    with transaction.atomic():
        case = _open_case(case_id)
        claim = None
        if claim_id is not None:
            claim = DisputedClaim.objects.filter(pk=claim_id, case=case).first()
            if claim is None:
                raise NotFound(_("No such claim."), code="claim.not_found")
        step = CaseStep.objects.create(
            case=case, claim=claim, kind=kind, text=text, at=clock.now(), deadline=deadline
        )
        _audit(ctx, case, AuditAction.UPDATE, {"step": step.pk, "kind": kind})
    return step


def idtheft_close(*, ctx: AuditContext, case_id: int) -> IdTheftCase:
    """Closed when every claim is withdrawn: one disputed or upheld by its creditor is still
    being worked."""
    with transaction.atomic():
        case = _open_case(case_id)
        if case.claims.exclude(state=DisputeState.WITHDRAWN).exists():
            raise ValidationFailed(
                code="case.claims_open",
                field="case",
                message=_("A claim is still open with its creditor: the case stays open."),
            )
        rules.check_move(rules.ID_THEFT_TRANSITIONS, case.state, IdTheftState.CLOSED, "case")
        case.state = IdTheftState.CLOSED
        case.closed_at = clock.now()
        case.save(update_fields=["state", "closed_at"])
        _audit(ctx, case, AuditAction.UPDATE, {"state": "closed"})
    return case
