"""Payment and trade journeys in a real browser, at 360 px and at desktop width: a payment to a
new bankgiro with an OCR number is reviewed, signed and ends on its receipt, which the account's
history leads back to; a sale of more shares than held is refused before signing, a buy goes on
to signing; the depot shows value and history. Each page is scanned with axe-core and must not
scroll sideways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import make_customer
from tests.e2e.axe import axe_findings, wider_than_screen
from trygg.banking.services import (
    PayeeInput,
    account_open,
    holding_record,
    incoming_payment_book,
    payee_register,
    payee_register_start,
)
from trygg.banking.trading import instrument_price_record
from trygg.identity.models import SecurityToken, TokenKind
from trygg.identity.signing import signing_complete_with_token
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM

WIDTHS = {"360": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
ISIN = "SE0000108656"


def _checked(page: Any, what: str) -> None:
    """The page as it is now: no serious accessibility finding, no sideways scrolling."""
    assert axe_findings(page) == [], what
    assert not wider_than_screen(page), what


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_payment_with_review_and_receipt_then_a_trade_with_the_cover_check(
    page: Any, width: str
) -> None:
    person = make_customer(pin="4826")
    main = account_open(ctx=SYSTEM, party=person.party, name="Lönekonto")
    incoming_payment_book(account=main, amount=Decimal("10000"), text="Lön")
    token = token_order(ctx=SYSTEM, party=person.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    today = clock.today()
    for back, price in ((1, "73.00"), (0, "75.00")):
        instrument_price_record(
            isin=ISIN,
            name="Ericsson B",
            kind="share",
            on=today - dt.timedelta(days=back),
            price=Decimal(price),
        )
    holding_record(
        party=person.party,
        kind="share",
        name="Ericsson B",
        identifier=ISIN,
        units=Decimal(5),
        price=Decimal("75.00"),
        valued_on=today,
    )
    payee = PayeeInput("Hyresvärden", "bankgiro", "5402-9681")
    order = payee_register_start(ctx=SYSTEM, person=person.party, data=payee)
    signing_complete_with_token(
        ctx=SYSTEM,
        order=order,
        response=token_expected_response(SecurityToken.objects.get(pk=token.pk), order.challenge),
    )
    payee_register(ctx=SYSTEM, person=person.party, signing_id=order.public_id, data=payee)
    page.set_viewport_size(WIDTHS[width])

    page.goto("/login/")
    page.get_by_label("Personnummer").fill(person.id_number)
    page.get_by_label("PIN-kod").fill("4826")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/overview/")

    # A payment: the form, its review, the signature, the receipt.
    page.goto("/bank/pay/")
    page.get_by_label("Till", exact=True).select_option("bankgiro")
    page.get_by_label("Nummer", exact=True).fill("5050-1055")
    page.get_by_label("Mottagarens namn (visas på ditt kvitto)").fill("Elbolaget")
    page.get_by_label("Belopp (kr)").fill("845")
    page.get_by_label("OCR-nummer").fill("1234567898")  # a wrong check digit
    page.get_by_label("Meddelande till mottagaren").fill("Faktura 77")
    page.get_by_role("button", name="Fortsätt till granskning").click()
    errors = page.locator("#error-summary").inner_text()
    assert "inte båda" in errors and "kontrollsiffra" in errors
    _checked(page, "the payment form with errors")
    page.get_by_label("Meddelande till mottagaren").fill("")
    page.get_by_label("OCR-nummer").fill("1234567897")
    page.get_by_role("button", name="Fortsätt till granskning").click()
    page.wait_for_url("**/bank/pay/review/**")
    assert page.get_by_role("heading", name="Granska betalningen").is_visible()
    review = page.locator("dl.facts").inner_text()
    assert "845,00\xa0kr" in review and "Elbolaget" in review and "1234567897" in review
    assert "Lönekonto" in review and today.isoformat() in review
    _checked(page, "the review")
    page.get_by_role("button", name="Fortsätt till signering").click()
    page.wait_for_url("**/bank/sign/**")
    assert "Elbolaget (bankgiro 5050-1055)" in page.locator("#signed-text").inner_text()
    challenge = page.locator("#challenge").inner_text().strip()
    code = token_expected_response(SecurityToken.objects.get(pk=token.pk), challenge)
    page.get_by_label("Svar från säkerhetsdosan").fill(code)
    page.get_by_role("button", name="Signera och betala").click()
    page.wait_for_url("**/bank/payments/**")
    assert page.get_by_role("heading", name="Kvitto").is_visible()
    receipt = page.locator("dl.facts").inner_text()
    assert "845,00\xa0kr" in receipt and "Betald" in receipt and "1234567897" in receipt
    assert page.get_by_role("button", name="Skriv ut kvittot").is_visible()
    _checked(page, "the receipt")
    receipt_url = page.url
    page.get_by_role("link", name="Till kontots historik").click()
    page.wait_for_url(f"**/bank/accounts/{main.pk}/")
    _checked(page, "the account's history")
    page.get_by_role("link", name="1234567897").click()
    page.wait_for_url(receipt_url)

    # The payees: listed, changed without signing, removal asked before it is done.
    page.goto("/bank/payees/")
    _checked(page, "the payees")
    with page.expect_navigation():  # the new page, not the one it leaves
        page.get_by_role("link", name="Ändra Hyresvärden").click()
    _checked(page, "a payee's change form")
    page.get_by_label("Namn").fill("Hyresvärden AB")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/bank/payees/")
    assert "Mottagaren är ändrad" in page.get_by_role("status").inner_text()
    with page.expect_navigation():  # the new page, not the one it leaves
        page.get_by_role("link", name="Betala Hyresvärden AB").click()
    _checked(page, "a payee's payment form")
    page.goto("/bank/payees/")
    with page.expect_navigation():  # the new page, not the one it leaves
        page.get_by_role("link", name="Ta bort Hyresvärden AB").click()
    _checked(page, "a payee's removal")
    page.get_by_role("button", name="Ta bort").click()
    page.wait_for_url("**/bank/payees/")
    assert "Hyresvärden AB är borttagen" in page.get_by_role("status").inner_text()

    # A trade: the price list, a sale beyond the holding refused, a buy on to signing.
    page.goto("/bank/market/")
    assert "75,00\xa0kr" in page.get_by_role("table").inner_text()
    _checked(page, "the price list")
    page.get_by_role("link", name="Handla Ericsson B").click()
    page.wait_for_url("**/bank/trade/?isin=*")
    page.get_by_label("Köp eller sälj").select_option("sell")
    page.get_by_label("Antal aktier").fill("6")
    page.get_by_label("Limitpris (kr)").fill("74")
    page.get_by_role("button", name="Fortsätt till signering").click()
    assert "Du äger inte så många andelar" in page.locator("#error-summary").inner_text()
    assert "/bank/trade/" in page.url
    _checked(page, "the trade form refused")
    page.get_by_label("Köp eller sälj").select_option("buy")
    page.get_by_label("Antal aktier").fill("200")
    page.get_by_label("Limitpris (kr)").fill("75")
    page.get_by_role("button", name="Fortsätt till signering").click()
    assert "täcker inte ordern" in page.locator("#error-summary").inner_text()  # 15 000 kr
    page.get_by_label("Antal aktier").fill("10")
    page.get_by_role("button", name="Fortsätt till signering").click()
    page.wait_for_url("**/bank/sign/**")
    assert "Ericsson B" in page.locator("#signed-text").inner_text()

    page.goto("/bank/depot/")
    depot = page.get_by_role("table").first.inner_text()
    assert "Ericsson B" in depot and "375,00\xa0kr" in depot  # 5 × 75 kr
    assert page.get_by_role("heading", name="Värde över tid").is_visible()
    _checked(page, "the depot")
