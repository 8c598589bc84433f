"""PIN log-in → the overview opens on the customer's money (accounts with balances, the firm's
apart) → every letter in the inbox → a payment with a time-code token is led to BankID, not to a
dead end; at 360 px and at desktop width, in a real browser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import make_customer
from trygg.banking.services import account_open, incoming_payment_book
from trygg.identity.models import TokenKind
from trygg.identity.tokens import token_dispatch, token_hand_over, token_order
from trygg.kernel.audit import SYSTEM
from trygg.kernel.numbertext import money_text
from trygg.parties.services import ContactInput, sole_trader_firm_register


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [360, 1280])
def test_overview_letters_and_time_code_signing(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    person = make_customer(pin="4826")
    main = account_open(ctx=SYSTEM, party=person.party, name="Lönekonto")
    incoming_payment_book(account=main, amount=Decimal("25000"), text="Lön")
    firm = sole_trader_firm_register(
        ctx=SYSTEM,
        person=person.party,
        firm_name="Eks Snickeri",
        since=dt.date(2015, 4, 1),
        contact=ContactInput(street="Verkstadsgatan 4", postal_code="41701", city="Göteborg"),
    )
    firms = account_open(ctx=SYSTEM, party=firm, name="Företagskonto")
    incoming_payment_book(account=firms, amount=Decimal("1500.50"), text="Faktura")
    token = token_order(ctx=SYSTEM, party=person.party, kind=TokenKind.TOTP)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)

    page.goto("/login/")
    page.get_by_label("Personnummer").fill(person.id_number)
    page.get_by_label("PIN-kod").fill("4826")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/overview/")
    money = page.get_by_role("heading", name="Dina pengar")
    assert money.is_visible()
    text = page.locator("main").inner_text()
    assert money_text(Decimal("25000"), language="sv") in text
    assert money_text(Decimal("1500.50"), language="sv") in text
    assert text.index("Lönekonto") < text.index("Eks Snickeri") < text.index("Företagskonto")
    page.screenshot(path=f"var/e2e-overview-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="Alla brev").click()
    page.wait_for_url("**/letters/")
    assert page.get_by_role("heading", name="Brev").is_visible()
    page.keyboard.press("Tab")

    page.goto("/bank/pay/")
    page.get_by_label("Till", exact=True).select_option("bankgiro")
    page.get_by_label("Nummer", exact=True).fill("5050-1055")
    page.get_by_label("Belopp (kr)").fill("845")
    page.get_by_role("button", name="Fortsätt till granskning").click()
    page.wait_for_url("**/bank/pay/review/**")
    page.get_by_role("button", name="Fortsätt till signering").click()
    page.wait_for_url("**/bank/sign/**")
    info = page.locator("#time-code-info").inner_text()
    assert "tidskod" in info and "BankID" in info
    assert page.locator("#challenge").count() == 0
    assert page.get_by_role("button", name="Signera med BankID på en annan enhet").is_visible()
    page.screenshot(path=f"var/e2e-sign-time-code-{width}.png", full_page=True)
