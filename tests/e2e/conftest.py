"""Browser tests drive Debian's chromium through Playwright (no browser download)."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.identity.models import StaffUser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture
def page(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("TRYGG_REQUIRE_BROWSER"):
            pytest.fail("chromium is required for the browser tests (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # happen in the server's own thread, the test's setup calls before the loop starts.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


STAFF_PASSWORD = "correct horse 2026"


# Every data migration that grants roles their permissions through a ``PERMS`` table.
ALL_ROLE_MIGRATIONS = (
    "trygg.banking.migrations.0006_bank_roles",
    "trygg.billing.migrations.0002_terms_and_roles",
    "trygg.claims.migrations.0002_claims_roles",
    "trygg.contact.migrations.0002_seed_sites_and_roles",
    "trygg.contact.migrations.0004_survey_roles",
    "trygg.contact.migrations.0006_reception_roles",
    "trygg.contact.migrations.0008_camera_and_ticket_roles",
    "trygg.contact.migrations.0009_survey_by_call",
    "trygg.insurance.migrations.0003_insurance_roles",
    "trygg.privacy.migrations.0002_privacy_roles",
    "trygg.privacy.migrations.0005_subject_request_roles",
    "trygg.protection.migrations.0003_blocking_roles",
    "trygg.protection.migrations.0007_agreement_and_key_tag_roles",
    "trygg.protection.migrations.0010_protection_claims_roles",
)


def restore_reference_data(*role_migrations: str) -> None:
    """The product, its tariff and the roles' permissions come from data migrations; an earlier
    browser test's flush removed them, so they are put back the way the migrations wrote them.
    ``role_migrations`` name the migrations whose ``PERMS`` grant the roles needed."""
    product = importlib.import_module("trygg.insurance.migrations.0002_accident_product")
    product.forward(django_apps, None)
    # The protection service's issuers, legal entities and products (update_or_create).
    for module in (
        "trygg.protection.migrations.0002_issuer_directory",
        "trygg.protection.migrations.0005_entities_and_products",
    ):
        importlib.import_module(module).load(django_apps, None)
    from trygg.contact.models import Site

    if not Site.objects.exists():
        importlib.import_module("trygg.contact.migrations.0002_seed_sites_and_roles").seed(
            django_apps, None
        )
    staff_roles = importlib.import_module("trygg.identity.migrations.0002_staff_roles").ROLES
    for role, perms in staff_roles.items():
        group, _created = Group.objects.get_or_create(name=role)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    for module in role_migrations:
        grants = importlib.import_module(module).PERMS
        app_label = module.split(".")[1]
        for role, codenames in grants.items():
            group, _created = Group.objects.get_or_create(name=role)
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def staff_with_totp(role: str, username: str) -> TOTPDevice:
    """A member of staff in ``role`` with a confirmed TOTP device."""
    user = StaffUser.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def backoffice_login(browser_context: Any, username: str, device: TOTPDevice) -> Any:
    """A new page of ``browser_context`` logged in to the back office with password and TOTP."""
    page = browser_context.new_page()
    page.goto("/backoffice/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", STAFF_PASSWORD)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name=otp_token]", f"{totp.token():06d}")
    page.locator("input[type=submit]").first.click()
    page.wait_for_url("**/backoffice/")
    return page
