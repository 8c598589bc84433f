"""A copy of one's data in a real browser: the customer asks for it on My pages, the privacy
officer answers it from the queue in the back office, the customer downloads it as JSON and
PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_customer
from tests.e2e.conftest import backoffice_login, restore_reference_data, staff_with_totp
from trygg.privacy.models import SubjectRequest


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_customer_asks_staff_answer_the_customer_downloads(page: Any, live_server: Any) -> None:
    restore_reference_data("trygg.privacy.migrations.0005_subject_request_roles")
    customer = make_customer(given="Sara", family="Holm", pin="5173")

    page.goto("/login/")
    page.fill("input[name=id_number]", customer.id_number)
    page.fill("input[name=pin]", customer.pin)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/overview/")
    page.goto("/my-data/")
    page.select_option("select[name=kind]", "access")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/my-data/")
    assert "Din begäran är registrerad" in page.locator("body").inner_text()
    asked = SubjectRequest.objects.get(party=customer.party)
    assert asked.state == "verified"

    device = staff_with_totp("privacy_officer", "dso")
    # The officer works in a browser of their own: one browser holds one identity.
    office = page.context.browser.new_context(base_url=live_server.url, locale="sv-SE")
    desk = backoffice_login(office, "dso", device)
    desk.goto("/backoffice/privacy/subjectrequest/?due=open")
    desk.locator(f"a[href*='/privacy/subjectrequest/{asked.pk}/change/']").first.click()
    desk.locator(f"a[href*='/privacy/subjectrequest/{asked.pk}/complete/']").click()
    desk.fill("textarea[name=answer]", "Här är dina uppgifter.")
    desk.locator("input[type=submit]").last.click()
    desk.wait_for_url(f"**/privacy/subjectrequest/{asked.pk}/change/")
    asked.refresh_from_db()
    assert asked.state == "completed" and asked.export is not None
    office.close()

    page.goto("/my-data/")
    assert "Här är dina uppgifter." in page.locator("main").inner_text()
    with page.expect_download() as got:
        page.get_by_role("link", name="Ladda ned (JSON)").click()
    document = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    assert document["party_id"] == customer.party.pk
    sections = {s["model"] for s in document["data"]}
    assert {"parties.Party", "parties.Address", "identity.LoginEvent"} <= sections
    with page.expect_download() as got:
        page.get_by_role("link", name="Ladda ned (PDF)").click()
    assert Path(got.value.path()).read_bytes().startswith(b"%PDF")
