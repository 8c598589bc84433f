"""Mine sider: the customer's agreements with the intermediary's entity and supervisors, the
invoices with KID in NOK, cancelling and moving a due date; another customer's are not theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import confirm_post, csrf_of, portal_login
from trygg.identity.services import pin_credential_set
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.parties.services import ContactInput, person_register
from trygg.protection.messages import MESSAGES
from trygg.protection.models import Invoice
from trygg.protection.subscriptions import agreement_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(norwegian: Party) -> Client:
    pin_credential_set(ctx=SYSTEM, party=norwegian, pin="8264", must_change=False)
    client = Client(enforce_csrf_checks=True)
    assert portal_login(client, norwegian.id_number, "8264").status_code == 302
    return client


def _post(client: Client, path: str, data: dict[str, str]) -> Any:
    return client.post(path, {**data, "csrfmiddlewaretoken": csrf_of(client)}, follow=True)


def test_agreements_show_entity_supervisors_and_invoices_in_nok(
    page: Client, norwegian: Party
) -> None:
    agreement_start(ctx=SYSTEM, customer=norwegian, product_code="kortforsikring")
    shown = page.get("/protection/").content.decode()
    invoice = Invoice.objects.get()
    assert "mySafety Försäkringar AB" in shown
    assert "Finanstilsynet" in shown and "Finansinspektionen" in shown
    assert "Moderna Försäkringar" in shown
    assert invoice.kid in shown and "390,00" in shown
    assert AuditEvent.objects.filter(
        subject_id=str(norwegian.pk), object_type="protection_agreements", action="read"
    ).exists()


def test_cancel_and_move_the_due_date_once(page: Client, norwegian: Party) -> None:
    agreement = agreement_start(ctx=SYSTEM, customer=norwegian, product_code="sperreservice-maned")
    invoice = agreement.invoices.get()
    later = invoice.due_on + dt.timedelta(days=10)
    moved = _post(page, f"/protection/invoices/{invoice.pk}/due-date/", {"due_on": str(later)})
    invoice.refresh_from_db()
    assert (invoice.due_on, invoice.due_moves) == (later, 1)
    assert later.isoformat() in moved.content.decode()
    again = _post(
        page,
        f"/protection/invoices/{invoice.pk}/due-date/",
        {"due_on": str(later + dt.timedelta(days=1))},
    )
    invoice.refresh_from_db()
    assert invoice.due_on == later
    with translation.override(again.wsgi_request.LANGUAGE_CODE):
        refusal = str(MESSAGES["due_on.moves_used"]) % {"moves": 1}
    assert refusal in again.content.decode()
    preview = _post(page, f"/protection/agreements/{agreement.pk}/cancel/", {})
    agreement.refresh_from_db()
    assert agreement.state == "active"  # the preview changes nothing
    assert agreement.first_term_end.isoformat() in preview.content.decode()
    confirm_post(page, f"/protection/agreements/{agreement.pk}/cancel/")
    agreement.refresh_from_db()
    assert (agreement.state, agreement.end_on) == ("notice", agreement.first_term_end)


def test_another_customers_agreement_is_not_found(page: Client) -> None:
    other = person_register(
        ctx=SYSTEM,
        id_number=idnumbers.generate_norwegian_personal(dt.date(1970, 5, 17), 321),
        given_name="Ola",
        family_name="Nordmann",
        contact=ContactInput(street="Storgata 2", postal_code="0155", city="Oslo"),
        preferred_language="nb",
    )
    agreement = agreement_start(ctx=SYSTEM, customer=other, product_code="sperreservice-maned")
    invoice = agreement.invoices.get()
    _post(page, f"/protection/agreements/{agreement.pk}/cancel/", {})
    _post(
        page,
        f"/protection/invoices/{invoice.pk}/due-date/",
        {"due_on": str(clock.today() + dt.timedelta(days=20))},
    )
    agreement.refresh_from_db()
    invoice.refresh_from_db()
    assert (agreement.state, invoice.due_moves) == ("active", 0)
