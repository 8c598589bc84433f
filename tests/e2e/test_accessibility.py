"""Every page, at 360 px and at desktop width, scanned by axe-core: no serious or critical
finding against WCAG 2.1 AA, and no page wider than a 360 px screen.

The pages are found as the other walks find them (``tests/walk.py``): every portal page of a
seeded demo customer, and every back-office page of that customer's records for a member of
staff who may see them all. With ``TRYGG_SCREENSHOTS`` set to a folder, the main pages are
photographed there at both widths (``tools/screenshots.sh`` makes those of
``docs/screenshots/``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.axe import axe_findings, wider_than_screen
from tests.e2e.conftest import (
    ALL_ROLE_MIGRATIONS,
    STAFF_PASSWORD,
    backoffice_login,
    restore_reference_data,
)
from tests.test_translations import NOT_READ
from tests.walk import Seeded, backoffice_pages, portal_pages, seed_demo_customer
from trygg.identity.models import StaffUser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# The pages photographed for the README, by the name the picture gets.
PORTAL_SHOTS = {
    "/overview/": "overview",
    "/bank/": "accounts",
    "/insurance/": "insurance",
    "/autogiro/": "autogiro",
    "/profile/": "my-details",
}
BACKOFFICE_SHOTS = {
    "/backoffice/": "backoffice-index",
    "/backoffice/claims/claim/": "backoffice-claims",
    "/backoffice/billing/billingrun/dashboard/": "backoffice-billing",
}
# Portal pages that are no page to scan: the log-in forms are scanned logged out, below.
NOT_SCANNED = {"logout": "logs out", "home": "redirects"}


def _shots() -> Path | None:
    folder = os.environ.get("TRYGG_SCREENSHOTS")
    return Path(folder) if folder else None


def _scan(
    page: Any,
    urls: list[str],
    shots: dict[str, str],
    *,
    least: int = 1,
    desktop: bool = True,
) -> dict[str, list[str]]:
    """Scan each page at 360 px and, with ``desktop`` or for a photographed page, at desktop
    width; the findings by page and width."""
    found: dict[str, list[str]] = {}
    folder = _shots()
    scanned = 0
    for url in urls:
        if any(word in url for word in NOT_READ):
            continue
        # Asked first without the browser's navigation: a POST-only address (405), a PDF or a
        # download is no page to scan, and opening one leaves the browser's next navigation
        # abandoned.
        probe = page.request.get(url)
        if probe.status != 200 or "html" not in (probe.headers.get("content-type") or ""):
            continue
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            found[url] = [f"the page could not be opened: {str(error).splitlines()[0]}"]
            continue
        if response is None or response.status != 200:
            found[url] = [f"the page answered {response.status if response else 'nothing'}"]
            continue
        widths = [("360", PHONE)]
        if desktop or url in shots:
            widths.append(("desktop", DESKTOP))
        for name, size in widths:
            page.set_viewport_size(size)
            problems = axe_findings(page)
            wide = wider_than_screen(page) if name == "360" else None
            if wide is not None:
                problems.append(f"the page is wider than a 360 px screen: {', '.join(wide)}")
            if problems:
                found[f"{url} at {name}"] = problems
            if folder is not None and url in shots:
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / f"{shots[url]}-{name}.png"), full_page=True)
        scanned += 1
    assert scanned >= least, f"the walk scanned {scanned} pages, fewer than {least}"
    return found


def _summary(found: dict[str, list[str]]) -> str:
    """Each finding once, with the pages it was found on."""
    pages: dict[str, list[str]] = {}
    for where, problems in found.items():
        for problem in problems:
            pages.setdefault(problem, []).append(where)
    return "\n".join(f"{problem}\n    on {', '.join(on)}" for problem, on in pages.items())


@pytest.fixture
def seeded(frozen: Any) -> Seeded:
    # An earlier browser test's flush removed what the data migrations wrote.
    restore_reference_data(*ALL_ROLE_MIGRATIONS)
    return seed_demo_customer(0)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_portal_page_passes_the_scan(page: Any, seeded: Seeded) -> None:
    page.set_viewport_size(PHONE)
    login_found = _scan(page, ["/login/", "/login/token/", "/login/bankid/"], {"/login/": "login"})
    page.goto("/login/")
    page.get_by_label("Personnummer").fill(seeded.customer.id_number)
    page.get_by_label("PIN-kod").fill(seeded.customer.pin)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/overview/")
    urls = list(portal_pages(seeded, NOT_SCANNED))
    found = {**login_found, **_scan(page, urls, PORTAL_SHOTS, least=20)}
    assert found == {}, _summary(found)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_back_office_page_passes_the_scan(page: Any, seeded: Seeded) -> None:
    user = StaffUser.objects.create_superuser(
        username="granskare", password=STAFF_PASSWORD, email=""
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.set_viewport_size(PHONE)
    login_found = _scan(page, ["/backoffice/login/"], {"/backoffice/login/": "backoffice-login"})
    staff = backoffice_login(page.context, user.username, device)
    urls = list(backoffice_pages(seeded))
    # The back office's pages share Django's admin frame: each is scanned at 360 px (the
    # narrower, where more can go wrong), the photographed ones at desktop width too.
    found = {**login_found, **_scan(staff, urls, BACKOFFICE_SHOTS, least=40, desktop=False)}
    assert found == {}, _summary(found)
