"""Demo data of premium billing: the first demo customer pays the accident insurance by autogiro.
The demo plays the month since the mandate was entered, day by day, through the real run, the
local Bankgirot simulator and the real import: mandate → payment plan → debit → lack of funds →
retry → paid, and the next month's debit. Midway the customer takes out a second insurance (for
the next demo customer) paid "med befintligt autogiro per Helår": the run adds it to the mandate
in force and debits its premium. Idempotent: it plays only when no mandate exists."""

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


def load_demo_billing(ctx: AuditContext, parties: list[Party]) -> None:
    """``parties`` are the Swedish demo customers in the demo's order."""
    payer = parties[0]
    policy = (
        Policy.objects.filter(policyholder=payer, state=PolicyState.ACTIVE)
        .order_by("start_date")
        .first()
    )
    if policy is None or Mandate.objects.filter(payer=payer).exists():
        return
    root = Path(settings.TRYGG_BANKGIROT_DIR)
    root.mkdir(parents=True, exist_ok=True)
    today = clock.today()
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
    # The first debit finds no money on the account; Bankgirot's retry the next bank day does,
    # and so does every debit after it.
    scenario = root / "scenario.json"
    scenario.write_text(
        json.dumps(
            {"payments": {mandate.payer_number: ["insufficient_funds"] + ["approved"] * 6}},
            indent=2,
        ),
        encoding="utf-8",
    )
    midway = entered + dt.timedelta(days=10)
    play_days(ctx, root, entered, midway - dt.timedelta(days=1))
    if len(parties) > 1:
        with clock.business_date(midway):
            _existing_autogiro_policy(ctx, payer, parties[1])
    play_days(ctx, root, midway, today)


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
                period="yearly",
                start_date=None,
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
