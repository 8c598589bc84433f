"""The agent's whole blocking call in the back office."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.backoffice.test_backoffice import _login, _staff
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.protection import services
from trygg.protection.dispatch import block_attempt
from trygg.protection.models import Block, BlockingCall, Callback, Item
from trygg.protection.services import ItemInput

from .conftest import configure

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db: Any) -> Client:
    user, device = _staff("blocking_agent", "sperre.agent")
    client = Client()
    assert _login(client, user, device).status_code == 302
    return client


def test_the_agent_blocks_a_wallet_in_one_call(
    desk: Client, norwegian: Party, issuers: Any
) -> None:
    dnb = services.item_register(
        ctx=SYSTEM, customer=norwegian, data=ItemInput(kind="card", issuer="dnb", card_type="Visa")
    )
    phone = services.item_register(
        ctx=SYSTEM,
        customer=norwegian,
        data=ItemInput(kind="phone", issuer="telenor", imei="490154203237518"),
    )
    # Find the customer by fødselsnummer, written with a space.
    number = norwegian.id_number
    page = desk.post(
        "/backoffice/protection/blockingcall/start/",
        {"customer": f"{number[:6]} {number[6:]}", "spoke_with": "Kari Nordmann"},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    call = BlockingCall.objects.get()
    work = page["Location"]
    shown = desk.get(work).content.decode()
    assert "Telenor" in shown and "DNB" in shown
    # A lost passport that was never registered is registered on the spot.
    added = desk.post(
        f"/backoffice/protection/blockingcall/{call.pk}/item/",
        {"kind": "document", "issuer": "politiet", "document_kind": "passport"},
    )
    assert added.status_code == 302
    passport = Item.objects.get(customer=norwegian, kind="document")
    assert passport.source == "call"
    # Every item must be confirmed: leaving one out is refused and nothing is blocked.
    refused = desk.post(work, {f"item_{dnb.pk}": "block", "replacement_wanted": "yes"})
    assert refused.status_code == 200
    assert "Bekräfta den här saken" in refused.content.decode()
    assert not Block.objects.exists()
    # A card number typed into the report is refused, and not stored.
    refused = desk.post(
        work,
        {
            f"item_{dnb.pk}": "block",
            f"item_{phone.pk}": "keep",
            f"item_{passport.pk}": "block",
            "how_lost": "4111 1111 1111 1111",
        },
    )
    assert refused.status_code == 200 and not Block.objects.exists()
    assert "4111 1111 1111 1111" not in refused.content.decode()
    closed = desk.post(
        work,
        {
            f"item_{dnb.pk}": "block",
            f"item_{phone.pk}": "keep",
            f"item_{passport.pk}": "block",
            "how_lost": "Stjålet på trikken",
            "place": "Oslo",
            "country": "no",
            "police_report": "yes",
            "replacement_wanted": "yes",
        },
    )
    assert closed.status_code == 302
    advice = desk.get(closed["Location"]).content.decode()
    assert "DNB" in advice  # a new card ordered from DNB
    for block in Block.objects.all():
        block_attempt(block.pk)
    assert sorted(Block.objects.values_list("item__kind", "state")) == [
        ("card", "confirmed"),
        ("document", "confirmed"),
    ]
    call.refresh_from_db()
    assert call.state == "completed" and call.country == "NO" and call.police_report is True
    assert AuditEvent.objects.filter(
        subject_id=str(norwegian.pk), action="read", object_type="protected_items"
    ).exists()
    report = desk.get(f"/backoffice/protection/blockingcall/{call.pk}/report/")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    listing = desk.get("/backoffice/protection/blockingcall/").content.decode()
    assert call.number in listing


def test_not_found_lands_in_the_callback_queue_and_is_sent_again(
    desk: Client, norwegian: Party, issuers: Any
) -> None:
    configure(issuers, {"politiet": {"not_found": ["passport"]}})
    passport = services.item_register(
        ctx=SYSTEM,
        customer=norwegian,
        data=ItemInput(kind="document", issuer="politiet", document_kind="passport"),
    )
    page = desk.post(
        "/backoffice/protection/blockingcall/start/",
        {"customer": norwegian.customer_number, "spoke_with": "Kari"},
    )
    call = BlockingCall.objects.get()
    desk.post(page["Location"], {f"item_{passport.pk}": "block"})
    block = Block.objects.get()
    block_attempt(block.pk)
    callback = Callback.objects.get()
    queue = desk.get("/backoffice/protection/callback/").content.decode()
    assert "Politiet" in queue
    configure(issuers, {"politiet": {"not_found": []}})
    done = desk.post(
        f"/backoffice/protection/callback/{callback.pk}/done/",
        {"outcome": "Passet er utstedt i Sverige; registrert på nytt", "send_again": "on"},
    )
    assert done.status_code == 302
    block.refresh_from_db()
    assert block.state == "requested"
    block_attempt(block.pk)
    block.refresh_from_db()
    assert block.state == "confirmed"
    call.refresh_from_db()
    assert call.state == "completed"


def test_an_agent_without_the_role_cannot_take_calls(norwegian: Party) -> None:
    user, device = _staff("underwriter", "uw.someone")
    client = Client()
    _login(client, user, device)
    page = client.post(
        "/backoffice/protection/blockingcall/start/",
        {"customer": norwegian.customer_number, "spoke_with": "x"},
    )
    assert page.status_code == 403
    assert not BlockingCall.objects.exists()


def _line(n: int, **fields: str) -> dict[str, str]:
    return {f"form-{n}-{key}": value for key, value in fields.items()}


def test_a_returned_registration_form_is_entered_whole_or_not_at_all(
    desk: Client, norwegian: Party
) -> None:
    management = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "0"}
    lines = {
        **_line(0, kind="card", issuer="dnb", card_type="Visa"),
        **_line(1, kind="card", issuer="dnb", card_type="Mastercard"),  # KS missing
        **_line(2, kind="phone", issuer="telenor", imei="490154203237518"),
    }
    refused = desk.post(
        "/backoffice/protection/item/paper/",
        {"customer": norwegian.customer_number, **management, **lines},
    )
    assert refused.status_code == 200
    assert "KS" in refused.content.decode()
    assert not Item.objects.exists()
    lines.update(_line(1, kind="card", issuer="dnb", card_type="Mastercard", ks="8820"))
    done = desk.post(
        "/backoffice/protection/item/paper/",
        {"customer": norwegian.customer_number, **management, **lines},
    )
    assert done.status_code == 302
    assert sorted(Item.objects.values_list("kind", "source")) == [
        ("card", "paper"),
        ("card", "paper"),
        ("phone", "paper"),
    ]
    form = desk.get("/backoffice/protection/item/form.pdf?language=sv")
    assert form.status_code == 200 and form.content.startswith(b"%PDF")


def test_anyone_downloads_the_registration_form() -> None:
    form = Client().get("/protection/form/")
    assert form.status_code == 200 and form.content.startswith(b"%PDF")
