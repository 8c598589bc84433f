"""The daily billing run: ``trygg billing run --date D``.

One run per business date, in one transaction: renew and plan ahead, send payment plans and
invoices, handle non-payment, then (on a bank day) order the debits due within the lead time,
send new mandates, deletions and cancellations. The file to Bankgirot is written from what the
run recorded, after the commit, into the outbox; it reaches Bankgirot before 19:00 on the bank day
before each payment date. A second run for the same date changes nothing; it writes the file
again only if it is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from autogiro import (
    BankAccount,
    CancelPayment,
    MandateDeletion,
    NewMandate,
    Opening,
    Record,
    write_debit_orders,
    write_records,
)
from trygg.banking.rules import OWN_BANKS
from trygg.billing import rules, states
from trygg.billing.mandates import policies_attach_existing
from trygg.billing.models import (
    BankgirotFile,
    BillingRun,
    Charge,
    ChargeMethod,
    ChargeState,
    Direction,
    Mandate,
    MandateEvent,
    MandateState,
)
from trygg.billing.nonpayment import nonpayment_handle, retry_eligible
from trygg.billing.plans import (
    charges_cancel_stale,
    charges_plan,
    charges_to_autogiro,
    charges_to_invoice,
    invoices_send,
)
from trygg.insurance.renewal import renewal_run
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.jobs import ProgressFn, no_progress
from trygg.kernel.models import AuditAction

ORDER_BATCH = 10000


@dataclass(frozen=True)
class RunResult:
    run: BillingRun
    file: Path | None
    again: bool  # the date had run before


def outbox() -> Path:
    return Path(settings.TRYGG_BANKGIROT_DIR) / "to_bankgirot"


def _local_now() -> dt.datetime:
    from django.utils import timezone

    return timezone.localtime(clock.now())


def _earliest_payment(on: dt.date) -> dt.date:
    now = _local_now()
    moment = now.replace(tzinfo=None) if now.date() == on else dt.datetime.combine(on, dt.time(12))
    return rules.earliest_payment_date(moment)


def _payable_mandate() -> Exists:
    """Debits go through an active mandate, or one revoked or ended after their due date.

    A subquery rather than a join: Django updates rows filtered through a join by way of a
    second scan of the charge table (``id IN (SELECT ... JOIN ...)``)."""
    return Exists(
        Mandate.objects.filter(pk=OuterRef("mandate_id")).filter(
            Q(state=MandateState.ACTIVE)
            | Q(
                state__in=[MandateState.REVOKED, MandateState.ENDED],
                ended_on__gte=OuterRef("due_date"),
            )
        )
    )


def _order(run: BillingRun, on: dt.date) -> dict[str, int]:
    cal = rules.se_calendar()
    if not cal.is_bank_day(on):
        return {"orders": 0, "retries": 0, "mandates_sent": 0, "deletions": 0}
    earliest = _earliest_payment(on)
    window_end = rules.order_window_end(on, cal)
    # Due within the window: debited on the due date, or at the earliest payment date if that
    # has passed. One statement, so each row is written once.
    orders = states.charges_move(
        Charge.objects.filter(
            method=ChargeMethod.AUTOGIRO, state=ChargeState.PLANNED, due_date__lte=window_end
        ).filter(_payable_mandate()),
        ChargeState.ORDERED,
        run=run,
        order_date=Greatest(F("due_date"), Value(earliest)),
        attempts=F("attempts") + 1,
    )
    retries = states.charges_move(
        Charge.objects.filter(retry_eligible()).filter(_payable_mandate()),
        ChargeState.ORDERED,
        run=run,
        order_date=earliest,
        attempts=F("attempts") + 1,
    )
    requested = list(Mandate.objects.filter(state=MandateState.REQUESTED))
    now = clock.now()
    states.mandates_move(
        Mandate.objects.filter(pk__in=[m.pk for m in requested]), MandateState.SENT, sent_on=on
    )
    MandateEvent.objects.bulk_create(
        MandateEvent(
            mandate=m, at=now, actor="billing run", state_from="requested", state_to="sent"
        )
        for m in requested
    )
    deletions = Mandate.objects.filter(
        deletion_due__isnull=False, deletion_due__lte=on, deletion_sent_on__isnull=True
    ).update(deletion_sent_on=on)
    cancels = Charge.objects.filter(
        state__in=[ChargeState.STOPPED, ChargeState.CANCELLED],
        order_date__isnull=False,
        cancel_sent_on__isnull=True,
    ).update(cancel_sent_on=on)
    return {
        "orders": orders,
        "retries": retries,
        "mandates_sent": len(requested),
        "deletions": deletions,
        "cancellations": cancels,
    }


def _opening(run: BillingRun) -> Opening:
    return Opening(
        file_date=run.run_date,
        customer_number=settings.TRYGG_BGC_CUSTOMER,
        bankgiro=settings.TRYGG_BANKGIRO,
    )


def _records(run: BillingRun) -> Iterator[Record]:
    """The opening record, the mandates and the cancellations of the run's file."""
    bankgiro = settings.TRYGG_BANKGIRO
    on = run.run_date
    yield _opening(run)
    for mandate in Mandate.objects.filter(deletion_sent_on=on).order_by("pk"):
        yield MandateDeletion(bankgiro=bankgiro, payer_number=mandate.payer_number)
    for mandate in Mandate.objects.filter(sent_on=on).order_by("pk"):
        yield NewMandate(
            bankgiro=bankgiro,
            payer_number=mandate.payer_number,
            account=BankAccount(mandate.clearing, mandate.account),
            identity=mandate.id_number,
        )
    for payer_number, order_date, amount, reference in (
        Charge.objects.filter(cancel_sent_on=on, order_date__isnull=False)
        .order_by("pk")
        .values_list("mandate__payer_number", "order_date", "amount", "reference")
    ):
        yield CancelPayment(
            bankgiro=bankgiro,
            payer_number=payer_number,
            payment_date=order_date,  # type: ignore[arg-type]  # filtered: not null
            amount=amount,
            payment_type="82",
            reference=reference,
        )


def _debit_rows(run: BillingRun) -> Iterator[tuple[str, Decimal, dt.date, str]]:
    """The run's debit orders: (payer number, amount, payment date, reference), in charge
    order, fetched in batches."""
    rows = (
        Charge.objects.filter(run=run, state=ChargeState.ORDERED)
        .order_by("pk")
        .values_list("mandate__payer_number", "amount", "order_date", "reference")
        .iterator(chunk_size=ORDER_BATCH)
    )
    return rows  # type: ignore[return-value]  # ordered charges have an order date


def _write_file(run: BillingRun) -> Path | None:
    """Write the run's file to the outbox (through a temporary name, so Bankgirot never reads a
    half-written file) and log it; None when the run has nothing for Bankgirot."""
    summary = run.summary
    if not any(
        summary.get(k) for k in ("orders", "retries", "mandates_sent", "deletions", "cancellations")
    ):
        return None
    folder = outbox()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"AG_{settings.TRYGG_BGC_CUSTOMER}_{run.run_date:%Y%m%d}_{run.pk}.txt"
    path = folder / name
    temporary = folder / f".{name}.part"
    with temporary.open("wb") as stream:
        count = write_records(_records(run), stream, extra_banks=OWN_BANKS)
        # The debit orders, the bulk of the file, from plain values (see write_debit_orders).
        count += write_debit_orders(
            stream, _debit_rows(run), opening=_opening(run), first_line=count + 1
        )
    data = temporary.read_bytes()
    os.replace(temporary, path)
    digest = hashlib.sha256(data).hexdigest()
    BankgirotFile.objects.update_or_create(
        run=run,
        direction=Direction.OUT,
        defaults={
            "name": name,
            "sha256": digest,
            "content": "AUTOGIRO",
            "records": count,
            "summary": summary,
            "at": clock.now(),
        },
    )
    return path


def billing_run(
    *,
    ctx: AuditContext,
    on: dt.date,
    progress: ProgressFn = no_progress,
) -> RunResult:
    """Run the billing of ``on``; idempotent per date. ``progress(done, total, phase)`` is told
    each step of the run as it begins."""
    earlier = BillingRun.objects.filter(run_date=on, finished_at__isnull=False).first()
    if earlier is not None:
        logged = BankgirotFile.objects.filter(run=earlier, direction=Direction.OUT).first()
        path = outbox() / logged.name if logged else None
        if logged is not None and path is not None and not path.exists():
            path = _write_file(earlier)
        return RunResult(earlier, path, again=True)
    with transaction.atomic():
        run, _created = BillingRun.objects.select_for_update().get_or_create(
            run_date=on, defaults={"started_at": clock.now()}
        )
        summary: dict[str, Any] = {}
        steps = 7
        progress(0, steps, "renewal")
        try:
            with transaction.atomic():
                renewed = renewal_run(ctx=ctx, on=on + dt.timedelta(days=rules.PLAN_HORIZON_DAYS))
            summary["renewed"] = sum(day.policies for day in renewed)
        except ValidationFailed as error:
            # E.g. next year's price base amount not yet entered: staff are told on the
            # dashboard; the rest of the run goes on and renewal is caught up later.
            summary["renewal_blocked"] = error.message
        progress(1, steps, "charges")
        summary["charges_cancelled"] = charges_cancel_stale(on)
        summary["policies_attached"] = policies_attach_existing(ctx=ctx, on=on)
        summary.update(charges_plan(on))
        summary.update(charges_to_autogiro(on))
        progress(2, steps, "non-payment")
        summary.update(nonpayment_handle(ctx=ctx, on=on))
        progress(3, steps, "invoices")
        summary["to_invoice"] = charges_to_invoice(on, rules.order_window_end(on))
        summary["invoices"] = invoices_send(on)
        progress(4, steps, "orders")
        summary.update(_order(run, on))
        progress(5, steps, "commit")
        run.summary = summary
        run.finished_at = clock.now()
        run.save()
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            object_type="billing_run",
            object_id=run.pk,
            detail={"date": on.isoformat(), **{k: v for k, v in summary.items() if v}},
        )
    progress(6, steps, "file")
    path = _write_file(run)
    progress(steps, steps, "done")
    return RunResult(run, path, again=False)


def run_date_check(on: dt.date) -> None:
    """Refuse, naming the date, a run started by hand for a future day or one further back than
    the catch-up window (``rules.check_run_date``)."""
    try:
        rules.check_run_date(on=on, today=clock.today())
    except rules.RuleError as error:
        if error.code == "run.future":
            message = _(
                "Billing cannot run for a future date: it would order its debits too early."
            )
        else:
            message = _(
                "Billing catches up at most %(days)s days back, to %(earliest)s: the debits of "
                "an older date were due before any file could reach Bankgirot."
            ) % {"days": error.params["days"], "earliest": error.params["earliest"]}
        raise ValidationFailed(code=error.code, field="on", message=message) from error


def run_message(result: RunResult) -> str:
    if result.again:
        return _("The billing of %(date)s has already run; nothing was done again.") % {
            "date": result.run.run_date.isoformat()
        }
    return _("Billing run of %(date)s done.") % {"date": result.run.run_date.isoformat()}
