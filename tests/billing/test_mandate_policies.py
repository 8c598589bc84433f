"""The mandate as the agreement reads: the period is the payer's choice on the form (and sets it
for the policies listed, with the period's surcharge and a new payment plan); policies added
later to the mandate in force (the application's "befintligt autogiro", a later notice); a payer
who is not the policyholder where the form names the holder. Played through the real run, the
local Bankgirot simulator and the real import; the suite runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.banking.conftest import with_token
from tests.billing.conftest import Payer, register, run_on
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, online_input
from trygg.banking.services import account_open
from trygg.billing.mandates import (
    AttachInput,
    MandateInput,
    PolicyChoice,
    mandate_add,
    mandate_register,
)
from trygg.billing.models import Charge, Mandate, MandatePolicy, Notice
from trygg.insurance.models import Policy
from trygg.insurance.rules import Period, instalments
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.web.demo_billing import play_days

pytestmark = pytest.mark.django_db

MON_23_NOV = dt.date(2026, 11, 23)


def _play(root: Path, first: dt.date, last: dt.date, payer_number: str, answers: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "scenario.json").write_text(
        json.dumps({"payments": {payer_number: ["approved"] * answers}}), encoding="utf-8"
    )
    refused = play_days(SYSTEM, root, first, last)
    assert not refused, refused


def _invoice_payer(customer: Customer, period: str = "yearly") -> Payer:
    with_token(customer)
    policy = apply_online(
        customer, online_input(customer, payment_method="invoice", period=period)
    ).policy
    assert policy is not None
    return Payer(customer, policy)


def test_the_period_on_the_mandate_sets_the_policys_period_surcharge_and_plan(
    customer: Customer, frozen: object, exchange: Path
) -> None:
    """A yearly invoice payer chooses "Månadsvis" on the autogiro application: the insurance is
    paid monthly from its start, with the monthly surcharge, by autogiro, on a new plan."""
    payer = _invoice_payer(customer)
    yearly_total = payer.policy.terms.get().year_total
    with clock.business_date(MON_23_NOV):
        mandate = mandate_register(
            ctx=SYSTEM,
            data=payer.mandate_input(
                policies=[PolicyChoice(payer.policy.number)], period="monthly"
            ),
        )
    payer.policy.refresh_from_db()
    assert payer.policy.period == "monthly"
    assert mandate.policies.get().period == "monthly"
    term = payer.policy.terms.get()
    assert (term.starts_on, term.period) == (dt.date(2026, 12, 1), "monthly")
    surcharge = term.tariff.surcharge_monthly
    assert term.year_total == (yearly_total * (100 + surcharge) / 100).quantize(Decimal("0.01"))
    assert mandate.events.filter(note="").exists()

    _play(exchange, MON_23_NOV, dt.date(2027, 1, 10), mandate.payer_number, 2)
    charges = list(Charge.objects.filter(policy=payer.policy).order_by("period_start"))
    assert len(charges) == 12 and sum(c.amount for c in charges) == term.year_total
    assert all(c.method == "autogiro" for c in charges)
    assert [c.state for c in charges[:2]] == ["paid", "paid"]
    assert charges[1].due_date == dt.date(2027, 1, 4)  # 1 January a holiday, then a weekend
    plan = Notice.objects.get(kind="plan")
    assert plan.charges.count() == 12 and plan.total == term.year_total
    assert not Notice.objects.filter(kind="invoice").exists()


def test_a_period_change_inside_a_collected_period_is_refused_with_the_day_it_needed(
    customer: Customer, frozen: object, exchange: Path
) -> None:
    payer = _invoice_payer(customer)
    run_on(MON_23_NOV)  # the yearly invoice for the year from 1 December is sent
    assert Notice.objects.filter(kind="invoice").count() == 1
    data = payer.mandate_input(
        policies=[PolicyChoice(payer.policy.number)],
        period="monthly",
        period_from=dt.date(2027, 1, 1),
    )
    with clock.business_date(dt.date(2026, 11, 24)), pytest.raises(ValidationFailed) as refused:
        mandate_register(ctx=SYSTEM, data=data)
    problem = refused.value.problems[0]
    assert (problem.field, problem.code) == ("period_from", "period.collected")
    assert "2027-12-01" in problem.message and payer.policy.number in problem.message
    assert not Mandate.objects.exists()
    payer.policy.refresh_from_db()
    assert payer.policy.period == "yearly"  # nothing changed

    # Without a day: the earliest, the next insurance year; this year stays on its invoice.
    with clock.business_date(dt.date(2026, 11, 24)):
        mandate_register(
            ctx=SYSTEM, data=payer.mandate_input(policies=data.policies, period="monthly")
        )
    payer.policy.refresh_from_db()
    assert payer.policy.period == "monthly"
    assert list(payer.policy.terms.values_list("period", flat=True)) == ["yearly"]
    invoice = Charge.objects.get(policy=payer.policy)
    assert (invoice.method, invoice.state) == ("invoice", "planned")


def test_half_yearly_to_monthly_from_the_second_half_keeps_the_insurance_year(
    customer: Customer, frozen: object, exchange: Path
) -> None:
    payer = _invoice_payer(customer, period="half_yearly")
    run_on(MON_23_NOV)  # the first half-year is invoiced
    with clock.business_date(dt.date(2027, 1, 11)):
        mandate_register(
            ctx=SYSTEM,
            data=payer.mandate_input(
                policies=[PolicyChoice(payer.policy.number)], period="monthly"
            ),
        )
    terms = list(payer.policy.terms.order_by("starts_on"))
    assert [(t.starts_on, t.ends_on, t.period) for t in terms] == [
        (dt.date(2026, 12, 1), dt.date(2027, 6, 1), "half_yearly"),
        (dt.date(2027, 6, 1), dt.date(2027, 12, 1), "monthly"),
    ]
    payer.policy.refresh_from_db()
    assert payer.policy.renewal_date == dt.date(2027, 12, 1)
    run_on(dt.date(2027, 4, 30))
    charges = list(Charge.objects.filter(policy=payer.policy).exclude(state="cancelled"))
    half = [c for c in charges if c.term_id == terms[0].pk]
    monthly = [c for c in charges if c.term_id == terms[1].pk]
    assert [c.period_start for c in half] == [dt.date(2026, 12, 1)]
    assert len(monthly) == 6
    # The six months are the monthly payer's instalments of a year (the first ones carry the
    # rounding öre): the year's premium with the monthly surcharge, for six months.
    year = instalments(terms[1].year_total, Period.MONTHLY)
    assert sorted(c.amount for c in monthly) == sorted(year[:6])
    assert abs(sum(c.amount for c in monthly) - terms[1].year_total / 2) <= Decimal("0.06")


def _second_policy(payer: Payer, other: Customer, **changes: object) -> Policy:
    """The payer insures their partner (the insured) on a second policy the payer holds."""
    policy = apply_online(
        payer.customer,
        online_input(
            payer.customer,
            insured_id_number=other.id_number,
            insured_given_name=other.party.given_name,
            insured_family_name=other.party.family_name,
            **changes,
        ),
    ).policy
    assert policy is not None
    return policy


def test_existing_autogiro_on_the_application_attaches_the_new_policy(
    payer: Payer, exchange: Path, other_customer: Customer
) -> None:
    with clock.business_date(MON_23_NOV):
        mandate = register(payer)
    second = _second_policy(
        payer,
        other_customer,
        payment_method="existing_autogiro",
        period="half_yearly",
        start_date=dt.date(2026, 12, 15),
    )
    # Its first premium (the broken December with the first half-year) falls due on the first
    # bank day of January (decision 0023).
    _play(exchange, MON_23_NOV, dt.date(2027, 1, 8), mandate.payer_number, 6)
    on_mandate = MandatePolicy.objects.get(policy=second)
    assert on_mandate.mandate_id == mandate.pk and on_mandate.period == "half_yearly"
    assert mandate.events.filter(note__contains=second.number).exists()
    charges = list(Charge.objects.filter(policy=second).order_by("period_start"))
    assert len(charges) == 2
    assert all((c.method, c.mandate_id) == ("autogiro", mandate.pk) for c in charges)
    assert charges[0].state == "paid"


def test_a_later_notice_adds_a_policy_and_a_stranger_s_policy_is_refused(
    payer: Payer, exchange: Path, other_customer: Customer
) -> None:
    with clock.business_date(MON_23_NOV):
        mandate = register(payer)
    second = _second_policy(payer, other_customer, payment_method="invoice", period="yearly")
    with_token(other_customer)
    strangers = apply_online(other_customer, online_input(other_customer)).policy
    assert strangers is not None
    with clock.business_date(MON_23_NOV), pytest.raises(ValidationFailed) as refused:
        mandate_add(
            ctx=SYSTEM,
            mandate_id=mandate.pk,
            data=AttachInput(policies=[PolicyChoice(strangers.number)]),
        )
    assert refused.value.problems[0].field == "policies.0.number"
    with clock.business_date(MON_23_NOV):
        mandate_add(
            ctx=SYSTEM,
            mandate_id=mandate.pk,
            data=AttachInput(policies=[PolicyChoice(second.number)], period="monthly"),
        )
    assert set(mandate.policies.values_list("policy__number", "period")) == {
        (payer.policy.number, "monthly"),
        (second.number, "monthly"),
    }
    second.refresh_from_db()
    assert second.period == "monthly"
    # The stranger's policy, with the holder's number written beside it ("om annat än
    # betalarens"): the paper form allows it; the account holder is still the payer.
    with clock.business_date(MON_23_NOV):
        mandate_add(
            ctx=SYSTEM,
            mandate_id=mandate.pk,
            data=AttachInput(
                policies=[PolicyChoice(strangers.number, holder_id_number=other_customer.id_number)]
            ),
        )
    _play(exchange, MON_23_NOV, dt.date(2026, 12, 10), mandate.payer_number, 3)
    strangers_first = Charge.objects.get(policy=strangers, period_start=dt.date(2026, 12, 1))
    assert strangers_first.mandate_id == mandate.pk and strangers_first.state == "paid"
    assert strangers_first.payer_id == payer.customer.party.pk  # the plan goes to the payer


def test_the_own_banks_account_is_a_valid_debit_account(payer: Payer, exchange: Path) -> None:
    account = account_open(ctx=SYSTEM, party=payer.customer.party, name="Lönekonto")
    with clock.business_date(MON_23_NOV):
        mandate = mandate_register(
            ctx=SYSTEM,
            data=MandateInput(
                payer_id_number=payer.customer.id_number,
                account=account.number,
                policies=[PolicyChoice(payer.policy.number)],
            ),
        )
    assert (mandate.clearing, mandate.bank, mandate.account_certain) == ("9020", "trygg", True)
    _play(exchange, MON_23_NOV, dt.date(2026, 12, 4), mandate.payer_number, 1)
    mandate.refresh_from_db()
    assert mandate.state == "active"
    assert Charge.objects.get(policy=payer.policy, period_start=dt.date(2026, 12, 1)).state == (
        "paid"
    )


def test_the_demo_shows_a_policy_added_to_the_existing_mandate(
    settings: object, tmp_path: Path, capsys: object
) -> None:
    from django.core.management import call_command

    settings.TRYGG_BANKGIROT_DIR = tmp_path / "bankgirot"  # type: ignore[attr-defined]
    call_command("demo")
    mandate = Mandate.objects.get(policies__policy__payment_method="existing_autogiro")
    on_mandate = list(mandate.policies.order_by("attached_on", "pk"))
    assert len(on_mandate) == 2
    added = next(m.policy for m in on_mandate if m.policy.payment_method == "existing_autogiro")
    assert added.insured_id != mandate.payer_id
    assert mandate.events.filter(note__contains=added.number).exists()
    premium = Charge.objects.filter(policy=added).order_by("due_date").first()
    assert premium is not None
    assert (premium.method, premium.mandate_id, premium.state) == ("autogiro", mandate.pk, "paid")


def test_a_mandate_of_someone_else_is_not_found_and_an_ended_one_takes_nothing(
    payer: Payer, exchange: Path, other_customer: Customer
) -> None:
    from trygg.billing.mandates import mandate_add_sign_start, mandate_revoke
    from trygg.kernel.errors import NotFound

    with clock.business_date(MON_23_NOV):
        mandate = register(payer)
    with_token(other_customer)
    own = apply_online(other_customer, online_input(other_customer)).policy
    assert own is not None
    with pytest.raises(NotFound):
        mandate_add_sign_start(
            ctx=SYSTEM,
            person=other_customer.party,
            mandate_id=mandate.pk,
            data=AttachInput(policies=[PolicyChoice(own.number)]),
        )
    second = _second_policy(payer, other_customer, payment_method="invoice", period="yearly")
    with clock.business_date(MON_23_NOV):
        mandate_revoke(ctx=SYSTEM, person=payer.customer.party, mandate_id=mandate.pk)
        with pytest.raises(ValidationFailed) as closed:
            mandate_add(
                ctx=SYSTEM,
                mandate_id=mandate.pk,
                data=AttachInput(policies=[PolicyChoice(second.number)]),
            )
    assert closed.value.code == "mandate.not_open"
    assert not MandatePolicy.objects.filter(policy__in=[own, second]).exists()
