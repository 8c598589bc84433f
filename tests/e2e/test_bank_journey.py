"""PIN log-in → transfer to an own account without token → payment to a new account asks for
signing → sign with the token's code → done → log out, in a real browser."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import make_customer
from trygg.banking.services import account_open, incoming_payment_book
from trygg.identity.models import SecurityToken, TokenKind
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.kernel.audit import SYSTEM


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_transfer_then_signed_payment(page: Any) -> None:
    person = make_customer(pin="4826")
    main = account_open(ctx=SYSTEM, party=person.party, name="Lönekonto")
    account_open(ctx=SYSTEM, party=person.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("10000"), text="Lön")
    token = token_order(ctx=SYSTEM, party=person.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)

    page.goto("/login/")
    page.get_by_label("Personnummer").fill(person.id_number)
    page.get_by_label("PIN-kod").fill("4826")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/overview/")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Konton").click()
    page.get_by_role("link", name="Överför mellan dina konton").click()
    page.get_by_label("Från konto").select_option(str(main.pk))
    page.get_by_label("Till konto").select_option(index=1)
    page.get_by_label("Belopp (kr)").fill("1000")
    page.get_by_role("button", name="Överför").click()
    page.wait_for_url("**/bank/")
    assert "Överföringen är klar" in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Betala till nytt konto").click()
    page.get_by_label("Till", exact=True).select_option("bankgiro")
    page.get_by_label("Nummer", exact=True).fill("5050-1055")
    page.get_by_label("Belopp (kr)").fill("845")
    page.get_by_role("button", name="Fortsätt till granskning").click()
    page.wait_for_url("**/bank/pay/review/**")
    page.get_by_role("button", name="Fortsätt till signering").click()
    page.wait_for_url("**/bank/sign/**")
    assert "5050-1055" in page.locator("#signed-text").inner_text()
    challenge = page.locator("#challenge").inner_text().strip()
    code = token_expected_response(SecurityToken.objects.get(pk=token.pk), challenge)
    page.get_by_label("Svar från säkerhetsdosan").fill(code)
    page.get_by_role("button", name="Signera och betala").click()
    page.wait_for_url("**/bank/payments/**")
    assert "Betalningen på 845,00\xa0kr är klar" in page.get_by_role("status").inner_text()
    page.screenshot(path="var/e2e-bank.png", full_page=True)

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login/")
