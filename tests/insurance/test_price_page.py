"""The public price page: every level side by side in kronor for anyone, reached from the
log-in page; a past start date refused with words; a start in a year whose price base amount is
not yet entered still shown, with the latest amount and a notice saying so (decision 0087)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from trygg.insurance import rules
from trygg.insurance.models import PriceBaseAmount
from trygg.insurance.tariffs import price_list
from trygg.kernel import clock
from trygg.kernel.numbertext import money_text

pytestmark = pytest.mark.django_db


def test_the_login_page_leads_to_the_price_page_of_every_level(frozen: Any) -> None:
    login = Client().get("/login/").content.decode()
    assert 'href="/insurance/prices/"' in login
    page = Client().get("/insurance/prices/")
    assert page.status_code == 200
    html = page.content.decode()
    prices = price_list(clock.today() + dt.timedelta(days=1))
    assert [level.level for level in prices.levels] == [10, 20, 30, 40, 50]
    for level in prices.levels:
        for amount in (level.base_amount, level.max_disability, level.monthly, level.yearly):
            assert money_text(amount, language="sv") in html
    assert 'id="preliminary"' not in html


def test_the_levels_pay_in_price_base_amounts_and_a_year_adds_up() -> None:
    tariff = rules.Tariff(
        version="T",
        valid_from=dt.date(2026, 1, 1),
        prices={10: rules.Decimal("480"), 50: rules.Decimal("2400")},
        surcharges={rules.Period.MONTHLY: rules.Decimal("5")},
    )
    table = rules.price_table(tariff, rules.Decimal("59200"))
    assert [row.base_amount for row in table] == [592000, 2960000]
    assert table[0].max_disability == 1184000 and table[0].yearly == 480
    assert table[0].monthly * 12 >= 504 and table[1].limited and not table[0].limited


def test_a_past_start_date_is_refused_with_words(frozen: Any) -> None:
    yesterday = clock.today() - dt.timedelta(days=1)
    page = Client().get("/insurance/prices/", {"date": yesterday.isoformat()})
    assert page.status_code == 422
    assert "tidigast i morgon" in page.content.decode()


def test_next_years_start_uses_the_latest_amount_and_says_so(frozen: Any) -> None:
    latest = PriceBaseAmount.objects.order_by("-year").first()
    assert latest is not None
    later = dt.date(latest.year + 1, 1, 15)
    prices = price_list(later)
    assert prices.preliminary and prices.pbb_year == latest.year and prices.pbb == latest.amount
    with clock.frozen_now(dt.datetime(latest.year, 12, 20, 9, 0, tzinfo=dt.UTC)):
        html = Client().get("/insurance/prices/", {"date": later.isoformat()}).content.decode()
    assert 'id="preliminary"' in html and str(latest.year + 1) in html
