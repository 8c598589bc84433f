"""The blocking line in a real browser: the agent finds the customer by fødselsnummer, goes
through every registered item, registers a lost passport on the spot, answers the report's
questions and closes the call; the blocks reach the issuers; the customer reads the report and
lifts the phone block on Mine sider."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from tests.e2e.conftest import backoffice_login, restore_reference_data, staff_with_totp
from trygg.identity.services import pin_credential_set
from trygg.kernel import idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.parties.services import ContactInput, person_register
from trygg.protection import services
from trygg.protection.dispatch import block_attempt
from trygg.protection.models import Block, BlockingCall
from trygg.protection.services import ItemInput
from trygg.simulators.issuers import make_server


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_agent_blocks_a_lost_wallet_and_the_customer_reads_the_report(page: Any) -> None:
    restore_reference_data("trygg.protection.migrations.0003_blocking_roles")
    importlib.import_module("trygg.protection.migrations.0002_issuer_directory").load(
        django_apps, None
    )
    simulator = make_server(port=0)
    threading.Thread(target=simulator.serve_forever, daemon=True).start()
    saved = settings.TRYGG_ISSUERS
    settings.TRYGG_ISSUERS = {"simulator": {"url": simulator.base_url, "key": "t", "timeout": 5}}
    try:
        number = idnumbers.generate_norwegian_personal(dt.date(1984, 2, 29), 123)
        kari = person_register(
            ctx=SYSTEM,
            id_number=number,
            given_name="Kari",
            family_name="Nordmann",
            preferred_language="nb",
            contact=ContactInput(street="Karl Johans gate 1", postal_code="0154", city="Oslo"),
        )
        pin_credential_set(ctx=SYSTEM, party=kari, pin="8264", must_change=False)
        visa = services.item_register(
            ctx=SYSTEM, customer=kari, data=ItemInput(kind="card", issuer="dnb", card_type="Visa")
        )
        phone = services.item_register(
            ctx=SYSTEM,
            customer=kari,
            data=ItemInput(kind="phone", issuer="telenor", imei="490154203237518"),
        )
        device = staff_with_totp("blocking_agent", "sperrevakt")
        desk = backoffice_login(page.context, "sperrevakt", device)

        desk.goto("/backoffice/protection/blockingcall/start/")
        desk.fill("input[name=customer]", f"{number[:6]} {number[6:]}")
        desk.fill("input[name=spoke_with]", "Kari Nordmann")
        desk.locator("input[type=submit]").first.click()
        desk.wait_for_url("**/work/")
        # The passport was never registered: the agent registers it on the spot.
        desk.select_option("select[name=kind]", "document")
        desk.select_option("select[name=issuer]", "politiet")
        desk.select_option("select[name=document_kind]", "passport")
        desk.locator("form[action$='/item/'] input[type=submit]").click()
        desk.wait_for_url("**/work/")
        passport = kari.protected_items.get(kind="document")
        desk.check(f"input[name=item_{visa.pk}][value=block]")
        desk.check(f"input[name=item_{phone.pk}][value=block]")
        desk.check(f"input[name=item_{passport.pk}][value=block]")
        desk.fill("textarea[name=how_lost]", "Stjålet på trikken")
        desk.fill("input[name=place]", "Oslo")
        desk.fill("input[name=country]", "NO")
        desk.select_option("select[name=police_report]", "yes")
        desk.select_option("select[name=replacement_wanted]", "yes")
        desk.keyboard.press("Tab")
        desk.locator("input[type=submit][form=close-call]").click()
        desk.wait_for_url("**/closed/")
        assert "DNB" in desk.locator("#content").inner_text()

        # The worker sends each block to its issuer.
        for block in Block.objects.all():
            block_attempt(block.pk)
        call = BlockingCall.objects.get()
        assert call.state == "completed"
        assert set(Block.objects.values_list("state", flat=True)) == {"confirmed"}

        page.goto("/login/")
        page.fill("input[name=id_number]", number)
        page.fill("input[name=pin]", "8264")
        page.locator("main button[type=submit]").first.click()
        page.wait_for_url("**/overview/")
        page.goto("/protection/")
        assert call.number in page.locator("main").inner_text()
        with page.expect_response(f"**/protection/reports/{call.number}/") as report:
            page.evaluate(f"fetch('/protection/reports/{call.number}/')")
        assert report.value.headers["content-type"] == "application/pdf"
        page.locator(
            f"form[action$='/blocks/{Block.objects.get(item=phone).pk}/lift/'] button"
        ).click()
        page.wait_for_url("**/protection/")
        assert Block.objects.get(item=phone).state == "lifted"
        assert Block.objects.get(item=visa).state == "confirmed"
    finally:
        settings.TRYGG_ISSUERS = saved
        simulator.shutdown()
        simulator.server_close()
