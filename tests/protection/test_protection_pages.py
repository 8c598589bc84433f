"""Mine sider of the protection service: the registry, the blockings and their reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import csrf_of, portal_login
from trygg.identity.services import pin_credential_set
from trygg.kernel.audit import SYSTEM, AuditContext
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.protection import services
from trygg.protection.dispatch import block_attempt
from trygg.protection.models import Block, Item
from trygg.protection.services import ItemInput, ReportAnswers

pytestmark = pytest.mark.django_db

AGENT = AuditContext(actor_kind="staff", actor_label="sperre1", channel="back-office")


@pytest.fixture
def page(norwegian: Party) -> Client:
    pin_credential_set(ctx=SYSTEM, party=norwegian, pin="8264", must_change=False)
    client = Client(enforce_csrf_checks=True)
    assert portal_login(client, norwegian.id_number, "8264").status_code == 302
    return client


def _post(client: Client, path: str, data: dict[str, str]) -> Any:
    return client.post(path, {**data, "csrfmiddlewaretoken": csrf_of(client)})


def test_register_change_and_remove_on_mine_sider(page: Client, norwegian: Party) -> None:
    shown = page.get("/protection/")
    assert shown.status_code == 200
    assert AuditEvent.objects.filter(
        subject_id=str(norwegian.pk), object_type="protected_items", action="read"
    ).exists()
    added = _post(page, "/protection/", {"kind": "card", "issuer": "dnb", "card_type": "Visa"})
    assert added.status_code == 302
    second = _post(page, "/protection/", {"kind": "card", "issuer": "dnb", "card_type": "MC"})
    assert second.status_code == 422  # KS needed for a second card from DNB
    assert "KS" in second.content.decode()
    item = Item.objects.get(customer=norwegian)
    changed = _post(
        page,
        f"/protection/items/{item.pk}/",
        {"kind": "card", "issuer": "dnb", "card_type": "Visa Gold", "ks": "0042"},
    )
    assert changed.status_code == 302
    item.refresh_from_db()
    assert (item.card_type, item.ks) == ("Visa Gold", "0042")
    assert page.get(f"/protection/items/{item.pk}/remove/").status_code == 405  # no GET
    removed = _post(page, f"/protection/items/{item.pk}/remove/", {})
    assert removed.status_code == 302
    item.refresh_from_db()
    assert item.removed_at is not None


def test_a_card_number_typed_on_the_page_is_refused_and_not_stored(
    page: Client, norwegian: Party
) -> None:
    refused = _post(
        page,
        "/protection/",
        {"kind": "card", "issuer": "dnb", "card_type": "5555 5555 5555 4444"},
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "5555 5555 5555 4444" not in body and "5555555555554444" not in body
    assert not Item.objects.exists()


def test_another_customers_item_is_not_found(page: Client, customer: Any) -> None:
    other = services.item_register(
        ctx=SYSTEM,
        customer=customer.party,
        data=ItemInput(kind="card", issuer="dnb", card_type="V"),
    )
    assert page.get(f"/protection/items/{other.pk}/").status_code == 404
    _post(page, f"/protection/items/{other.pk}/remove/", {})
    other.refresh_from_db()
    assert other.removed_at is None


def test_blockings_with_report_and_lifting_a_phone(
    page: Client, norwegian: Party, agent: Any, issuers: Any, customer: Any
) -> None:
    card = services.item_register(
        ctx=SYSTEM, customer=norwegian, data=ItemInput(kind="card", issuer="dnb", card_type="V")
    )
    phone = services.item_register(
        ctx=SYSTEM,
        customer=norwegian,
        data=ItemInput(kind="phone", issuer="telenor", imei="490154203237518"),
    )
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    outcome = services.call_close(
        ctx=AGENT,
        call_id=call.pk,
        block_item_ids=[card.pk, phone.pk],
        answers=ReportAnswers(replacement_wanted=False),
    )
    for block in outcome.blocks:
        block_attempt(block.pk)
    shown = page.get("/protection/").content.decode()
    assert call.number in shown
    report = page.get(f"/protection/reports/{call.number}/")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    other = Client()
    portal_login(other, customer.id_number, customer.pin)
    assert other.get(f"/protection/reports/{call.number}/").status_code == 404
    card_block = Block.objects.get(item=card)
    phone_block = Block.objects.get(item=phone)
    _post(page, f"/protection/blocks/{card_block.pk}/lift/", {})
    card_block.refresh_from_db()
    assert card_block.state == "confirmed"  # never lifted
    _post(page, f"/protection/blocks/{phone_block.pk}/lift/", {})
    phone_block.refresh_from_db()
    assert phone_block.state == "lifted"
