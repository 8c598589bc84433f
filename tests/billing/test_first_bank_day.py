"""Issue 16, played day by day through the real run, the local Bankgirot simulator and the real
import of its answers, across month, half-year and year ends (1 January 2027 is a Friday holiday:
the first bank day is Monday 4 January):

- every premium falls due on the first bank day of its payment period, a policy that starts
  inside a month paying its broken month with the first debit;
- premiums due while the mandate is set up are invoiced, the rest debited: never both, never
  neither;
- § 2 (B) for a yearly payer: a renewed debit the following month, then the end of autogiro and
  one invoice for the rest of the term under the insurance contract's terms;
- a stopped debit is still owed: debited the following month (B) or invoiced (A).

The suite runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum

from autogiro import CancelPayment, DebitOrder, read_file
from tests.banking.conftest import with_token
from tests.billing.conftest import Payer, register, run_on
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, online_input
from trygg.banking.models import Account, Posting
from trygg.billing import rules
from trygg.billing.charges import charge_stop, invoice_payment_register
from trygg.billing.letters import notice_pdf
from trygg.billing.mandates import PolicyChoice, mandate_register
from trygg.billing.models import BillingTerms, Charge, Mandate, Notice
from trygg.insurance.models import Policy, PolicyState, PolicyTerm, PriceBaseAmount
from trygg.insurance.tariffs import catalogue_forget
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.bankdays import calendar_for
from trygg.web.demo_billing import play_days

pytestmark = pytest.mark.django_db

D = dt.date
NOV_23 = D(2026, 11, 23)


def _policy(customer: Customer, *, period: str, start: D) -> Payer:
    PriceBaseAmount.objects.get_or_create(year=start.year, defaults={"amount": Decimal("60000")})
    catalogue_forget()
    with_token(customer)
    policy = apply_online(
        customer, online_input(customer, level=30, period=period, start_date=start)
    ).policy
    assert policy is not None
    return Payer(customer, policy)


def _register(payer: Payer) -> Mandate:
    choice = PolicyChoice(payer.policy.number, payer.policy.period)
    with clock.business_date(NOV_23):
        return mandate_register(ctx=SYSTEM, data=payer.mandate_input(policies=[choice]))


def _scenario(exchange: Path, payments: dict[str, list[str]]) -> None:
    exchange.mkdir(parents=True, exist_ok=True)
    (exchange / "scenario.json").write_text(json.dumps({"payments": payments}), encoding="utf-8")


def _play(root: Path, first: D, last: D) -> None:
    refused = play_days(SYSTEM, root, first, last)
    assert not refused, refused


def _first_bank_day(day: D) -> D:
    return calendar_for("SE").next_bank_day(day.replace(day=1), include_today=True)


def _ordered_dates(exchange: Path) -> list[tuple[D, str]]:
    out = exchange / "to_bankgirot"
    return sorted(
        (r.payment_date, r.reference)  # type: ignore[misc]
        for path in out.glob("AG_*.txt")
        for r in read_file(path)
        if isinstance(r, DebitOrder)
    )


def test_monthly_from_inside_a_month_debits_on_first_bank_days(
    customer: Customer, frozen: object, exchange: Path
) -> None:
    payer = _policy(customer, period="monthly", start=D(2026, 12, 15))
    term = payer.policy.terms.get()
    assert (term.starts_on, term.ends_on) == (D(2026, 12, 15), D(2028, 1, 1))
    with clock.business_date(NOV_23):
        register(payer)
    _play(exchange, NOV_23, D(2027, 3, 3))

    charges = list(Charge.objects.filter(policy=payer.policy).order_by("due_date"))
    assert len(charges) == 12
    # The broken half of December is paid with January's premium, on 4 January (1 January is
    # New Year's Day, 2–3 a weekend); every later one on the first bank day of its month.
    first = charges[0]
    assert (first.period_start, first.due_date) == (D(2026, 12, 15), D(2027, 1, 4))
    broken = (term.year_total * 17 / 365).quantize(Decimal("0.01"))
    assert first.premium == charges[1].premium + broken or first.premium == (
        charges[1].premium + broken + Decimal("0.01")
    )  # the first instalment carries the öre remainder of the year
    assert [c.due_date for c in charges[1:]] == [
        _first_bank_day(D(2027 + (m - 1) // 12, (m - 1) % 12 + 1, 1)) for m in range(2, 13)
    ]
    assert sum(c.premium for c in charges) == term.year_total + broken
    # What Bankgirot was asked and paid: on 4 January, 1 February, 1 March; nothing on a 15th.
    assert [d for d, _ in _ordered_dates(exchange)] == [D(2027, 1, 4), D(2027, 2, 1), D(2027, 3, 1)]
    paid = [c for c in charges if c.state == "paid"]
    assert [c.settled_on for c in paid] == [D(2027, 1, 4), D(2027, 2, 1), D(2027, 3, 1)]
    assert -Account.objects.get(number="INT-PREMIUMS").balance == sum(c.amount for c in paid)
    assert Posting.objects.aggregate(s=Sum("amount"))["s"] == 0
    # The payment plan tells the dates and the broken month.
    plan = Notice.objects.filter(kind="plan", charges=first).get()
    assert plan.sent_on <= calendar_for("SE").add_bank_days(first.due_date, -8)
    assert b"%PDF" in notice_pdf(plan)[:8]


def test_half_yearly_across_the_year_and_half_year_ends(
    customer: Customer, frozen: object, exchange: Path
) -> None:
    payer = _policy(customer, period="half_yearly", start=D(2027, 1, 1))
    _register(payer)
    _play(exchange, NOV_23, D(2027, 1, 8))
    _play(exchange, D(2027, 6, 20), D(2027, 7, 6))
    charges = list(Charge.objects.filter(policy=payer.policy).order_by("due_date"))
    assert [(c.period_start, c.due_date, c.state) for c in charges] == [
        (D(2027, 1, 1), D(2027, 1, 4), "paid"),
        (D(2027, 7, 1), D(2027, 7, 1), "paid"),
    ]
    assert [d for d, _ in _ordered_dates(exchange)] == [D(2027, 1, 4), D(2027, 7, 1)]


def test_invoiced_while_the_mandate_is_set_up_then_debited_never_both(
    payer: Payer, exchange: Path
) -> None:
    """Bankgirot takes until 15 January to set the mandate up; the premiums of December and
    January are invoiced (and paid), from February on they are debited. Each day, every premium
    due so far is either on an invoice or in a debit order, never both and never neither."""
    with clock.business_date(NOV_23):
        mandate = register(payer)
    day = NOV_23
    switch = D(2027, 1, 15)
    while day <= D(2027, 3, 3):
        if day < switch:
            run_on(day)  # Bankgirot has not answered the mandate yet
        else:
            _play(exchange, day, day)
        with clock.business_date(day):
            for charge in Charge.objects.filter(
                policy=payer.policy, method="invoice", state="invoiced", notice__isnull=False
            ):
                invoice_payment_register(
                    ctx=SYSTEM, ocr=charge.ocr, amount=charge.amount, paid_on=day
                )
        # Every premium whose period began five days ago or more (all fell due by the 4th).
        due = Charge.objects.filter(
            policy=payer.policy, period_start__lte=day - dt.timedelta(days=5)
        ).exclude(state="cancelled")
        for charge in due:
            invoiced = charge.method == "invoice" and charge.notice_id is not None
            debited = charge.method == "autogiro" and charge.state in ("ordered", "paid")
            assert invoiced != debited, (day, charge.reference, charge.method, charge.state)
        day += dt.timedelta(days=1)
    mandate.refresh_from_db()
    assert mandate.state == "active" and mandate.active_from is not None
    by_month = {
        c.period_start: (c.method, c.state)
        for c in Charge.objects.filter(policy=payer.policy).exclude(state="cancelled")
    }
    assert by_month[D(2026, 12, 1)] == ("invoice", "paid")
    assert by_month[D(2027, 1, 1)] == ("invoice", "paid")
    assert by_month[D(2027, 2, 1)] == ("autogiro", "paid")
    assert by_month[D(2027, 3, 1)] == ("autogiro", "paid")
    # Each premium was collected once: income is exactly the four premiums.
    paid = Charge.objects.filter(policy=payer.policy, state="paid").aggregate(s=Sum("amount"))
    assert -Account.objects.get(number="INT-PREMIUMS").balance == paid["s"]
    assert Posting.objects.aggregate(s=Sum("amount"))["s"] == 0
    debit_refs = {ref for _, ref in _ordered_dates(exchange)}
    invoiced_refs = set(
        Charge.objects.filter(policy=payer.policy, method="invoice").values_list(
            "reference", flat=True
        )
    )
    assert not debit_refs & invoiced_refs


def test_yearly_payer_through_rule_b_then_the_rest_of_the_term_is_invoiced(
    customer: Customer, frozen: object, exchange: Path
) -> None:
    payer = _policy(customer, period="yearly", start=D(2027, 1, 1))
    mandate = _register(payer)
    _scenario(
        exchange,
        {
            mandate.payer_number: [
                "insufficient_funds",  # 4 January, the year's premium
                "insufficient_funds",  # trygg's second attempt: § 2 (B)
                "insufficient_funds",  # 1 February, the renewed debit
                "insufficient_funds",  # its second attempt: autogiro ends
            ]
        },
    )
    _play(exchange, NOV_23, D(2027, 1, 20))
    year = Charge.objects.get(policy=payer.policy, premium__gt=0)
    assert year.state == "carried"
    renewed = Charge.objects.get(policy=payer.policy, reference__endswith="R")
    # Renewed in the following month: the first bank day of February, with the notice fee.
    assert renewed.due_date == D(2027, 2, 1)
    assert (renewed.premium, renewed.carried, renewed.fee) == (
        Decimal(0),
        year.amount,
        Decimal("25.00"),
    )
    assert Notice.objects.filter(kind="plan", charges=renewed, sent_on__lte=D(2027, 1, 20)).exists()
    _play(exchange, D(2027, 1, 21), D(2027, 2, 10))
    renewed.refresh_from_db()
    mandate.refresh_from_db()
    assert renewed.state == "carried" and renewed.attempts == 2
    assert mandate.state == "ended"
    invoice = Charge.objects.get(policy=payer.policy, method="invoice")
    term = payer.policy.terms.get()
    # One invoice under the insurance contract's terms: the year at the yearly price, nothing of
    # it paid, and the unpaid fee.
    assert (invoice.premium, invoice.fee) == (term.annual_price, Decimal("25.00"))
    assert invoice.notice is not None and invoice.notice.kind == "invoice"
    assert not Posting.objects.filter(account__number="INT-PREMIUMS").exists()  # nothing paid
    payer.policy.refresh_from_db()
    assert payer.policy.state == PolicyState.ACTIVE


def test_a_stopped_debit_is_debited_the_following_month(payer: Payer, exchange: Path) -> None:
    with clock.business_date(NOV_23):
        register(payer)
    _play(exchange, NOV_23, D(2027, 1, 20))
    feb = Charge.objects.get(policy=payer.policy, period_start=D(2027, 2, 1))
    _play(exchange, D(2027, 1, 21), D(2027, 1, 27))  # ordered on 27 January for 1 February
    feb.refresh_from_db()
    assert feb.state == "ordered"
    with clock.business_date(D(2027, 1, 28)):
        follow_up = charge_stop(ctx=SYSTEM, person=payer.customer.party, charge_id=feb.pk).follow_up
    mar = Charge.objects.get(policy=payer.policy, period_start=D(2027, 3, 1))
    assert follow_up.pk == mar.pk and mar.carried == feb.amount and mar.fee == 0
    _play(exchange, D(2027, 1, 28), D(2027, 3, 3))
    feb.refresh_from_db()
    mar.refresh_from_db()
    assert feb.state == "stopped" and mar.state == "paid"
    assert mar.amount == mar.premium + feb.amount
    cancels = [
        r
        for path in (exchange / "to_bankgirot").glob("AG_*.txt")
        for r in read_file(path)
        if isinstance(r, CancelPayment)
    ]
    assert [r.reference for r in cancels] == [feb.reference]
    assert Mandate.objects.get().state == "active"


def test_a_stopped_debit_is_invoiced_under_rule_a(payer: Payer, exchange: Path) -> None:
    BillingTerms.objects.filter(product=payer.policy.product).update(non_payment="A")
    with clock.business_date(NOV_23):
        register(payer)
    _play(exchange, NOV_23, D(2026, 12, 10))
    jan = Charge.objects.get(policy=payer.policy, period_start=D(2027, 1, 1))
    with clock.business_date(D(2026, 12, 10)):
        invoice = charge_stop(ctx=SYSTEM, person=payer.customer.party, charge_id=jan.pk).follow_up
    jan.refresh_from_db()
    assert jan.state == "stopped"
    assert (invoice.method, invoice.state, invoice.amount) == ("invoice", "invoiced", jan.amount)
    _play(exchange, D(2026, 12, 11), D(2026, 12, 11))
    invoice.refresh_from_db()
    assert invoice.notice is not None and invoice.notice.kind == "invoice"
    assert invoice.notice.pay_by is not None and invoice.notice.pay_by >= jan.due_date
    assert Policy.objects.get(pk=payer.policy.pk).state == PolicyState.ACTIVE


def test_the_demo_debits_on_first_bank_days_and_shows_a_yearly_payer_through_rule_b(
    exchange: Path,
) -> None:
    call_command("demo", stdout=StringIO())
    debits = Charge.objects.filter(method="autogiro", state="paid", premium__gt=0)
    assert debits.exists()
    for charge in debits:
        assert charge.due_date == _first_bank_day(charge.due_date), charge.reference
    yearly = Charge.objects.get(method="autogiro", policy__period="yearly", premium__gt=0)
    renewed = Charge.objects.get(policy=yearly.policy, reference__endswith="R")
    assert yearly.state == "carried" and yearly.attempts == 2
    assert renewed.state == "paid" and renewed.carried == yearly.amount and renewed.fee > 0
    assert renewed.due_date == _first_bank_day(rules.renewed_debit_month(yearly.due_date))


def test_migration_moves_existing_schedules_to_first_bank_days(
    customer: Customer, frozen: object, exchange: Path
) -> None:
    payer = _policy(customer, period="monthly", start=D(2026, 12, 15))
    _register(payer)
    run_on(NOV_23)
    # As the schedule was before: a year from the 15th, each premium due on its period's 15th.
    term = payer.policy.terms.get()
    PolicyTerm.objects.filter(pk=term.pk).update(ends_on=D(2027, 12, 15))
    Policy.objects.filter(pk=payer.policy.pk).update(renewal_date=D(2027, 12, 15))
    cal = calendar_for("SE")
    for i, charge in enumerate(Charge.objects.filter(policy=payer.policy).order_by("due_date")):
        start = D(2026 + (11 + i) // 12, (11 + i) % 12 + 1, 15)
        Charge.objects.filter(pk=charge.pk).update(
            period_start=start, due_date=cal.next_bank_day(start, include_today=True)
        )
    # A policy renewed but not yet planned, as terms were written before.
    other = Policy.objects.create(
        number="900000017",
        product=payer.policy.product,
        policyholder=payer.policy.policyholder,
        insured=payer.policy.insured,
        level=30,
        start_date=D(2026, 12, 20),
        renewal_date=D(2027, 12, 20),
        payment_method="autogiro",
        period="monthly",
        state="active",
        created_at=payer.policy.created_at,
    )
    legacy = PolicyTerm.objects.create(
        **{
            f.name: getattr(term, f.name)
            for f in PolicyTerm._meta.fields
            if f.name not in ("id", "policy", "starts_on", "ends_on")
        },
        policy=other,
        starts_on=D(2026, 12, 20),
        ends_on=D(2027, 12, 20),
    )
    plans_before = Notice.objects.filter(kind="plan").count()

    importlib.import_module("trygg.billing.migrations.0006_due_on_first_bank_day").forwards(
        apps, None
    )

    charges = list(Charge.objects.filter(policy=payer.policy).order_by("period_start"))
    # The premium from 15 December falls due on 4 January (1 January a holiday, then a weekend),
    # the one from 15 April 2027 on 3 May (1 May a Saturday); each on its next month's first
    # bank day, never earlier than told.
    assert [c.due_date for c in charges] == [
        _first_bank_day(rules.renewed_debit_month(c.period_start)) for c in charges
    ]
    assert charges[0].due_date == D(2027, 1, 4) and charges[4].due_date == D(2027, 5, 3)
    assert Notice.objects.filter(kind="plan").count() == plans_before + 1
    assert all(c.notice_id == charges[0].notice_id for c in charges)
    legacy.refresh_from_db()
    other.refresh_from_db()
    assert legacy.ends_on == other.renewal_date == D(2028, 1, 1)
    term.refresh_from_db()
    assert term.ends_on == D(2027, 12, 15)  # planned already: collected to its end


def test_a_mandate_that_comes_after_the_plan_collects_the_premiums_not_yet_invoiced(
    payer: Payer, exchange: Path
) -> None:
    run_on(NOV_23)  # no mandate yet: the premiums are planned as invoices, month by month
    assert set(Charge.objects.values_list("method", flat=True)) == {"invoice"}
    assert Charge.objects.count() == 12
    with clock.business_date(D(2026, 11, 24)):
        register(payer)
    _play(exchange, D(2026, 11, 24), D(2026, 11, 24))
    december = Charge.objects.get(policy=payer.policy, period_start=D(2026, 12, 1))
    assert december.notice is not None and december.notice.kind == "invoice"
    with clock.business_date(D(2026, 11, 25)):
        invoice_payment_register(
            ctx=SYSTEM, ocr=december.ocr, amount=december.amount, paid_on=D(2026, 11, 25)
        )
    _play(exchange, D(2026, 11, 25), D(2027, 2, 3))
    charges = list(Charge.objects.filter(policy=payer.policy).order_by("due_date"))
    # December falls due within 8 bank days of the mandate: it stays an invoice; from January
    # the mandate collects every premium, told by a payment plan.
    assert [c.method for c in charges] == ["invoice"] + ["autogiro"] * 11
    assert charges[0].state == "paid"
    assert [(c.due_date, c.state) for c in charges[1:3]] == [
        (D(2027, 1, 4), "paid"),
        (D(2027, 2, 1), "paid"),
    ]
    assert all(c.notice is not None and c.notice.kind == "plan" for c in charges[1:])
    assert not {r for _, r in _ordered_dates(exchange)} & {charges[0].reference}
