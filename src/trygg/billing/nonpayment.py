"""Non-payment (§ 2 of the autogiro agreement) and unpaid invoices.

A debit refused for lack of funds is tried again (the product's number of attempts). When it is
finally unpaid, the product's rule applies:

- (A) a cancellation notice with a payment slip (OCR) is sent; unpaid by its date, the policy
  lapses on that date (``insurance.policies.policy_lapse``);
- (B) the unpaid premium and the notice fee are debited again in the following month, for
  monthly, half-yearly and yearly payers alike (added to that month's premium, or a renewed
  debit of their own; a new payment plan tells the amount); if that debit fails too, the autogiro
  agreement ends at once and the rest of the term is invoiced under the insurance contract's
  terms (``plans.term_remainder_invoice``).

An invoice unpaid by its date gets the cancellation notice of the general terms (A).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q
from django.utils.translation import gettext as _

from trygg.billing import rules, states
from trygg.billing.mandates import Terminator, mandate_terminate
from trygg.billing.models import (
    BillingTerms,
    Charge,
    ChargeMethod,
    ChargeState,
    MandateState,
    Notice,
    NoticeKind,
)
from trygg.billing.plans import ocr_for, term_remainder_invoice
from trygg.insurance.models import PolicyState
from trygg.insurance.policies import policy_lapse
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.kernel.numbertext import money_text

INSUFFICIENT_FUNDS = "1"


def _terms() -> dict[int, BillingTerms]:
    return {t.product_id: t for t in BillingTerms.objects.all()}


def _default_terms(product_id: int) -> BillingTerms:
    return BillingTerms(
        product_id=product_id, non_payment="A", notice_fee=Decimal(0), invoice_days=14
    )


def retry_eligible() -> Q:
    """Failed debits that are debited again: lack of funds, attempts left, mandate active."""
    return Q(
        method=ChargeMethod.AUTOGIRO,
        state=ChargeState.FAILED,
        status_code=INSUFFICIENT_FUNDS,
        mandate__state=MandateState.ACTIVE,
        attempts__lt=F("policy__product__billing__max_attempts"),
    )


def _attempts_left(charge: Charge, terms: BillingTerms) -> bool:
    return (
        charge.method == ChargeMethod.AUTOGIRO
        and charge.status_code == INSUFFICIENT_FUNDS
        and charge.mandate is not None
        and charge.mandate.state == MandateState.ACTIVE
        and charge.attempts < terms.max_attempts
    )


def nonpayment_handle(*, ctx: AuditContext, on: dt.date) -> dict[str, int]:
    """Decide on every finally unpaid premium, and lapse the policies whose cancellation notice
    went unpaid. Idempotent per date: a handled premium is not handled again."""
    terms = _terms()
    counts = {"carried": 0, "cancellation_notices": 0, "invoiced": 0, "lapsed": 0}
    # Invoices past their date become unpaid premiums (general terms: cancellation notice).
    states.charges_move(
        Charge.objects.filter(
            method=ChargeMethod.INVOICE,
            state__in=[ChargeState.PLANNED, ChargeState.INVOICED],
            notice__isnull=False,
            due_date__lt=on,
        ).exclude(notice__kind=NoticeKind.CANCELLATION),
        ChargeState.FAILED,
        status_code="",
        status_text=_("Invoice not paid by its date."),
    )
    unpaid = (
        Charge.objects.filter(state=ChargeState.FAILED, policy__state=PolicyState.ACTIVE)
        .exclude(notice__kind=NoticeKind.CANCELLATION)
        .select_related("policy", "mandate")
        .order_by("due_date", "pk")
    )
    for charge in unpaid:
        product_terms = terms.get(charge.policy.product_id) or _default_terms(
            charge.policy.product_id
        )
        if _attempts_left(charge, product_terms):
            continue
        if charge.method == ChargeMethod.AUTOGIRO and product_terms.non_payment == "B":
            counts[_rule_b(ctx, charge, product_terms, on)] += 1
        else:
            _cancellation_notice(charge, product_terms, on)
            counts["cancellation_notices"] += 1
    for charge in Charge.objects.filter(
        state=ChargeState.FAILED,
        notice__kind=NoticeKind.CANCELLATION,
        notice__pay_by__lt=on,
        policy__state=PolicyState.ACTIVE,
    ).select_related("notice"):
        assert charge.notice is not None and charge.notice.pay_by is not None
        policy_lapse(ctx=ctx, policy_id=charge.policy_id, on=charge.notice.pay_by)
        counts["lapsed"] += 1
    return counts


def _cancellation_notice(charge: Charge, terms: BillingTerms, on: dt.date) -> None:
    """(A): a cancellation notice with a payment slip; unpaid by its date, cover ends then."""
    pay_by = on + dt.timedelta(days=terms.invoice_days)
    ocr = charge.ocr or ocr_for(charge.reference)
    charge.notice = Notice.objects.create(
        payer_id=charge.payer_id,
        mandate=charge.mandate,
        kind=NoticeKind.CANCELLATION,
        sent_on=on,
        pay_by=pay_by,
        ocr=ocr,
        total=charge.amount,
        text=_(
            "The premium of %(amount)s due on %(due)s has not been paid. Pay it by "
            "%(pay_by)s with the payment slip, or the insurance ends on that day."
        )
        % {"amount": money_text(charge.amount), "due": charge.due_date, "pay_by": pay_by},
        created_at=clock.now(),
    )
    charge.ocr = ocr
    charge.save(update_fields=["notice", "ocr"])


def renewed_debit(charge: Charge, fee: Decimal, on: dt.date) -> Charge:
    """§ 2 (B): "Förnyad avisering sker påföljande månad varvid obetald premie och eventuell
    aviseringsavgift debiteras". The unpaid amount and the fee are debited on the first bank day
    of the month after its due date: added to the premium already due then (a monthly payer),
    else a renewed debit of their own (a half-yearly or yearly payer). A new payment plan tells
    the payer, at least 8 bank days before. Returns the charge that now collects it."""
    month = rules.renewed_debit_month(charge.due_date)
    due = max(rules.due_date(month), rules.earliest_due(on))
    following = (
        Charge.objects.select_for_update()
        .filter(
            policy_id=charge.policy_id,
            method=ChargeMethod.AUTOGIRO,
            state=ChargeState.PLANNED,
            due_date__gte=month,
            due_date__lt=rules.renewed_debit_month(month),
        )
        .order_by("due_date")
        .first()
    )
    if following is None:
        following = Charge(
            policy_id=charge.policy_id,
            term_id=charge.term_id,
            payer_id=charge.payer_id,
            mandate_id=charge.mandate_id,
            method=ChargeMethod.AUTOGIRO,
            period_start=charge.period_start,
            due_date=due,
            premium=Decimal(0),
            state=ChargeState.PLANNED,
            reference=rules.renewed_debit_reference(charge.policy.number, month),
            created_at=clock.now(),
        )
    following.carried += charge.amount
    following.fee += fee
    following.amount = following.premium + following.fee + following.carried
    following.due_date = max(following.due_date, rules.earliest_due(on))
    following.notice = Notice.objects.create(
        payer_id=following.payer_id,
        mandate_id=following.mandate_id,
        kind=NoticeKind.PLAN,
        sent_on=on,
        total=following.amount,
        text=(
            _(
                "The premium of %(amount)s due on %(due)s was not debited. It is debited "
                "again, with a fee of %(fee)s, on %(next)s: %(total)s."
            )
            if fee
            else _(
                "The premium of %(amount)s due on %(due)s was stopped. It is still owed and "
                "is debited on %(next)s: %(total)s."
            )
        )
        % {
            "amount": money_text(charge.amount),
            "due": charge.due_date,
            "fee": money_text(fee),
            "next": following.due_date,
            "total": money_text(following.amount),
        },
        created_at=clock.now(),
    )
    following.save()
    return following


def _rule_b(ctx: AuditContext, charge: Charge, terms: BillingTerms, on: dt.date) -> str:
    if charge.carried == 0:
        renewed_debit(charge, terms.notice_fee, on)
        states.charge_move(charge, ChargeState.CARRIED)
        return "carried"
    # The renewed debit is unpaid too: "Detta autogiroavtal upphör att gälla. Försäkringen
    # aviseras och ska betalas i enlighet med de allmänna villkoren": autogiro ends at once and
    # the rest of the term is invoiced under the insurance contract's terms.
    mandate = charge.mandate
    if mandate is not None and mandate.state == MandateState.ACTIVE:
        mandate_terminate(
            ctx=ctx,
            mandate_id=mandate.pk,
            by=Terminator.INSURER,
            reason=_("Premiums unpaid (§ 2 of the autogiro agreement)."),
            at_once=True,
        )
    if charge.term_id is not None:
        term_remainder_invoice(term_id=charge.term_id, on=on)
    else:
        states.charge_move(
            charge,
            ChargeState.INVOICED,
            method=ChargeMethod.INVOICE,
            ocr=ocr_for(charge.reference),
            notice=None,
            due_date=on,
        )
    return "invoiced"
