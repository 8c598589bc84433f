"""The tariff reproduces the seed's price sheet; quotes refuse what the rules forbid."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from trygg.insurance import rules
from trygg.insurance.models import PriceBaseAmount, Tariff, TariffPrice
from trygg.insurance.tariffs import catalogue_forget, quote_for, tariff_on
from trygg.kernel.errors import ValidationFailed

pytestmark = pytest.mark.django_db

# The seed's table (2016, PBB 44 300): level, base amount, highest disability payout, annual price.
SEED_TABLE = [
    (10, "443000", "886000", "572"),
    (20, "886000", "1772000", "946"),
    (30, "1329000", "2658000", "1322"),
    (40, "1772000", "3544000", "1698"),
    (50, "2215000", "4430000", "2071"),
]


@pytest.mark.parametrize(("level", "base", "maximum", "price"), SEED_TABLE)
def test_every_row_of_the_seed_price_table(level: int, base: str, maximum: str, price: str) -> None:
    q = quote_for(insured="1980-06-01", level=level, period="yearly", on=dt.date(2016, 3, 1)).quote
    assert q.pbb == Decimal("44300")
    assert q.base_amount == Decimal(base)
    assert q.max_disability == Decimal(maximum)
    assert q.annual_price == Decimal(price)
    assert q.year_total == Decimal(price)
    assert q.tariff_version == "2016-1"


def test_amounts_follow_the_price_base_amount_of_the_year() -> None:
    q = quote_for(insured="1980-06-01", level=30, period="yearly", on=dt.date(2026, 12, 1)).quote
    assert q.pbb_year == 2026
    assert q.base_amount == Decimal("1776000")  # 30 × 59 200
    assert q.annual_price == Decimal("1322")


def test_a_person_who_has_turned_46_may_take_at_most_40() -> None:
    on = dt.date(2026, 12, 1)
    turned_46 = dt.date(1980, 12, 1)
    with pytest.raises(ValidationFailed) as refused:
        quote_for(insured=turned_46.isoformat(), level=50, period="yearly", on=on)
    assert refused.value.code == "level.age_limit"
    assert refused.value.field == "level"
    assert quote_for(insured=turned_46.isoformat(), level=40, period="yearly", on=on)
    day_before_46 = dt.date(1980, 12, 2)
    assert quote_for(insured=day_before_46.isoformat(), level=50, period="yearly", on=on)


def test_the_price_applies_from_19() -> None:
    on = dt.date(2026, 12, 1)
    with pytest.raises(ValidationFailed) as refused:
        quote_for(insured="2007-12-02", level=10, period="yearly", on=on)
    assert refused.value.code == "insured.min_age"
    assert quote_for(insured="2007-12-01", level=10, period="yearly", on=on).quote.age == 19


def test_a_personal_identity_number_gives_the_birth_date() -> None:
    q = quote_for(insured="19811218-9876", level=20, period="yearly", on=dt.date(2026, 12, 1))
    assert q.quote.age == 44


def test_a_year_without_price_base_amount_is_an_error() -> None:
    with pytest.raises(ValidationFailed) as refused:
        quote_for(insured="1980-01-01", level=20, period="yearly", on=dt.date(2027, 1, 2))
    assert refused.value.code == "pbb.missing"
    PriceBaseAmount.objects.create(year=2027, amount=Decimal("60000"))
    catalogue_forget()
    q = quote_for(insured="1980-01-01", level=20, period="yearly", on=dt.date(2027, 1, 2)).quote
    assert q.base_amount == Decimal("1200000")


def test_a_new_tariff_version_applies_from_its_date_with_its_surcharges() -> None:
    first = Tariff.objects.get(version="2016-1")
    second = Tariff.objects.create(
        product=first.product,
        version="2026-1",
        valid_from=dt.date(2026, 7, 1),
        surcharge_monthly=Decimal("5"),
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
    before = quote_for(insured="1980-01-01", level=20, period="monthly", on=dt.date(2026, 6, 30))
    after = quote_for(insured="1980-01-01", level=20, period="monthly", on=dt.date(2026, 7, 1))
    assert before.quote.tariff_version == "2016-1"
    assert after.quote.tariff_version == "2026-1"
    assert after.quote.year_total == Decimal("1050.00")  # 1000 + 5 %
    assert after.quote.price_per_period == Decimal("87.50")
    assert tariff_on(dt.date(2026, 7, 1))[0] == second


@given(
    price=st.integers(min_value=1, max_value=100_000),
    surcharge=st.decimals(min_value=0, max_value=25, places=2),
    period=st.sampled_from(list(rules.Period)),
)
def test_instalments_add_up_to_the_year(
    price: int, surcharge: Decimal, period: rules.Period
) -> None:
    tariff = rules.Tariff(
        version="t",
        valid_from=dt.date(2020, 1, 1),
        prices={10: Decimal(price)},
        surcharges={rules.Period.MONTHLY: surcharge, rules.Period.HALF_YEARLY: surcharge},
    )
    annual, total, parts = rules.price(tariff, 10, period)
    assert len(parts) == period.instalments
    assert sum(parts) == total
    assert max(parts) - min(parts) <= Decimal("0.01")
    assert total >= annual


@pytest.mark.parametrize(
    ("applied", "signed", "start", "code"),
    [
        (
            dt.date(2026, 11, 22),
            dt.date(2026, 11, 22),
            dt.date(2026, 11, 22),
            "start_date.too_early",
        ),
        (dt.date(2026, 11, 22), dt.date(2026, 11, 22), dt.date(2026, 11, 23), None),
        (dt.date(2026, 11, 22), dt.date(2026, 11, 22), dt.date(2027, 2, 22), None),
        (dt.date(2026, 11, 22), dt.date(2026, 11, 22), dt.date(2027, 2, 23), "start_date.too_late"),
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30), dt.date(2027, 2, 28), None),  # short month
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30), dt.date(2027, 3, 1), "start_date.too_late"),
    ],
)
def test_start_date_window_at_its_edges(
    applied: dt.date, signed: dt.date, start: dt.date, code: str | None
) -> None:
    window = rules.start_window(applied_on=applied, signed_on=signed)
    if code is None:
        assert window.check(start) == start
    else:
        with pytest.raises(rules.RuleError) as refused:
            window.check(start)
        assert refused.value.code == code
        assert refused.value.field == "start_date"


def test_invoice_is_yearly_or_half_yearly() -> None:
    with pytest.raises(rules.RuleError) as refused:
        rules.check_payment("invoice", "monthly")
    assert refused.value.code == "payment.invoice_period"
    assert rules.check_payment("autogiro", "monthly")


def test_quote_command(capsys: Any) -> None:
    out = StringIO()
    call_command(
        "quote",
        "--insured",
        "1970-01-01",
        "--level",
        "40",
        "--date",
        "2016-05-01",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["base_amount"] == "1772000.00" and data["annual_price"] == "1698.00"
    with pytest.raises(CommandError, match=r"level\.age_limit"):
        call_command("quote", "--insured", "1970-01-01", "--level", "50", "--date", "2016-05-01")


def test_quote_api_answers_and_refuses_with_the_rule(client: Any) -> None:
    ok = client.post(
        "/api/v1/insurance/quotes",
        {"insured": "1990-01-01", "level": 10, "period": "half_yearly", "date": "2016-02-01"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["instalments"] == ["286.00", "286.00"]
    refused = client.post(
        "/api/v1/insurance/quotes",
        {"insured": "1960-01-01", "level": 50, "period": "yearly", "date": "2016-02-01"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "level.age_limit"
    assert "level" in json.dumps(problem)


def test_quote_page(client: Any) -> None:
    page = client.post(
        "/insurance/quote/",
        {"insured": "1990-01-01", "level": "20", "period": "yearly", "date": "2016-02-01"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "886" in text and "946" in text
    refused = client.post(
        "/insurance/quote/",
        {"insured": "1960-01-01", "level": "50", "period": "yearly", "date": "2016-02-01"},
    )
    assert refused.status_code == 422
