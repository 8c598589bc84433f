"""Annual renewal: the new year's PBB, the tariff then valid, idempotent per day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.banking.conftest import with_token
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, online_input
from trygg.insurance.models import PriceBaseAmount, Tariff, TariffPrice
from trygg.insurance.policies import term_schedule
from trygg.insurance.tariffs import catalogue_forget

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
