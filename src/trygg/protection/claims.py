"""Every write of a claim on the protection insurances: reported on Mine sider or entered by staff
from a paper form, documents added (type and size checked, stored through Django's storage API),
more information asked for (the handling clock stands still) and received (it runs again),
approved or rejected, and the approved amount paid once through the ledger to the account given
in the claim. A claim moves only through :func:`_move` and :data:`rules.CLAIM_TRANSITIONS`; the
handling time is the claims app's rule (:func:`trygg.claims.rules.handling_due`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.banking import chart
from trygg.banking.ledger import Leg, book, internal_account
from trygg.claims import rules as claim_rules
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.money import round_amount
from trygg.kernel.validation import Problems
from trygg.parties.models import Party
from trygg.protection import rules
from trygg.protection.messages import rule_message
from trygg.protection.models import (
    Agreement,
    ClaimChannel,
    ClaimDocument,
    ClaimDocumentKind,
    ClaimState,
    ProductKind,
    ProtectionClaim,
)

DESCRIPTION_MAX = 4000
INFORMATION_MAX = 2000


Upload: TypeAlias = "UploadedFile[bytes]"
"""A file as a form hands it over."""


def _failed(error: rules.RuleError) -> ValidationFailed:
    return ValidationFailed(code=error.code, field=error.field, message=rule_message(error))


@dataclass(frozen=True)
class ClaimInput:
    """What the claim form (on Mine sider or on paper) says."""

    agreement: str
    incident_on: dt.date | None
    description: str
    amount_claimed: Decimal | str | None
    payout_account: str


def _amount(problems: Problems, value: object, field: str = "amount_claimed") -> Decimal:
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", ".")) if value else None
    except InvalidOperation:
        amount = None
    if isinstance(value, float):
        amount = None
    if amount is None or not amount.is_finite():
        problems.add(field, "amount.format", _("Give the amount in kroner."))
        return Decimal(0)
    if amount <= 0 or amount > rules.CLAIM_MAX_AMOUNT:
        problems.add(
            field,
            "amount.range",
            _("The amount must be more than 0 and at most %(max)s kroner.")
            % {"max": f"{rules.CLAIM_MAX_AMOUNT:,}".replace(",", " ")},
        )
    elif amount != round_amount(amount, "NOK"):
        problems.add(field, "amount.decimals", _("Give the amount in kroner and øre."))
    return amount


def _agreement(problems: Problems, customer: Party, number: str) -> Agreement | None:
    """The customer's own insurance agreement; another customer's is answered as unknown."""
    agreement = (
        Agreement.objects.filter(number=number.strip(), customer=customer)
        .select_related("product")
        .first()
    )
    if agreement is None:
        problems.add(
            "agreement",
            "agreement.not_yours",
            _("No such agreement among yours: choose one of your insurances."),
        )
        return None
    if agreement.product.kind != ProductKind.INSURANCE:
        problems.add(
            "agreement",
            "agreement.not_insurance",
            _("Claims are made on an insurance: this agreement is a service, not an insurance."),
        )
        return None
    return agreement


def _check(customer: Party, data: ClaimInput) -> tuple[Agreement, dt.date, str, Decimal, str]:
    problems = Problems()
    agreement = _agreement(problems, customer, data.agreement)
    text = (data.description or "").strip()
    if not text:
        problems.add("description", "text.required", _("Tell us what happened."))
    elif len(text) > DESCRIPTION_MAX:
        problems.add(
            "description",
            "text.too_long",
            _("At most %(max)d characters (got %(got)d).")
            % {"max": DESCRIPTION_MAX, "got": len(text)},
        )
    day = data.incident_on
    today = clock.today()
    if not isinstance(day, dt.date):
        problems.add("incident_on", "date.format", _("Give the date of the loss."))
    elif day > today:
        problems.add("incident_on", "claim.future", _("The date of the loss is in the future."))
    elif agreement is not None and (
        day < agreement.started_on or (agreement.end_on is not None and day > agreement.end_on)
    ):
        problems.add(
            "incident_on",
            "claim.not_in_cover",
            _("The insurance did not cover %(date)s: the date of the loss must fall in it.")
            % {"date": day.isoformat()},
        )
    amount = _amount(problems, data.amount_claimed)
    account = ""
    try:
        account = rules.clean_norwegian_account(data.payout_account or "")
    except rules.RuleError as error:
        problems.add("payout_account", error.code, rule_message(error))
    problems.raise_if_any()
    assert agreement is not None and isinstance(day, dt.date)
    return agreement, day, text, amount, account


def _report(
    *,
    ctx: AuditContext,
    customer: Party,
    data: ClaimInput,
    channel: ClaimChannel,
    documents: list[tuple[str, Upload]],
) -> ProtectionClaim:
    agreement, day, text, amount, account = _check(customer, data)
    checked = [(kind, upload, _checked_upload(upload, kind)) for kind, upload in documents]
    today = clock.today()
    stored: list[str] = []
    try:
        with transaction.atomic():
            claim = ProtectionClaim.objects.create(
                number=f"K{counter_next(name='protection_claim', start=700001)}",
                agreement=agreement,
                customer=customer,
                channel=channel,
                incident_on=day,
                description=text,
                amount_claimed=amount,
                payout_account=account,
                state=ClaimState.REPORTED,
                reported_at=clock.now(),
                reported_on=today,
                due_on=claim_rules.handling_due(today),
            )
            for kind, upload, content_type in checked:
                stored.append(str(_store(claim, kind, upload, content_type, channel).file.name))
            audit_record(
                ctx=ctx,
                action=AuditAction.CREATE,
                subject_id=customer.pk,
                object_type="protection_claim",
                object_id=claim.pk,
                detail={"channel": str(channel), "documents": len(checked)},
            )
    except BaseException:
        _remove_files(stored)
        raise
    return claim


def claim_report(
    *,
    ctx: AuditContext,
    customer: Party,
    data: ClaimInput,
    documents: list[tuple[str, Upload]] | None = None,
) -> ProtectionClaim:
    """The customer reports a loss on Mine sider, on one of their own insurances."""
    return _report(
        ctx=ctx, customer=customer, data=data, channel=ClaimChannel.WEB, documents=documents or []
    )


def claim_report_paper(
    *,
    ctx: AuditContext,
    customer_id: int,
    data: ClaimInput,
    documents: list[tuple[str, Upload]] | None = None,
) -> ProtectionClaim:
    """Staff enter a claim form that came by post, with its scanned documents."""
    customer = Party.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No customer with that number."), code="customer.not_found")
    return _report(
        ctx=ctx,
        customer=customer,
        data=data,
        channel=ClaimChannel.PAPER,
        documents=documents or [],
    )


# -- documents --------------------------------------------------------------------------------


def _checked_upload(upload: Upload, kind: str) -> str:
    if kind not in ClaimDocumentKind.values:
        raise ValidationFailed(
            code="kind.choice", field="kind", message=_("Choose what kind of document it is.")
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        return rules.check_document(upload.name or "", int(upload.size or 0), head)
    except rules.RuleError as error:
        raise _failed(error) from error


def _store(
    claim: ProtectionClaim, kind: str, upload: Upload, content_type: str, channel: ClaimChannel
) -> ClaimDocument:
    name = (upload.name or "document").replace("/", "_").replace("\\", "_")[-120:]
    document = ClaimDocument(
        claim=claim,
        kind=kind,
        name=name,
        content_type=content_type,
        size=int(upload.size or 0),
        uploaded_at=clock.now(),
        by_customer=channel == ClaimChannel.WEB,
    )
    document.file.save(name, upload, save=False)
    document.save()
    return document


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _locked(claim_id: int, customer: Party | None = None) -> ProtectionClaim:
    rows = ProtectionClaim.objects.select_for_update()
    if customer is not None:
        rows = rows.filter(customer=customer)
    claim = rows.filter(pk=claim_id).first()
    if claim is None:
        raise NotFound(_("No such claim."), code="claim.not_found")
    return claim


def _move(claim: ProtectionClaim, to: rules.ClaimState, **changes: Any) -> ProtectionClaim:
    """The one place a claim changes state: the table's check, then a conditional update on the
    state it was in, so a concurrent move of the same claim loses."""
    try:
        rules.check_move(rules.CLAIM_TRANSITIONS, claim.state, to, "protection_claim")
    except rules.RuleError as error:
        raise ValidationFailed(
            code=error.code,
            field="state",
            message=_("The claim is %(state)s and cannot become %(to)s.")
            % {"state": claim.get_state_display(), "to": ClaimState(to).label},
        ) from error
    moved = ProtectionClaim.objects.filter(pk=claim.pk, state=claim.state).update(
        state=to, **changes
    )
    if not moved:
        raise ValidationFailed(
            code="claim.changed", field="state", message=_("The claim changed meanwhile.")
        )
    claim.refresh_from_db()
    return claim


def _audit(ctx: AuditContext, claim: ProtectionClaim, step: str, **detail: Any) -> None:
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=claim.customer_id,
        object_type="protection_claim",
        object_id=claim.pk,
        detail={"step": step, "state": claim.state, **detail},
    )


def _resume(claim: ProtectionClaim) -> ProtectionClaim:
    """The information arrived: the clock runs again and the due date moves by the days it
    stood still."""
    since = claim.waiting_since or clock.today()  # not waiting: the table refuses the move
    days = claim_rules.pause_days(since, max(clock.today(), since))
    paused = claim.paused_days + days
    return _move(
        claim,
        rules.ClaimState.REPORTED,
        waiting_since=None,
        paused_days=paused,
        due_on=claim_rules.handling_due(claim.reported_on, paused),
    )


def document_add(
    *,
    ctx: AuditContext,
    claim_id: int,
    kind: str,
    upload: Upload,
    customer: Party | None = None,
) -> ClaimDocument:
    """A document for a claim, from the customer (their own claim only) or from staff (a
    scanned letter). A document the customer sends while information is awaited is the
    information: the clock runs again."""
    content_type = _checked_upload(upload, kind)
    stored: list[str] = []
    try:
        with transaction.atomic():
            claim = _locked(claim_id, customer)
            if claim.state in (ClaimState.PAID, ClaimState.REJECTED):
                raise ValidationFailed(
                    code="claim.closed",
                    field="document",
                    message=_("The claim is decided: documents can no longer be added."),
                )
            try:
                rules.check_documents_count(claim.documents.count())
            except rules.RuleError as error:
                raise _failed(error) from error
            channel = ClaimChannel.WEB if customer is not None else ClaimChannel.PAPER
            document = _store(claim, kind, upload, content_type, channel)
            stored.append(str(document.file.name))
            if customer is not None and claim.state == ClaimState.WAITING:
                claim = _resume(claim)
            _audit(ctx, claim, "document", document=document.pk)
    except BaseException:
        _remove_files(stored)
        raise
    return document


# -- handling ---------------------------------------------------------------------------------


def claim_ask_information(*, ctx: AuditContext, claim_id: int, text: str) -> ProtectionClaim:
    """More information is needed: the customer is told what, and the clock stands still from
    today until it arrives."""
    asked = " ".join((text or "").split())
    if not asked or len(asked) > INFORMATION_MAX:
        raise ValidationFailed(
            code="information.required",
            field="information",
            message=_("Say what information is needed (at most %(max)d characters).")
            % {"max": INFORMATION_MAX},
        )
    with transaction.atomic():
        claim = _move(
            _locked(claim_id),
            rules.ClaimState.WAITING,
            waiting_since=clock.today(),
            information_asked=asked,
        )
        _audit(ctx, claim, "information asked")
    return claim


def claim_information_received(*, ctx: AuditContext, claim_id: int) -> ProtectionClaim:
    """The information asked for arrived (by post, phone or e-mail): the clock runs again."""
    with transaction.atomic():
        claim = _resume(_locked(claim_id))
        _audit(ctx, claim, "information received", paused_days=claim.paused_days)
    return claim


def claim_approve(
    *, ctx: AuditContext, user: Any, claim_id: int, amount: Decimal | str | None
) -> ProtectionClaim:
    """The claim gives a right to compensation of ``amount`` kroner."""
    problems = Problems()
    value = _amount(problems, amount, "amount")
    problems.raise_if_any()
    with transaction.atomic():
        claim = _move(
            _locked(claim_id),
            rules.ClaimState.APPROVED,
            amount_approved=value,
            decided_by=user,
            decided_at=clock.now(),
        )
        _audit(ctx, claim, "approved", amount=str(value))
    return claim


def claim_reject(*, ctx: AuditContext, user: Any, claim_id: int, reason: str) -> ProtectionClaim:
    text = " ".join((reason or "").split())
    if not text or len(text) > INFORMATION_MAX:
        raise ValidationFailed(
            code="reason.required",
            field="reason",
            message=_("Give the reason for the rejection (at most %(max)d characters).")
            % {"max": INFORMATION_MAX},
        )
    with transaction.atomic():
        claim = _move(
            _locked(claim_id),
            rules.ClaimState.REJECTED,
            rejection_reason=text,
            waiting_since=None,
            decided_by=user,
            decided_at=clock.now(),
        )
        _audit(ctx, claim, "rejected")
    return claim


def claim_pay(*, ctx: AuditContext, claim_id: int) -> ProtectionClaim:
    """The approved amount to the account given in the claim, through the ledger, once: the
    claim's row is locked, the move is conditional on the approved state, and the ledger
    transaction's idempotency key is the claim's."""
    with transaction.atomic():
        claim = _locked(claim_id)
        if claim.state == ClaimState.PAID:
            raise ValidationFailed(
                code="claim.paid", field="claim", message=_("This claim is paid already.")
            )
        if claim.state != ClaimState.APPROVED or claim.amount_approved is None:
            raise ValidationFailed(
                code="claim.not_approved",
                field="claim",
                message=_("Only an approved claim is paid."),
            )
        amount = claim.amount_approved
        entry = book(
            kind="protection_claim_payout",
            description=f"Erstatning {claim.number}",
            legs=[
                Leg(internal_account(chart.PROTECTION_CLAIMS), -amount),
                Leg(internal_account(chart.NOK_OUTGOING), amount, claim.payout_account),
            ],
            party=claim.customer,
            idempotency_key=f"protection-claim-{claim.number}",
            request={"claim": claim.number, "account": claim.payout_account, "amount": str(amount)},
        )
        claim = _move(
            claim,
            rules.ClaimState.PAID,
            paid_at=clock.now(),
            payout_transaction_id=entry.pk,
        )
        _audit(ctx, claim, "paid", amount=str(amount), transaction=entry.pk)
    return claim
