"""The accident insurance in a real browser: quote → apply with the health declaration → sign
with the token → an underwriter accepts in the back office → the policy letter downloads → the
customer reports an accident → a claims handler decides the benefit → the customer sees it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_customer
from tests.e2e.conftest import backoffice_login, restore_reference_data, staff_with_totp
from trygg.claims.models import Claim
from trygg.identity.models import SecurityToken, TokenKind
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.insurance.models import Application
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_quote_apply_sign_accept_letter_claim_decide(page: Any) -> None:
    restore_reference_data(
        "trygg.insurance.migrations.0003_insurance_roles",
        "trygg.claims.migrations.0002_claims_roles",
    )
    person = make_customer(pin="4826")
    token = token_order(ctx=SYSTEM, party=person.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    underwriter = staff_with_totp("underwriter", "riskbedomare")
    handler = staff_with_totp("claims_handler", "skadereglerare")
    start = clock.today() + dt.timedelta(days=1)

    # A quote, before logging in.
    page.goto("/insurance/quote/")
    page.get_by_label("Den försäkrades personnummer eller födelsedatum").fill(person.id_number)
    page.get_by_label("Försäkringsbelopp").select_option("30")
    page.get_by_role("button", name="Beräkna").click()
    assert "1\xa0322,00\xa0kr" in page.locator("#quote-result").inner_text()

    page.goto("/login/")
    page.get_by_label("Personnummer").fill(person.id_number)
    page.get_by_label("PIN-kod").fill("4826")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/overview/")

    # The application with the health declaration; one yes goes to an underwriter.
    page.goto("/insurance/apply/?level=30&period=monthly")
    page.get_by_label("Startdag").fill(start.isoformat())
    page.get_by_label("Ska försäkringen ersätta en annan försäkring?").select_option("no")
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        questions.nth(index).get_by_label("Nej").check()
    back = page.locator("fieldset.question").filter(has_text="rygg")
    back.get_by_label("Ja").check()
    page.locator("textarea[name='health.back_joints.detail']").fill("Ryggskott 2024, läkt")
    page.get_by_label("Jag har läst hur mina personuppgifter behandlas.").check()
    page.get_by_role("button", name="Fortsätt till signering").click()
    page.wait_for_url("**/bank/sign/**")
    assert "1\xa0322,00\xa0kr" in page.locator("#signed-text").inner_text()
    challenge = page.locator("#challenge").inner_text().strip()
    code = token_expected_response(SecurityToken.objects.get(pk=token.pk), challenge)
    page.get_by_label("Svar från säkerhetsdosan").fill(code)
    page.get_by_role("button", name="Signera och skicka ansökan").click()
    page.wait_for_url("**/insurance/")
    application = Application.objects.get()
    assert application.state == "referred"

    # The underwriter accepts with an exclusion clause.
    base_url = page.url.split("/bank")[0].split("/insurance")[0]
    office = page.context.browser.new_context(base_url=base_url, locale="sv-SE")
    uw = backoffice_login(office, "riskbedomare", underwriter)
    uw.goto(f"/backoffice/insurance/application/{application.pk}/decide/")
    uw.get_by_label("Bevilja med undantagsklausul").check()
    uw.locator("textarea[name=text]").fill("Besvär från ryggen omfattas inte.")
    uw.locator("input[type=submit]").click()
    # What the decision will do is shown first; it is made when confirmed.
    assert "undantaget som står ovan" in uw.locator(".confirmation").inner_text()
    uw.get_by_label("Jag har kontrollerat uppgifterna ovan och bekräftar dem.").check()
    uw.get_by_role("button", name="Bekräfta beslutet").click()
    uw.wait_for_url(f"**/insurance/application/{application.pk}/change/")
    office.close()

    # The customer sees the policy and downloads the policy letter.
    page.goto("/insurance/")
    application.refresh_from_db()
    policy = application.policy
    assert policy is not None
    assert policy.number in page.get_by_role("table").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned (PDF)").first.click()
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:4] == b"%PDF"

    # Ten days into the cover an accident is reported, and a claims handler decides it.
    with clock.business_date(start + dt.timedelta(days=10)):
        page.goto("/insurance/claims/")
        page.get_by_label("Datum för olycksfallet").fill((start + dt.timedelta(days=3)).isoformat())
        page.get_by_label("Vad hände och vilka skador uppstod?").fill("Föll av cykeln.")
        page.get_by_label(
            "... eller till ett konto i en annan bank (clearing- och kontonummer)"
        ).fill("6000-123456789")
        page.get_by_role("button", name="Anmäl").click()
        page.wait_for_url("**/insurance/claims/")
        claim = Claim.objects.get()
        office = page.context.browser.new_context(base_url=base_url, locale="sv-SE")
        desk = backoffice_login(office, "skadereglerare", handler)
        desk.goto(f"/backoffice/claims/claim/{claim.pk}/decide/")
        desk.fill("input[name=medical_degree]", "5")
        desk.fill("input[name=hospital_nights]", "2")
        desk.get_by_role("button", name="Beräkna").click()
        assert "Medicinsk invaliditet" in desk.content()
        desk.get_by_role("button", name="Besluta").click()
        desk.get_by_label("Jag har kontrollerat uppgifterna ovan och bekräftar dem.").check()
        desk.get_by_role("button", name="Bekräfta beslutet").click()
        desk.wait_for_url(f"**/claims/claim/{claim.pk}/change/")
        office.close()
        page.goto("/insurance/claims/")
        # 5 % × 30 × 59 200 + 500 acute care + 2 × 200 hospital
        assert "89\xa0700,00\xa0kr" in page.get_by_role("table").inner_text()
        with page.expect_download() as decision:
            page.get_by_role("link", name="Beslutsbrev (PDF)").click()
        decision_path = decision.value.path()
        assert decision_path is not None and Path(decision_path).read_bytes()[:4] == b"%PDF"
    page.screenshot(path="var/e2e-insurance.png", full_page=True)
