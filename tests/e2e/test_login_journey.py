"""A customer logs in with PIN, sees the overview, and logs out, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_customer


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_pin_login_overview_logout(page: Any, sole_trader: Any) -> None:
    owner, _firm = sole_trader
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_label("Personnummer").fill(owner.id_number)
    page.get_by_label("PIN-kod").fill(owner.pin)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/overview/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Jörgen Ek")
    assert page.get_by_role("heading", name="Eks Snickeri").first.is_visible()
    assert page.get_by_role("cell", name="Inloggad").first.is_visible()
    page.screenshot(path="var/e2e-overview.png", full_page=True)
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login/")
    assert page.get_by_role("status").inner_text().startswith("Du är utloggad")
    page.goto("/overview/")
    page.wait_for_url("**/login/**")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_wrong_pin_shows_the_error_on_the_form_keyboard_only(page: Any) -> None:
    person = make_customer(pin="4826")
    page.goto("/login/")
    page.keyboard.type(person.id_number)  # the number field has focus on arrival
    page.keyboard.press("Tab")
    page.keyboard.type("9999")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    assert "fel" in alert.inner_text().lower()
