"""What payers and staff do with single premiums: stop one debit, register an invoice paid, and
read the payment plan and the next debits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from trygg.banking import chart
from trygg.banking.ledger import Leg, book, internal_account
from trygg.billing import rules, states
from trygg.billing.models import BillingTerms, Charge, ChargeMethod, ChargeState, NoticeKind
from trygg.billing.nonpayment import renewed_debit
from trygg.billing.plans import ocr_for
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.numbertext import money_text
from trygg.parties.models import Party


@dataclass(frozen=True)
class Stopped:
    charge: Charge  # the debit stopped
    follow_up: Charge  # the charge that now collects its premium


def charge_stop(*, ctx: AuditContext, person: Party, charge_id: int) -> Stopped:
    """The payer stops one debit, at the latest 2 bank days before its due date. The mandate
    stays; an order already sent to Bankgirot is cancelled in the next file (TK25). The premium
    is still owed (``stopped_follow_up``): the charge that now collects it is returned with it."""
    today = clock.today()
    with transaction.atomic():
        charge = (
            Charge.objects.select_for_update()
            .filter(pk=charge_id, payer=person, method=ChargeMethod.AUTOGIRO)
            .select_related("policy")
            .first()
        )
        if charge is None:
            raise NotFound(_("No such debit among yours."), code="charge.not_found")
        if charge.state not in (ChargeState.PLANNED, ChargeState.ORDERED):
            raise ValidationFailed(
                code="stop.state",
                field="charge",
                message=_("This debit is %(state)s and can no longer be stopped.")
                % {"state": charge.get_state_display().lower()},
            )
        due = charge.order_date or charge.due_date
        try:
            rules.check_stop(due=due, today=today)
        except rules.RuleError as error:
            raise ValidationFailed(
                code=error.code,
                field="charge",
                message=_(
                    "Too late to stop the debit of %(due)s: a stop must reach us at the latest "
                    "2 bank days before the due date, that is by %(deadline)s. Your bank can "
                    "still stop it if you ask it by the bank day before."
                )
                % {"due": due.isoformat(), "deadline": error.params["deadline"]},
            ) from error
        states.charge_move(charge, ChargeState.STOPPED)
        follow_up = stopped_follow_up(charge, today)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=person.pk,
            object_type="charge",
            object_id=charge.pk,
            detail={"stopped": charge.reference, "follow_up": follow_up.reference},
        )
    return Stopped(charge, follow_up)


def stop_rule(charge: Charge) -> str:
    """What follows a stopped debit: the product's § 2 rule. (B) debits it again in the following
    month; (A) and products without billing terms send an invoice."""
    terms = BillingTerms.objects.filter(product_id=charge.policy.product_id).first()
    return "B" if terms is not None and terms.non_payment == "B" else "A"


def stopped_follow_up(charge: Charge, today: dt.date) -> Charge:
    """A stopped debit is still owed ("den aktuella betalningen stoppas vid ett enskilt
    tillfälle"): it is debited again the following month, without a fee (§ 2 (B) products), or
    invoiced with an OCR reference, due on its due date or within the invoice days (A). The
    stopped charge stays stopped (its order is cancelled at Bankgirot); the charge that now
    collects it is returned."""
    if stop_rule(charge) == "B":
        return renewed_debit(charge, Decimal(0), today)
    reference = rules.stopped_invoice_reference(charge.reference)
    return Charge.objects.create(
        policy_id=charge.policy_id,
        term_id=charge.term_id,
        payer_id=charge.payer_id,
        mandate_id=charge.mandate_id,
        method=ChargeMethod.INVOICE,
        period_start=charge.period_start,
        due_date=charge.due_date,
        premium=charge.premium,
        fee=charge.fee,
        carried=charge.carried,
        amount=charge.amount,
        state=ChargeState.INVOICED,
        reference=reference,
        ocr=ocr_for(reference),
        created_at=clock.now(),
    )


def invoice_payment_register(
    *, ctx: AuditContext, ocr: str, amount: Decimal, paid_on: dt.date
) -> Charge:
    """A payment of an invoice or cancellation notice received with its OCR reference."""
    reference = "".join(ch for ch in (ocr or "") if ch.isdigit())
    with transaction.atomic():
        charge = (
            Charge.objects.select_for_update()
            .filter(
                ocr=reference,
                state__in=[ChargeState.PLANNED, ChargeState.INVOICED, ChargeState.FAILED],
            )
            .exclude(method=ChargeMethod.AUTOGIRO, state=ChargeState.PLANNED)
            .first()
        )
        if charge is None:
            raise NotFound(_("No unpaid premium has this OCR reference."), code="ocr.unknown")
        if amount != charge.amount:
            raise ValidationFailed(
                code="payment.amount",
                field="amount",
                message=_("The amount must be %(amount)s, as on the invoice.")
                % {"amount": money_text(charge.amount)},
            )
        entry = book(
            kind="premium_invoice",
            description=f"Invoice {charge.reference} OCR {reference}",
            legs=[
                Leg(internal_account(chart.INCOMING_GIRO), amount, reference),
                Leg(internal_account(chart.PREMIUM_INCOME), -amount, charge.reference),
            ],
            party=None,
        )
        states.charge_move(charge, ChargeState.PAID, settled_on=paid_on, ledger=entry)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=charge.payer_id,
            object_type="charge",
            object_id=charge.pk,
            detail={"paid": str(amount), "ocr": reference},
        )
    return charge


def plan_of(*, ctx: AuditContext, person: Party) -> list[Charge]:
    """The payer's premiums from a year back on: the payment plan and the next debits."""
    since = clock.today() - dt.timedelta(days=366)
    charges = list(
        Charge.objects.filter(payer=person, due_date__gte=since)
        .exclude(state=ChargeState.CANCELLED)
        .select_related("policy", "mandate", "notice")
        .order_by("due_date", "pk")
    )
    if charges:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="charge",
            detail={"count": len(charges)},
        )
    return charges


def is_stoppable(charge: Charge, today: dt.date) -> bool:
    if charge.method != ChargeMethod.AUTOGIRO or charge.state not in (
        ChargeState.PLANNED,
        ChargeState.ORDERED,
    ):
        return False
    return today <= rules.stop_deadline(charge.order_date or charge.due_date).last_day


def cancellation_pending(charge: Charge) -> bool:
    return charge.notice is not None and charge.notice.kind == NoticeKind.CANCELLATION
