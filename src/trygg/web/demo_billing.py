"""Demo data of premium billing: the first demo customer pays the accident insurance monthly by
autogiro, the second yearly. The demo plays the days since the mandates were entered, one by one,
through the real run, the local Bankgirot simulator and the real import; every debit falls on the
first bank day of its period (the broken month with the first). The monthly payer: mandate →
payment plan → debit → lack of funds → retry → paid, and the next month's debit; midway the same
customer takes out a second insurance (for the third demo customer) paid "med befintligt autogiro
per Halvår", which the run adds to the mandate in force and debits. The yearly payer: the year's
debit unpaid twice → § 2 (B), a renewed debit with the fee the following month → paid.
Idempotent: it plays only when neither has a mandate."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from trygg.billing.inbox import inbox_import
from trygg.billing.mandates import MandateInput, PolicyChoice, mandate_register
from trygg.billing.models import BankgirotFile, Mandate
from trygg.billing.runs import billing_run
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    PaperInput,
    paper_application_register,
    questions,
)
from trygg.insurance.models import Policy, PolicyState
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.parties.models import AddressKind, Party
from trygg.simulators.bankgirot import Bankgirot

log = logging.getLogger(__name__)


def play_days(ctx: AuditContext, root: Path, first: dt.date, last: dt.date) -> dict[str, str]:
    """Live through the days ``first`` to ``last``: each day the billing run, the local
    Bankgirot answering the files of the exchange directory ``root``, and the import of its
    answers. Returns the files the import refused (name: reason)."""
    bank = Bankgirot(root)
    refused: dict[str, str] = {}
    day = first
    while day <= last:
        with clock.business_date(day):
            billing_run(ctx=ctx, on=day)
            bank.process(until=day)
            refused.update(inbox_import(ctx=ctx, root=root).refused)
        day += dt.timedelta(days=1)
    return refused


def _demo_policy(payer: Party, period: str) -> Policy | None:
    return (
        Policy.objects.filter(policyholder=payer, state=PolicyState.ACTIVE, period=period)
        .order_by("start_date")
        .first()
    )


def load_demo_billing(ctx: AuditContext, parties: list[Party]) -> None:
    """``parties`` are the Swedish demo customers in the demo's order: the first pays monthly,
    the second yearly, both by autogiro, debited on the first bank day of each period."""
    payers = [(parties[0], "monthly"), (parties[1], "yearly")]
    if Mandate.objects.filter(payer__in=[p for p, _ in payers]).exists():
        return
    policies = [(payer, _demo_policy(payer, period)) for payer, period in payers]
    root = Path(settings.TRYGG_BANKGIROT_DIR)
    root.mkdir(parents=True, exist_ok=True)
    today = clock.today()
    outcomes = {
        # The first debit finds no money on the account; Bankgirot's retry the next bank day does.
        # The same mandate then pays the insurance added midway.
        "monthly": ["insufficient_funds"] + ["approved"] * 6,
        # The year's premium is not paid on two attempts; § 2 (B) debits it again the following
        # month with the notice fee, and that debit is paid.
        "yearly": ["insufficient_funds", "insufficient_funds", "approved"],
    }
    payments: dict[str, list[str]] = {}
    first = today
    for (payer, period), (_, policy) in zip(payers, policies, strict=True):
        if policy is None:
            continue
        entered = min(policy.start_date, today) - dt.timedelta(days=14)
        with clock.business_date(entered):
            mandate = mandate_register(
                ctx=ctx,
                data=MandateInput(
                    payer_id_number=payer.id_number,
                    account=f"3300-{payer.id_number[2:]}",
                    bank="Nordea",
                    policies=[PolicyChoice(policy.number)],
                ),
            )
        payments[mandate.payer_number] = outcomes[period]
        first = min(first, entered)
    if not payments:
        return
    (root / "scenario.json").write_text(
        json.dumps({"payments": payments}, indent=2), encoding="utf-8"
    )
    midway = first + dt.timedelta(days=10)
    play_days(ctx, root, first, midway - dt.timedelta(days=1))
    if len(parties) > 2:
        with clock.business_date(midway):
            _existing_autogiro_policy(ctx, parties[0], parties[2])
    play_days(ctx, root, midway, today)


def _first_of_month_after(day: dt.date) -> dt.date:
    """The first of the month after ``day``: the new insurance starts on a first, its payment
    plan in time for the first debit on that month's first bank day."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _existing_autogiro_policy(ctx: AuditContext, holder: Party, insured: Party) -> None:
    """A paper application by ``holder`` for ``insured``, paid with the existing autogiro."""
    address = holder.addresses.filter(kind=AddressKind.POSTAL).first()
    today = clock.today()
    paper_application_register(
        ctx=ctx,
        data=PaperInput(
            application=ApplicationInput(
                kind="new",
                level=20,
                payment_method="existing_autogiro",
                period="half_yearly",
                start_date=_first_of_month_after(today + dt.timedelta(days=20)),
                replaces_other=False,
                insured_id_number=f"{insured.id_number[:8]}-{insured.id_number[8:]}",
                insured_given_name=insured.given_name,
                insured_family_name=insured.family_name,
                answers={q.code: AnswerInput(False) for q in questions()},
            ),
            holder_id_number=f"{holder.id_number[:8]}-{holder.id_number[8:]}",
            holder_given_name=holder.given_name,
            holder_family_name=holder.family_name,
            holder_street=address.street if address else "",
            holder_postal_code=address.postal_code if address else "",
            holder_city=address.city if address else "",
            received_on=today,
            signed_on=today,
            health_signed_on=today,
            seller_code="D01",
            seller_name="Demo Försäljning",
        ),
    )


def billing_files() -> int:
    return BankgirotFile.objects.count()


class BillingDesk(threading.Thread):
    """What the billing department's scheduler does while the demo serves: the day's billing
    run once per business date (idempotent), and Bankgirot's new files imported as they come."""

    def __init__(self, ctx: AuditContext, root: Path, interval: float) -> None:
        super().__init__(daemon=True, name="billing-desk")
        self.ctx, self.root, self.interval = ctx, root, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                billing_run(ctx=self.ctx, on=clock.today())
                inbox_import(ctx=self.ctx, root=self.root)
            except Exception:  # the desk keeps going; the error is logged
                log.exception("billing desk")
            finally:
                close_old_connections()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
        self.join(5)
