"""A claim on the card insurance in a real browser: the customer logs in to Mine sider with a
password, reports the loss with a receipt (first with a wrong account number, refused in
Norwegian), the handler asks for the police report in the back office, the customer sends it
(the handling time runs again), and the handler approves and pays to the account in the claim."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps

from tests.e2e.conftest import backoffice_login, restore_reference_data, staff_with_totp
from trygg.banking import chart
from trygg.banking.ledger import internal_account
from trygg.identity.passwords import password_credential_set
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.parties.services import ContactInput, person_register
from trygg.protection.models import ProtectionClaim
from trygg.protection.subscriptions import agreement_start

PASSWORD = "Blåbærsyltetøy på brødskiva"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_claim_reported_on_mine_sider_and_decided_by_staff(page: Any, tmp_path: Path) -> None:
    restore_reference_data("trygg.protection.migrations.0010_protection_claims_roles")
    importlib.import_module("trygg.protection.migrations.0005_entities_and_products").load(
        django_apps, None
    )
    number = idnumbers.generate_norwegian_personal(dt.date(1984, 2, 29), 123)
    kari = person_register(
        ctx=SYSTEM,
        id_number=number,
        given_name="Kari",
        family_name="Nordmann",
        preferred_language="nb",
        contact=ContactInput(street="Karl Johans gate 1", postal_code="0154", city="Oslo"),
    )
    password_credential_set(ctx=SYSTEM, party=kari, password=PASSWORD)
    with clock.business_date(clock.today() - dt.timedelta(days=40)):
        insurance = agreement_start(ctx=SYSTEM, customer=kari, product_code="kortforsikring")
    receipt = tmp_path / "kvittering.pdf"
    receipt.write_bytes(b"%PDF-1.4\n% kvittering\n")
    police = tmp_path / "politianmeldelse.pdf"
    police.write_bytes(b"%PDF-1.4\n% anmeldelse\n")

    # Mine sider, in Norwegian: report the loss.
    page.goto("/login/password/")
    page.fill("input[name=id_number]", number)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/protection/")
    assert page.locator("html").get_attribute("lang") == "nb"
    page.locator("a[href='/protection/claims/new/']").click()
    page.wait_for_url("**/protection/claims/new/")
    page.select_option("select[name=agreement]", insurance.number)
    page.fill("input[name=incident_on]", (clock.today() - dt.timedelta(days=3)).isoformat())
    page.fill("textarea[name=description]", "Lommeboka ble stjålet på trikken.")
    page.fill("input[name=amount_claimed]", "2 450,50")
    page.fill("input[name=payout_account]", "8601 11 17948")
    page.select_option("select[name=document_kind]", "receipt")
    page.set_input_files("input[name=document]", str(receipt))
    page.locator("main button[type=submit]").click()
    error = page.locator("#id_payout_account-error").inner_text()
    assert "kontonummer" in error.lower()
    assert not ProtectionClaim.objects.exists()
    page.fill("input[name=payout_account]", "8601 11 17947")
    page.set_input_files("input[name=document]", str(receipt))
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/protection/claims/K*/")
    claim = ProtectionClaim.objects.get()
    main = page.locator("main").inner_text().replace("\xa0", " ")
    assert claim.number in main and "kvittering.pdf" in main and "2 450,50 kr" in main
    page.screenshot(path=str(tmp_path / "claim-reported.png"), full_page=True)

    # The back office: the handler finds it in the queue and asks for the police report.
    device = staff_with_totp("claims_handler", "skade.behandler")
    # The handler works in a browser of their own (a staff log-in ends a customer's session).
    origin = page.url.split("/protection/")[0]
    assert page.context.browser is not None
    office = page.context.browser.new_context(base_url=origin, locale="nb-NO")
    desk = backoffice_login(office, "skade.behandler", device)
    desk.goto("/backoffice/protection/protectionclaim/queue/")
    desk.locator(f"a:has-text('{claim.number}')").click()
    desk.wait_for_url("**/work/")
    desk.select_option("select[name=step]", "information")
    desk.fill("textarea[name=information]", "Send oss politianmeldelsen.")
    desk.locator("input[type=submit][value]").first.click()
    desk.wait_for_url("**/work/")
    claim.refresh_from_db()
    assert claim.state == "waiting"

    # The customer reads what is needed and sends it: the clock runs again.
    page.reload()
    assert "Send oss politianmeldelsen." in page.locator("main").inner_text()
    page.select_option("select[name=document_kind]", "police_report")
    page.set_input_files("input[name=document]", str(police))
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/protection/claims/K*/")
    claim.refresh_from_db()
    assert claim.state == "reported" and claim.documents.count() == 2

    # The handler approves and pays.
    desk.reload()
    desk.select_option("select[name=step]", "approve")
    desk.fill("input[name=amount]", "2450,50")
    desk.locator("input[type=submit][value]").first.click()
    desk.wait_for_url("**/work/")
    desk.select_option("select[name=step]", "pay")
    desk.locator("input[type=submit][value]").first.click()
    desk.wait_for_url("**/work/")
    claim.refresh_from_db()
    assert (claim.state, claim.amount_approved) == ("paid", Decimal("2450.50"))
    assert internal_account(chart.NOK_OUTGOING).balance == Decimal("2450.50")
    desk.screenshot(path=str(tmp_path / "claim-paid-backoffice.png"), full_page=True)
    page.reload()
    assert "2 450,50 kr" in page.locator("main").inner_text().replace("\xa0", " ")
    office.close()
