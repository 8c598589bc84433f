"""The reception desk in a real browser (seed 003): the receptionist finds the desk of
Telegrafgatan from the list of visits, signs a visitor in (the host is told by e-mail), tells the
visitor the host is on the way (an SMS), issues a visitor card, reads the evacuation list of who
is inside now, and hands it over to the rescue service."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core import mail

from tests.e2e.conftest import backoffice_login, restore_reference_data, staff_with_totp
from trygg.contact import services
from trygg.contact.models import OutboxMessage, Site, Visit, VisitRelease
from trygg.identity.models import StaffUser
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM


def _sites() -> Site:
    """The sites of seed 003 as the migration wrote them (an earlier browser test's flush
    removed them)."""
    if not Site.objects.exists():
        importlib.import_module("trygg.contact.migrations.0002_seed_sites_and_roles").seed(
            django_apps, None
        )
    return Site.objects.get(code="telegrafgatan")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_sign_in_the_host_is_told_and_the_evacuation_list(page: Any) -> None:
    restore_reference_data("trygg.contact.migrations.0006_reception_roles")
    site = _sites()
    host = StaffUser.objects.create_user(
        username="hanna.vard",
        email="hanna.vard@example.se",
        first_name="Hanna",
        last_name="Värd",
        is_staff=True,
    )
    device = staff_with_totp("reception", "reception.rita")
    desk = backoffice_login(page.context, "reception.rita", device)

    desk.goto("/backoffice/contact/visit/")
    desk.get_by_role("link", name="Reception, Telegrafgatan 8A, Solna").click()
    desk.wait_for_url(f"**/contact/visit/reception/{site.pk}/")
    assert "Inne nu: 0 besökare" in desk.locator("#evacuation-list").inner_text()

    # A visitor without a host is refused, naming the rule; nothing is written.
    desk.fill("input[name=name]", "Kalle Besök")
    desk.fill("input[name=phone]", "070-123 45 67")
    desk.locator("input[name=sign_in]").click()
    assert "värd" in desk.locator(".errorlist").first.inner_text()
    assert not Visit.objects.exists()

    desk.fill("input[name=company]", "Bygg AB")
    desk.select_option("select[name=host]", str(host.pk))
    desk.locator("input[name=sign_in]").click()
    desk.wait_for_url(f"**/contact/visit/reception/{site.pk}/")
    assert "Inskriven: värden har fått besked." in desk.locator("body").inner_text()
    visit = Visit.objects.get()
    assert visit.site == site and visit.host == host and visit.state == "signed-in"

    # The host is told: the message is in the outbox and goes to the host's e-mail.
    told = OutboxMessage.objects.get(visit=visit, channel="email")
    assert told.recipient == "hanna.vard@example.se"
    services.outbox_send()
    (to_host,) = [m for m in mail.outbox if m.to == ["hanna.vard@example.se"]]
    assert "Kalle Besök (Bygg AB)" in to_host.body and "Telegrafgatan 8A" in to_host.body

    # The host is on the way: the visitor gets an SMS; the button goes.
    row = desk.locator("#evacuation-list tbody tr", has_text="Kalle Besök")
    row.get_by_role("button", name="Värden på väg").click()
    desk.wait_for_url(f"**/contact/visit/reception/{site.pk}/")
    coming = OutboxMessage.objects.get(visit=visit, channel="sms")
    assert coming.recipient == "+46701234567" and "Hanna Värd" in coming.body
    assert row.get_by_role("button", name="Värden på väg").count() == 0

    # A visitor card.
    row.locator("input[name=card]").fill("B-17")
    row.get_by_role("button", name="Lämna ut").click()
    desk.wait_for_url(f"**/contact/visit/reception/{site.pk}/")
    visit.refresh_from_db()
    assert visit.card == "B-17"

    # A second visitor, who leaves: the evacuation list holds who is inside now.
    desk.fill("input[name=name]", "Erik Elektriker")
    desk.fill("input[name=phone]", "070-765 43 21")
    desk.select_option("select[name=host]", str(host.pk))
    desk.locator("input[name=sign_in]").click()
    desk.wait_for_url(f"**/contact/visit/reception/{site.pk}/")
    inside = desk.locator("#evacuation-list")
    assert "Inne nu: 2 besökare" in inside.inner_text()
    inside.locator("tbody tr", has_text="Erik Elektriker").get_by_role(
        "button", name="Skriv ut"
    ).click()
    desk.wait_for_url(f"**/contact/visit/reception/{site.pk}/")
    listed = desk.locator("#evacuation-list").inner_text()
    assert "Inne nu: 1 besökare" in listed
    assert "Kalle Besök" in listed and "B-17" in listed and "Erik Elektriker" not in listed

    # The card system reports Kalle's card through the entrance and out again: he is no longer
    # on the evacuation list, and the desk sees him gone without signing out.
    for direction in ("in", "out"):
        services.door_passage_record(
            ctx=SYSTEM,
            site_id=site.pk,
            card="B-17",
            door="Entré",
            direction=direction,
            passed_at=clock.now() + dt.timedelta(seconds=1 if direction == "out" else 0),
        )
    desk.set_viewport_size({"width": 360, "height": 800})
    desk.reload()
    assert "Inne nu: 0 besökare" in desk.locator("#evacuation-list").inner_text()
    gone = desk.locator("#left-by-card")
    assert "Gått ut genom en dörr utan att skrivas ut" in gone.inner_text()
    assert "Kalle Besök" in gone.inner_text() and "Entré" in gone.inner_text()
    desk.screenshot(path="var/e2e-reception-gone-by-card-360.png", full_page=True)
    services.door_passage_record(
        ctx=SYSTEM,
        site_id=site.pk,
        card="B-17",
        door="Entré",
        direction="in",
        passed_at=clock.now() + dt.timedelta(seconds=2),
    )
    desk.set_viewport_size({"width": 1280, "height": 800})
    desk.reload()

    # The fire alarm: the evacuation list goes to the rescue service, recorded.
    desk.get_by_role("link", name="Lämna ut utrymningslistan till räddningstjänsten").click()
    desk.select_option("select[name=recipient]", "rescue-service")
    desk.fill("textarea[name=handed_over]", "Utrymningslistan vid brandlarmet 10.02.")
    desk.locator("input[type=submit]").last.click()
    desk.wait_for_url(f"**/contact/visit/reception/{site.pk}/")
    assert "Utlämnandet är registrerat." in desk.locator("body").inner_text()
    release = VisitRelease.objects.get()
    assert release.recipient == "rescue-service" and release.released_by.username == (
        "reception.rita"
    )
    assert list(release.visits.values_list("visit_id", flat=True)) == [visit.pk]
