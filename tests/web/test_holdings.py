"""Funds and life & pension shown from their records, behind the PIN log-in (seed's list)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import ApiClient, Customer, portal_login
from trygg.banking.services import holding_record


@pytest.fixture
def invested(customer: Customer) -> Customer:
    holding_record(
        party=customer.party,
        kind="fund",
        name="Trygg Global Indexfond",
        identifier="SE0001234567",
        units=Decimal("10.5000"),
        price=Decimal("100.123"),
        valued_on=dt.date(2026, 11, 20),
    )
    holding_record(
        party=customer.party,
        kind="pension",
        name="Trygg Traditionell Pension",
        identifier="P1000017",
        units=Decimal(1),
        price=Decimal("284310.55"),
        valued_on=dt.date(2026, 11, 20),
    )
    return customer


@pytest.mark.django_db
def test_funds_and_pension_pages_after_a_pin_login(invested: Customer) -> None:
    client = Client()
    portal_login(client, invested.id_number, invested.pin)
    funds = client.get("/funds/").content.decode()
    # 10.5 × 100.123, rounded
    assert "Trygg Global Indexfond" in funds and "1\u00a0051,29\u00a0kr" in funds
    pension = client.get("/pension/").content.decode()
    assert "284\u00a0310,55\u00a0kr" in pension and "Indexfond" not in pension


@pytest.mark.django_db
def test_holdings_api_and_refused_kind(
    api: ApiClient, invested: Customer, other_customer: Customer
) -> None:
    api.login(invested.id_number, invested.pin)
    rows = api.call("GET", "/holdings?kind=fund").json()
    assert [r["value"] for r in rows] == ["1051.29"]
    bad = api.call("GET", "/holdings?kind=stocks")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"
    other = ApiClient()
    other.login(other_customer.id_number, other_customer.pin)
    assert other.call("GET", "/holdings?kind=fund").json() == []
