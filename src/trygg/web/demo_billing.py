"""Demo data of premium billing: the first demo customer pays the accident insurance by autogiro.
The demo plays the month since the mandate was entered, day by day, through the real run, the
local Bankgirot simulator and the real import: mandate → payment plan → debit → lack of funds →
retry → paid, and the next month's debit. Idempotent: it plays only when no mandate exists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.conf import settings

from trygg.billing.imports import autogiro_import
from trygg.billing.mandates import MandateInput, PolicyChoice, mandate_register
from trygg.billing.models import BankgirotFile, Mandate
from trygg.billing.runs import billing_run
from trygg.insurance.models import Policy, PolicyState
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.parties.models import Party
from trygg.simulators.bankgirot import Bankgirot


def inbox_import(ctx: AuditContext, root: Path) -> int:
    """Import every file from Bankgirot not yet imported (oldest first); the number imported."""
    folder = root / "from_bankgirot"
    if not folder.is_dir():
        return 0
    done = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        result = autogiro_import(ctx=ctx, path=path)
        done += 0 if result.already else 1
    return done


def _play(ctx: AuditContext, root: Path, first: dt.date, last: dt.date) -> None:
    bank = Bankgirot(root)
    day = first
    while day <= last:
        with clock.business_date(day):
            billing_run(ctx=ctx, on=day)
            bank.process(until=day)
            inbox_import(ctx, root)
        day += dt.timedelta(days=1)


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
    # The first debit finds no money on the account; Bankgirot's retry the next bank day does.
    scenario = root / "scenario.json"
    scenario.write_text(
        json.dumps(
            {"payments": {mandate.payer_number: ["insufficient_funds", "approved"]}}, indent=2
        ),
        encoding="utf-8",
    )
    _play(ctx, root, entered, today)


def billing_files() -> int:
    return BankgirotFile.objects.count()
