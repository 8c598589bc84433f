"""Annual renewal: the new year's PBB, the tariff then valid, idempotent per day."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.banking.conftest import with_token
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, online_input
from trygg.insurance import renewal
from trygg.insurance.models import Policy, PriceBaseAmount, Tariff, TariffPrice
from trygg.insurance.policies import term_schedule, term_write
from trygg.insurance.tariffs import catalogue_forget
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_renewal_follows_the_index_and_the_tariff_then_valid(
    customer: Customer, frozen: Any
) -> None:
    with_token(customer)
    policy = apply_online(customer, online_input(customer, level=30, period="half_yearly")).policy
    assert policy is not None
    out = StringIO()
    with pytest.raises(CommandError, match=r"pbb\.missing"):
        call_command("insurance", "renew", "--date", "2027-12-01", stdout=out)
    assert policy.terms.count() == 1  # nothing half-done
    PriceBaseAmount.objects.create(year=2027, amount=Decimal("60000"))
    first = Tariff.objects.get(version="2016-1")
    second = Tariff.objects.create(
        product=first.product,
        version="2027-1",
        valid_from=dt.date(2027, 6, 1),
        surcharge_half_yearly=Decimal("2"),
        acute_care_once=500,
        hospital_per_day=200,
        hospital_max_days=365,
        costs_years=5,
        clothes_cap_pbb=Decimal("0.25"),
        death_pbb=1,
        pain_from_age=18,
    )
    for level, price in [(10, 600), (20, 1000), (30, 1400), (40, 1800), (50, 2200)]:
        TariffPrice.objects.create(tariff=second, level=level, annual_price=price)
    catalogue_forget()
    call_command("insurance", "renew", "--date", "2027-12-01", stdout=out)
    assert "1 policies renewed" in out.getvalue()
    call_command("insurance", "renew", "--date", "2027-12-01", stdout=out)  # again: nothing
    policy.refresh_from_db()
    assert policy.renewal_date == dt.date(2028, 12, 1)
    terms = list(policy.terms.order_by("starts_on"))
    assert len(terms) == 2
    new = terms[1]
    assert (new.starts_on, new.ends_on) == (dt.date(2027, 12, 1), dt.date(2028, 12, 1))
    assert new.pbb_year == 2027 and new.base_amount == Decimal("1800000")
    assert new.tariff == second and new.annual_price == Decimal("1400")
    assert new.year_total == Decimal("1428.00")  # 2 % for half-yearly payment
    assert [i.amount for i in term_schedule(new)] == [Decimal("714.00"), Decimal("714.00")]


def _portfolio(customer: Customer, renewals: list[tuple[dt.date, str]]) -> list[Policy]:
    """The customer's policy and copies of it renewing on the given dates (state given)."""
    with_token(customer)
    first = apply_online(customer, online_input(customer, level=20, period="yearly")).policy
    assert first is not None
    policies = []
    for n, (due, state) in enumerate(renewals):
        start = dt.date(due.year - 1, due.month, due.day)
        policy = Policy.objects.create(
            number=f"9{n:08d}",
            product=first.product,
            policyholder=first.policyholder,
            insured=first.insured,
            level=first.level,
            start_date=start,
            renewal_date=due,
            payment_method=first.payment_method,
            period=first.period,
            state=state,
            created_at=first.created_at,
        )
        term = term_write(policy, start)
        term.ends_on = due  # a year from a day inside a month, as terms ran before decision 0023
        term.save(update_fields=["ends_on"])
        policies.append(policy)
    return policies


def test_renewal_renews_every_due_date_and_catches_up_missed_years(
    customer: Customer, frozen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    PriceBaseAmount.objects.get_or_create(year=2027, defaults={"amount": Decimal("60000")})
    a, b, c, late, ended = _portfolio(
        customer,
        [
            (dt.date(2027, 12, 1), "active"),
            (dt.date(2027, 12, 1), "active"),
            (dt.date(2027, 12, 3), "active"),
            (dt.date(2026, 12, 1), "active"),  # a year behind: renewed twice
            (dt.date(2027, 12, 1), "cancelled"),
        ],
    )
    monkeypatch.setattr(renewal, "DATES_PER_BATCH", 2)  # several batches
    days = renewal.renewal_run(ctx=SYSTEM, on=dt.date(2027, 12, 5))
    assert [(d.renewal_date, d.policies) for d in days] == [
        (dt.date(2026, 12, 1), 1),
        (dt.date(2027, 12, 1), 3),  # with the customer's own policy
        (dt.date(2027, 12, 3), 1),
        (dt.date(2027, 12, 1), 1),
    ]
    assert [d.pbb_year for d in days] == [2026, 2027, 2027, 2027]
    events = AuditEvent.objects.filter(object_type="renewal")
    assert sorted(e.object_id for e in events) == [
        "2026-12-01",
        "2027-12-01",
        "2027-12-01",
        "2027-12-03",
    ]
    for policy, renewal_date in [
        (a, dt.date(2028, 12, 1)),
        (b, dt.date(2028, 12, 1)),
        # A term from inside a month runs to the end of its twelfth whole month (decision 0023).
        (c, dt.date(2029, 1, 1)),
        (late, dt.date(2028, 12, 1)),
        (ended, dt.date(2027, 12, 1)),
    ]:
        policy.refresh_from_db()
        assert policy.renewal_date == renewal_date
        terms = list(policy.terms.order_by("starts_on"))
        assert [t.ends_on for t in terms][-1] == (
            renewal_date if policy != ended else dt.date(2027, 12, 1)
        )
        for previous, term in itertools.pairwise(terms):
            assert term.starts_on == previous.ends_on
            assert term.pbb_year == term.starts_on.year
            assert term.base_amount == term.pbb * policy.level
    assert late.terms.count() == 3 and ended.terms.count() == 1
    assert renewal.renewal_run(ctx=SYSTEM, on=dt.date(2027, 12, 5)) == []


def test_renewal_stops_at_a_date_it_cannot_price(customer: Customer, frozen: Any) -> None:
    PriceBaseAmount.objects.get_or_create(year=2027, defaults={"amount": Decimal("60000")})
    PriceBaseAmount.objects.filter(year=2028).delete()
    catalogue_forget()
    december, january = _portfolio(
        customer, [(dt.date(2027, 12, 20), "active"), (dt.date(2028, 1, 2), "active")]
    )
    with pytest.raises(ValidationFailed) as refused:
        renewal.renewal_run(ctx=SYSTEM, on=dt.date(2028, 1, 5))
    assert refused.value.code == "pbb.missing"
    december.refresh_from_db()
    january.refresh_from_db()
    assert december.renewal_date == dt.date(2029, 1, 1) and december.terms.count() == 2
    assert january.renewal_date == dt.date(2028, 1, 2) and january.terms.count() == 1
