"""Premium schedules and payment plans.

Each policy term's premium schedule (``insurance.rules.schedule``: the year's premium with the
period's surcharge, in instalments) becomes one charge per period, due on the first bank day of
its period. A term paid by autogiro gets a payment plan: the notice of amounts, due dates and
method, sent at least 8 bank days before the first due date it covers. A new term (renewal, an
increase or decrease, another period) gets a new plan; charges of a term that was cut short or
replaced fall away. Premiums of a policy without an active mandate are invoiced with an OCR
reference.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q

from trygg.billing import rules, states
from trygg.billing.models import (
    BillingTerms,
    Charge,
    ChargeMethod,
    ChargeState,
    Mandate,
    MandatePolicy,
    Notice,
    NoticeKind,
)
from trygg.billing.ocr import ocr_reference
from trygg.insurance.autogiro import FirstDebit
from trygg.insurance.models import Policy, PolicyState, PolicyTerm
from trygg.insurance.policies import term_schedule, term_yearly_schedule
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.models import AuditAction

BATCH = 2000
SETTING_UP = ("requested", "sent")
GONE = ("revoked", "ended", "rejected")


def ocr_for(reference: str) -> str:
    return ocr_reference("".join(ch for ch in reference if ch.isdigit()))


def charges_cancel_stale(on: dt.date) -> int:
    """Planned charges whose term was replaced or cut short, or whose policy ended, fall away."""
    open_states = [ChargeState.PLANNED, ChargeState.INVOICED]
    gone = Charge.objects.filter(state__in=open_states).filter(
        Q(term__isnull=True)
        | Q(period_start__gte=F("term__ends_on"))
        | Q(policy__state__in=[PolicyState.CANCELLED, PolicyState.LAPSED])
        & Q(period_start__gte=F("policy__ended_on"))
    )
    return states.charges_move(gone, ChargeState.CANCELLED)


def _terms_to_plan(on: dt.date) -> list[PolicyTerm]:
    planned = Charge.objects.filter(term=OuterRef("pk"))
    return list(
        PolicyTerm.objects.filter(
            policy__state=PolicyState.ACTIVE,
            starts_on__lte=on + dt.timedelta(days=rules.PLAN_HORIZON_DAYS),
            ends_on__gt=on,
        )
        .filter(~Exists(planned))
        .select_related("policy")
        .order_by("policy_id", "starts_on")
    )


def charges_plan(on: dt.date) -> dict[str, int]:
    """Create the charges of every term starting within the horizon that has none, and send each
    payer one payment plan (autogiro) for them. Idempotent: a planned term is not planned again.
    """
    terms = _terms_to_plan(on)
    if not terms:
        return {"charges_planned": 0, "payment_plans": 0}
    cal = rules.se_calendar()
    earliest = rules.earliest_due(on, cal)
    now = clock.now()
    # Only the mandates of the policies planned now: on most days there are few or none.
    policy_ids = sorted({term.policy_id for term in terms})
    mandates: dict[int, Mandate] = {}
    for first in range(0, len(policy_ids), BATCH):
        mandates.update(
            (mp.policy_id, mp.mandate)
            for mp in MandatePolicy.objects.filter(
                policy_id__in=policy_ids[first : first + BATCH],
                detached_on__isnull=True,
                mandate__state__in=rules.OPEN_MANDATE_STATES,
            ).select_related("mandate")
        )
    # Policies whose autogiro has ended: the insurance contract's terms apply to their terms.
    without: set[int] = set()
    for first in range(0, len(policy_ids), BATCH):
        unpaid_by_mandate = [p for p in policy_ids[first : first + BATCH] if p not in mandates]
        without.update(
            MandatePolicy.objects.filter(
                policy_id__in=unpaid_by_mandate, mandate__state__in=GONE
            ).values_list("policy_id", flat=True)
        )
    new: list[Charge] = []
    for term in terms:
        policy = term.policy
        mandate = mandates.get(policy.pk)
        # After autogiro the insurance contract's terms apply: an invoice per half-year or year,
        # never a monthly invoice. A policy still waiting for its first mandate is planned by its
        # period; its premiums move to autogiro when the mandate comes (charges_to_autogiro).
        monthly_invoice = mandate is None and term.period == "monthly" and policy.pk in without
        schedule = term_yearly_schedule(term) if monthly_invoice else term_schedule(term)
        for instalment in schedule:
            if instalment.due_from < on:
                continue  # a period already begun when the term was written (an amendment)
            due = rules.due_date(instalment.due_from, cal)
            if mandate is not None and due < earliest:
                due = earliest  # no debit without notice 8 bank days ahead
            reference = rules.charge_reference(policy.number, instalment.period_start)
            new.append(
                Charge(
                    policy=policy,
                    term=term,
                    payer_id=mandate.payer_id if mandate else policy.policyholder_id,
                    mandate=mandate,
                    method=ChargeMethod.AUTOGIRO if mandate else ChargeMethod.INVOICE,
                    period_start=instalment.period_start,
                    due_date=due,
                    premium=instalment.amount,
                    amount=instalment.amount,
                    state=ChargeState.PLANNED,
                    reference=reference,
                    ocr="" if mandate else ocr_for(reference),
                    created_at=now,
                )
            )
    # A re-planned period (an amendment from the same day) replaces a cancelled charge's row; a
    # period already collected under the earlier term is not charged twice.
    references = [c.reference for c in new]
    taken: set[str] = set()
    for first in range(0, len(references), BATCH):
        batch = references[first : first + BATCH]
        Charge.objects.filter(reference__in=batch, state=ChargeState.CANCELLED).delete()
        taken.update(Charge.objects.filter(reference__in=batch).values_list("reference", flat=True))
    new = [c for c in new if c.reference not in taken]
    Charge.objects.bulk_create(new, batch_size=BATCH)
    plans = _send_plans(on, [c for c in new if c.method == ChargeMethod.AUTOGIRO])
    return {"charges_planned": len(new), "payment_plans": plans}


def _send_plans(on: dt.date, charges: list[Charge]) -> int:
    by_payer: dict[int, list[Charge]] = defaultdict(list)
    for charge in charges:
        by_payer[charge.payer_id].append(charge)
    now = clock.now()
    for payer_id, items in by_payer.items():
        notice = Notice.objects.create(
            payer_id=payer_id,
            mandate=items[0].mandate,
            kind=NoticeKind.PLAN,
            sent_on=on,
            total=sum((c.amount for c in items), Decimal(0)),
            created_at=now,
        )
        Charge.objects.filter(pk__in=[c.pk for c in items]).update(notice=notice)
    return len(by_payer)


def invoices_send(on: dt.date) -> int:
    """An invoice with an OCR reference for each invoiced premium due within 30 days."""
    terms = {t.product_id: t for t in BillingTerms.objects.all()}
    due = list(
        Charge.objects.filter(
            method=ChargeMethod.INVOICE,
            state__in=[ChargeState.PLANNED, ChargeState.INVOICED],
            notice__isnull=True,
            due_date__lte=on + dt.timedelta(days=rules.INVOICE_LEAD_DAYS),
        ).select_related("policy")
    )
    now = clock.now()
    for charge in due:
        days = (
            terms[charge.policy.product_id].invoice_days
            if charge.policy.product_id in terms
            else 14
        )
        pay_by = max(charge.due_date, on + dt.timedelta(days=days))
        charge.notice = Notice.objects.create(
            payer_id=charge.payer_id,
            mandate=charge.mandate,
            kind=NoticeKind.INVOICE,
            sent_on=on,
            pay_by=pay_by,
            ocr=charge.ocr,
            total=charge.amount,
            created_at=now,
        )
        charge.due_date = pay_by
        charge.save(update_fields=["notice", "due_date"])
    return len(due)


def charges_to_autogiro(on: dt.date) -> dict[str, int]:
    """A mandate that comes after the policy's premiums were planned collects them: every
    premium still planned as an invoice, not yet sent, and due at least 8 bank days ahead (the
    payment plan's notice) moves to the policy's mandate, and the payer gets a payment plan.
    Premiums due sooner stay invoices (decision 0025)."""
    on_mandate = MandatePolicy.objects.filter(
        policy_id=OuterRef("policy_id"),
        detached_on__isnull=True,
        mandate__state__in=rules.OPEN_MANDATE_STATES,
    )
    rows = list(
        Charge.objects.filter(
            method=ChargeMethod.INVOICE,
            state=ChargeState.PLANNED,
            notice__isnull=True,
            mandate__isnull=True,
            due_date__gte=rules.earliest_due(on),
        )
        .filter(Exists(on_mandate))
        .only("pk", "payer_id", "policy_id", "amount")
    )
    if not rows:
        return {"to_autogiro": 0}
    by_policy = dict(
        MandatePolicy.objects.filter(
            policy_id__in={c.policy_id for c in rows},
            detached_on__isnull=True,
            mandate__state__in=rules.OPEN_MANDATE_STATES,
        ).values_list("policy_id", "mandate_id")
    )
    for charge in rows:
        charge.mandate_id = by_policy[charge.policy_id]
        Charge.objects.filter(pk=charge.pk).update(
            method=ChargeMethod.AUTOGIRO, mandate_id=charge.mandate_id, ocr=""
        )
    _send_plans(on, rows)
    return {"to_autogiro": len(rows)}


def charges_to_invoice(on: dt.date, window_end: dt.date) -> int:
    """Autogiro premiums that no debit will collect are invoiced; the insurance stays valid.

    - While the mandate is being set up (requested, sent), each premium that falls due before it
      is active is invoiced on its own ("under tiden kan du i vissa fall få en faktura"); once
      it is active, every premium not yet invoiced is debited. The run invoices here, before it
      orders, and orders only through an active mandate: a premium is one or the other.
    - Once autogiro has ended (revoked, ended, rejected), the rest of each term is invoiced at
      once as one invoice under the insurance contract's terms (``term_remainder_invoice``).
    """
    # One read of the open autogiro premiums whose mandate is not active (few on most days).
    stranded = Charge.objects.filter(
        method=ChargeMethod.AUTOGIRO,
        state=ChargeState.PLANNED,
        mandate__state__in=SETTING_UP + GONE,
    ).values_list("pk", "reference", "term_id", "due_date", "mandate__state", "mandate__ended_on")
    rows: list[tuple[int, str]] = []
    ended: set[int] = set()
    for pk, reference, term_id, due, state, ended_on in stranded:
        if state in SETTING_UP:
            if due <= window_end:
                rows.append((pk, reference))
        elif term_id is not None and (ended_on is None or on >= ended_on < due):
            ended.add(term_id)
    for pk, reference in rows:
        states.charges_move(
            Charge.objects.filter(pk=pk),
            ChargeState.INVOICED,
            method=ChargeMethod.INVOICE,
            ocr=ocr_for(reference),
            notice=None,
        )
    invoiced = 0
    for term_id in sorted(ended):
        invoiced += term_remainder_invoice(term_id=term_id, on=on) is not None
    return len(rows) + invoiced


# What counts as billed for a term when autogiro ends: collected, being debited before the end,
# or already on an invoice (credited in the remainder, so nothing is billed twice).
_BILLED = Q(state__in=[ChargeState.PAID, ChargeState.ORDERED, ChargeState.RETRYING]) | Q(
    method=ChargeMethod.INVOICE, state__in=[ChargeState.INVOICED, ChargeState.FAILED]
)


def term_remainder_invoice(*, term_id: int, on: dt.date) -> Charge | None:
    """Autogiro has ended inside a term (§ 2, § 3: "tillämpas bestämmelserna i
    försäkringsavtalet"; § 1: premiums fall due yearly in advance): the rest of the term's
    premium is one invoice due at once, the term's premium at the yearly price less every
    premium of the term already billed; unpaid fees of failed debits are added. It falls due
    with the first premium it replaces (at once when that date has passed); one per term.

    The term's autogiro premiums no debit will collect (planned after the end, failed) give way
    to it: planned ones are cancelled, failed ones are carried into the invoice. Call inside the
    caller's transaction; None when nothing is left to pay."""
    term = PolicyTerm.objects.select_related("policy").get(pk=term_id)
    charges = list(
        Charge.objects.select_for_update(of=("self",))
        .filter(term=term)
        .select_related("mandate")
        .order_by("due_date", "pk")
    )
    billed_ids = set(Charge.objects.filter(term=term).filter(_BILLED).values_list("pk", flat=True))
    open_rows: list[Charge] = []
    for c in charges:
        if c.method != ChargeMethod.AUTOGIRO or c.state not in (
            ChargeState.PLANNED,
            ChargeState.FAILED,
        ):
            continue
        ended_on = c.mandate.ended_on if c.mandate is not None else None
        if c.state == ChargeState.PLANNED and ended_on is not None and c.due_date <= ended_on:
            billed_ids.add(c.pk)  # still debited before autogiro ends
        else:
            open_rows.append(c)
    if not open_rows:
        return None
    billed = sum((c.premium + c.carried for c in charges if c.pk in billed_ids), Decimal(0))
    term_premium = sum((i.amount for i in term_yearly_schedule(term)), Decimal(0))
    remainder = rules.remainder_after_autogiro(term_premium=term_premium, collected=billed)
    fees = sum((c.fee for c in open_rows if c.state != ChargeState.PLANNED), Decimal(0))
    for charge in open_rows:
        to = ChargeState.CANCELLED if charge.state == ChargeState.PLANNED else ChargeState.CARRIED
        states.charge_move(charge, to)
    if remainder + fees <= 0:
        return None
    first = open_rows[0]
    reference = rules.remainder_reference(term.policy.number, term.starts_on)
    if Charge.objects.filter(reference=reference).exists():
        # A second end of autogiro in the same term (a later mandate ended too): dated by today.
        reference = rules.remainder_reference(term.policy.number, on)[:-1] + "7"
    invoice = Charge.objects.create(
        policy=term.policy,
        term=term,
        payer_id=first.payer_id,
        mandate=first.mandate,
        method=ChargeMethod.INVOICE,
        period_start=first.period_start,
        # Due when the first premium it replaces fell due; at once when that has passed.
        due_date=max(on, first.due_date),
        premium=remainder,
        fee=fees,
        amount=remainder + fees,
        state=ChargeState.INVOICED,
        reference=reference,
        ocr=ocr_for(reference),
        created_at=clock.now(),
    )
    return invoice


def first_debit_of(ctx: AuditContext, policy: Policy) -> FirstDebit | None:
    """The first premium the policy's payer pays from today: the charge planned for it, else
    what planning will give (decision 0097): the first instalment due from today, on the first
    bank day of its period, and by autogiro not before the payment plan's notice allows."""
    today = clock.today()
    charge = (
        Charge.objects.filter(policy=policy, due_date__gte=today, state=ChargeState.PLANNED)
        .order_by("due_date", "pk")
        .first()
    )
    if charge is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=charge.payer_id,
            object_type="charge",
            object_id=charge.pk,
        )
        return FirstDebit(due_date=charge.due_date, amount=charge.amount)
    term = policy.terms.filter(ends_on__gt=today).order_by("starts_on").first()
    if term is None:
        return None
    first = next((i for i in term_schedule(term) if i.due_from >= today), None)
    if first is None:
        return None
    cal = rules.se_calendar()
    due = rules.due_date(first.due_from, cal)
    if policy.payment_method != "invoice":
        due = max(due, rules.earliest_due(today, cal))
    return FirstDebit(due_date=due, amount=first.amount)
