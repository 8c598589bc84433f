"""Give the benchmarks' measured customers what a customer's overview shows, through the
services: accounts with balances, accident insurance paid monthly by autogiro and yearly by
invoice (with their payment plans, debits and invoice), a claim decided and paid and another in
progress, and a letter by post. Run inside Django after ``seed_customers.py``:
``python bench/seed_content.py ID_NUMBER ...``.

For each customer, unless they hold an account already:

- a salary account, a savings account and a buffer account, with salaries and deposits booked
  in the ledger (so the balances are the ledger's);
- a policy at level 30 paid monthly by autogiro from the salary account (a paper application
  signed 40 days ago, its mandate entered two weeks before the policy starts), and one at level
  20 paid yearly by invoice, signed a week ago, starting in 20 days (its invoice sent, not yet
  due);
- a claim on the first policy decided and paid out (its decision letter in the inbox), and a
  claim reported six days ago (in progress);
- a letter by post: the one-time code for Mine sider's password.

Then the billing days since the first mandate was entered are lived through as the billing
department's scheduler does (the daily billing run, the local Bankgirot answering, the import of
its answers: ``trygg.web.demo_billing.play_days``), so the first debits are paid, the next are
planned or ordered, and the payment plans and the invoice are sent. A billing day runs once for
the whole database: customers are given their content together, the first time.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")

import django

django.setup()

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from trygg.banking.models import Account, AccountKind
from trygg.banking.services import account_open, incoming_payment_book
from trygg.billing.mandates import MandateInput, PolicyChoice, mandate_register
from trygg.billing.models import BillingRun, Charge, Notice
from trygg.claims.models import Claim, ClaimState
from trygg.claims.services import FactsInput, claim_decide, claim_pay, claim_report_staff
from trygg.identity.models import StaffUser
from trygg.identity.passwords import password_code_issue
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    PaperInput,
    paper_application_register,
    questions,
)
from trygg.insurance.models import Policy, PolicyState
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import AuditContext
from trygg.kernel.models import AuditChannel
from trygg.parties.models import AddressKind, Letter, Party
from trygg.parties.selectors import person_by_id_number
from trygg.web.demo_billing import play_days

PAYOUT = "6000-123456789"  # the customer's account at another bank
CTX = AuditContext(actor_kind="system", actor_label="bench", channel=AuditChannel.BATCH)


def _paper(
    party: Party,
    *,
    level: int,
    method: str,
    period: str,
    signed_on: dt.date,
    start_date: dt.date | None = None,
) -> PaperInput:
    """A paper application by ``party`` for themself, every health question answered no."""
    address = party.addresses.filter(kind=AddressKind.POSTAL).first()
    number = f"{party.id_number[:8]}-{party.id_number[8:]}"
    return PaperInput(
        application=ApplicationInput(
            kind="new",
            level=level,
            payment_method=method,
            period=period,
            start_date=start_date,
            replaces_other=False,
            insured_id_number=number,
            insured_given_name=party.given_name,
            insured_family_name=party.family_name,
            answers={q.code: AnswerInput(False) for q in questions()},
        ),
        holder_id_number=number,
        holder_given_name=party.given_name,
        holder_family_name=party.family_name,
        holder_street=address.street if address else "",
        holder_postal_code=address.postal_code if address else "",
        holder_city=address.city if address else "",
        received_on=signed_on + dt.timedelta(days=5),
        signed_on=signed_on,
        health_signed_on=signed_on,
        seller_code="B01",
        seller_name="Bench Försäljning",
    )


def _money(party: Party) -> Account:
    """Three accounts with the ledger's balances; the salary account is returned."""
    salary = account_open(ctx=CTX, party=party, name="Lönekonto")
    for amount in ("31250.00", "31250.00", "32900.00"):
        incoming_payment_book(account=salary, amount=Decimal(amount), text="Lön")
    savings = account_open(ctx=CTX, party=party, name="Sparkonto", kind=AccountKind.SAVINGS)
    incoming_payment_book(account=savings, amount=Decimal("85000.00"), text="Insättning")
    buffer = account_open(ctx=CTX, party=party, name="Buffert", kind=AccountKind.SAVINGS)
    incoming_payment_book(account=buffer, amount=Decimal("12345.67"), text="Insättning")
    return salary


def _handler() -> StaffUser:
    user, created = StaffUser.objects.get_or_create(
        username="bench-skador", defaults={"is_staff": True, "first_name": "Bench"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="claims_handler"))
    return user


def _content(party: Party, today: dt.date) -> dt.date | None:
    """The customer's accounts, policies, mandate and letter by post; the day the mandate was
    entered (from which the billing is to be lived through), None if the policy was not
    issued."""
    salary = _money(party)
    monthly = paper_application_register(
        ctx=CTX,
        data=_paper(
            party,
            level=30,
            method="autogiro",
            period="monthly",
            signed_on=today - dt.timedelta(days=40),
        ),
    ).policy
    paper_application_register(
        ctx=CTX,
        data=_paper(
            party,
            level=20,
            method="invoice",
            period="yearly",
            signed_on=today - dt.timedelta(days=7),
            start_date=today + dt.timedelta(days=20),
        ),
    )
    password_code_issue(ctx=CTX, party=party)
    if monthly is None:
        return None
    entered = min(monthly.start_date, today) - dt.timedelta(days=14)
    with clock.business_date(entered):
        mandate_register(
            ctx=CTX,
            data=MandateInput(
                payer_id_number=party.id_number,
                account=salary.number,
                bank="Trygg",
                policies=[PolicyChoice(monthly.number)],
            ),
        )
    return entered


def _claims(party: Party, today: dt.date) -> None:
    """A claim decided and paid out to the customer's account at another bank, and one in
    progress."""
    policy = (
        Policy.objects.filter(policyholder=party, state=PolicyState.ACTIVE).order_by("pk").first()
    )
    if policy is None:
        return
    paid = claim_report_staff(
        ctx=CTX,
        policy_id=policy.pk,
        accident_date=today - dt.timedelta(days=20),
        description="Halkade på isen och stukade foten; en natt på sjukhus.",
        payout_destination=PAYOUT,
    )
    claim_decide(ctx=CTX, user=_handler(), claim_id=paid.pk, facts=FactsInput(hospital_nights=1))
    claim_pay(ctx=CTX, claim_id=paid.pk)
    claim_report_staff(
        ctx=CTX,
        policy_id=policy.pk,
        accident_date=today - dt.timedelta(days=6),
        description="Föll från stegen och bröt handleden.",
        payout_destination=PAYOUT,
    )


def seed_content(id_numbers: list[str]) -> None:
    today = clock.today()
    parties = []
    for number in id_numbers:
        parsed = idnumbers.parse(number)
        party = person_by_id_number(country=parsed.country, id_number=parsed.value)
        assert party is not None, number
        parties.append(party)
    # The claim in progress is given last: a customer with accounts but no claim is left over
    # from a seeding that stopped half-way.
    given = set(
        Claim.objects.filter(policy__policyholder__in=parties).values_list(
            "policy__policyholder_id", flat=True
        )
    )
    bare = [p for p in parties if p.pk not in given]
    if any(Account.objects.filter(party=p).exists() for p in bare):
        raise SystemExit("an earlier seeding of the customers' content stopped: drop the database")
    if bare and BillingRun.objects.filter(run_date=today).exists():
        raise SystemExit(
            f"{len(bare)} measured customers have no content, and today's billing has run: "
            "their debits would not be planned today. Seed a fresh database (the content is "
            "given to all measured customers the first time)."
        )
    if bare:
        first = today
        with transaction.atomic():
            for party in bare:
                entered = _content(party, today)
                first = min(first, entered or first)
        root = Path(settings.TRYGG_BANKGIROT_DIR)
        root.mkdir(parents=True, exist_ok=True)
        refused = play_days(CTX, root, first, today)
        if refused:
            raise SystemExit(f"the billing import refused files: {refused}")
        with transaction.atomic():
            for party in bare:
                _claims(party, today)
    print(f"{len(bare)} customers given content; {summary(parties)}")


def summary(parties: list[Party]) -> str:
    """What the measured customers hold, on average, as the overview would find it."""
    ids = [p.pk for p in parties]
    count = len(ids) or 1
    today = clock.today()
    held = {
        "accounts": Account.objects.filter(party_id__in=ids).count(),
        "policies": Policy.objects.filter(policyholder_id__in=ids).count(),
        "charges ahead": Charge.objects.filter(payer_id__in=ids, due_date__gte=today).count(),
        "notices": Notice.objects.filter(payer_id__in=ids).count(),
        "claims in progress": Claim.objects.filter(
            policy__policyholder_id__in=ids, state__in=(ClaimState.REPORTED, ClaimState.DECIDED)
        ).count(),
        "claims paid": Claim.objects.filter(
            policy__policyholder_id__in=ids, state=ClaimState.PAID
        ).count(),
        "letters by post": Letter.objects.filter(party_id__in=ids).count(),
    }
    return ", ".join(f"{name} {n / count:.1f}" for name, n in held.items()) + " per customer"


if __name__ == "__main__":
    seed_content(sys.argv[1:])
