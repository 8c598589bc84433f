"""The letter outbox: queued to the registered address, handed to the print-and-post service
once (a sender that dies between the hand-over and the record prints nothing twice), followed
by the carrier's tracking number to delivery; and the blocking report as such a letter."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import Client

from tests.conftest import make_customer, portal_login
from trygg.kernel import idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.parties import letters, rules
from trygg.parties.letters import (
    letter_cancel,
    letter_queue,
    letter_send,
    letters_send,
    letters_track,
)
from trygg.parties.models import Address, Letter, LetterEvent, LetterState, Party
from trygg.parties.post import PostUnavailable
from trygg.parties.services import person_register
from trygg.simulators.post import PostServer, make_server

PDF = b"%PDF-1.4\n% a letter\n"


@pytest.fixture
def post(settings: Any) -> Iterator[PostServer]:
    server = make_server(port=0, seed=3)
    server.state.step = 0.0  # the carrier delivers at once
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRYGG_POST = {"url": server.base_url, "key": "test", "timeout": 2}
    yield server
    server.shutdown()
    server.server_close()


def _queue(party: Party, reference: str = "1", **kwargs: Any) -> Letter:
    return letter_queue(
        ctx=SYSTEM,
        party=party,
        purpose="test.letter",
        reference=reference,
        title="A letter",
        document=PDF,
        language="sv",
        **kwargs,
    )


# -- rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("RA473124829GB", True),  # the UPU S10 standard's own example
        ("RR123456785NO", True),
        ("RR123456784NO", False),  # wrong check digit
        ("RR12345678NO", False),
        ("rr123456785NO", False),
        ("RR123456785N0", False),
    ],
)
def test_tracking_numbers_are_s10_item_numbers(number: str, valid: bool) -> None:
    assert rules.is_tracking_number(number) is valid


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("held", "queued", True),
        ("queued", "sending", True),
        ("sending", "queued", True),
        ("sending", "posted", True),
        ("posted", "in_transit", True),
        ("posted", "delivered", True),
        ("in_transit", "returned", True),
        ("queued", "posted", False),  # never posted without the hand-over
        ("posted", "cancelled", False),  # a posted letter cannot be called back
        ("delivered", "in_transit", False),
        ("returned", "queued", False),
        ("cancelled", "queued", False),
    ],
)
def test_letter_states_move_only_as_the_table_says(
    current: str, target: str, allowed: bool
) -> None:
    assert rules.letter_may_move(current, target) is allowed
    assert set(rules.LETTER_TRANSITIONS) == set(rules.LETTER_STATES)


# -- the outbox ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_letter_is_queued_once_to_the_registered_address() -> None:
    customer = make_customer()
    first = _queue(customer.party)
    again = _queue(customer.party)
    assert first.pk == again.pk and Letter.objects.count() == 1
    assert (first.state, first.street, first.postal_code, first.city) == (
        "queued",
        "Storgatan 1",
        "111 22",
        "Stockholm",
    )
    # The address is the one of the day the letter was queued.
    Address.objects.filter(party=customer.party).update(street="Nygatan 9")
    first.refresh_from_db()
    assert first.street == "Storgatan 1"


@pytest.mark.django_db
def test_without_an_address_a_letter_is_held_until_there_is_one(post: PostServer) -> None:
    party = person_register(
        ctx=SYSTEM,
        id_number=idnumbers.generate_norwegian_personal(dt.date(1990, 3, 3), 55),
        given_name="Uten",
        family_name="Adresse",
        preferred_language="nb",
    )
    letter = _queue(party)
    assert letter.state == LetterState.HELD
    assert letters_send() == 0
    Address.objects.create(party=party, street="Storgata 2", postal_code="0155", city="Oslo")
    assert letters_send() == 1
    letter.refresh_from_db()
    assert letter.state == LetterState.POSTED and letter.city == "Oslo"


@pytest.mark.django_db
def test_sending_posts_tracks_and_delivers(post: PostServer) -> None:
    customer = make_customer()
    letter = _queue(customer.party)
    assert letters_send() == 1
    letter.refresh_from_db()
    assert letter.state == LetterState.POSTED
    assert rules.is_tracking_number(letter.tracking_number or "")
    assert letter.carrier.startswith("Posten Norge")
    assert letters_track() == 1
    letter.refresh_from_db()
    assert letter.state == LetterState.DELIVERED
    assert list(LetterEvent.objects.filter(letter=letter).values_list("state", flat=True)) == [
        "in_transit",
        "delivered",
    ]
    assert letters_track() == 0  # delivered letters are no longer followed
    received = httpx.get(f"{post.base_url}/sim/received").json()
    assert [r["tracking_number"] for r in received] == [letter.tracking_number]


@pytest.mark.django_db
def test_a_returned_letter_is_shown_as_returned(post: PostServer) -> None:
    post.state.return_rate = 1.0
    letter = _queue(make_customer().party)
    letters_send()
    letters_track()
    letter.refresh_from_db()
    assert letter.state == LetterState.RETURNED


@pytest.mark.django_db
def test_a_sender_that_dies_after_the_hand_over_prints_nothing_twice(
    post: PostServer, monkeypatch: pytest.MonkeyPatch, frozen: Any
) -> None:
    letter = _queue(make_customer().party)
    original = letters._move

    def dies_on_record(letter_id: int, current: str, target: str, **changes: Any) -> bool:
        if target == LetterState.POSTED:
            raise SystemExit("the sender's process was killed")
        return original(letter_id, current, target, **changes)

    monkeypatch.setattr(letters, "_move", dies_on_record)
    with pytest.raises(SystemExit):
        letter_send(letter.pk)
    monkeypatch.undo()
    letter.refresh_from_db()
    assert letter.state == LetterState.SENDING
    assert letters_send() == 0  # not yet: it may still be in the other sender's hands
    frozen(dt.timedelta(minutes=2))
    assert letters_send() == 1
    letter.refresh_from_db()
    assert letter.state == LetterState.POSTED and letter.attempts == 2
    received = httpx.get(f"{post.base_url}/sim/received").json()
    assert len(received) == 1 and received[0]["attempts"] == 2  # printed once


@pytest.mark.django_db
def test_no_answer_keeps_the_letter_queued(settings: Any) -> None:
    settings.TRYGG_POST = {"url": "http://127.0.0.1:9", "key": "x", "timeout": 0.5}
    letter = _queue(make_customer().party)
    assert letters_send() == 0
    letter.refresh_from_db()
    assert letter.state == LetterState.QUEUED and letter.last_error


@pytest.mark.django_db
def test_a_secret_letter_keeps_no_copy_once_posted(post: PostServer) -> None:
    letter = _queue(make_customer().party, secret=True)
    letters_send()
    letter.refresh_from_db()
    assert letter.state == LetterState.POSTED and letter.document is None


@pytest.mark.django_db
def test_only_a_letter_not_yet_handed_over_can_be_cancelled(post: PostServer) -> None:
    customer = make_customer()
    first, second = _queue(customer.party, "1"), _queue(customer.party, "2")
    assert letter_cancel(ctx=SYSTEM, letter_id=first.pk).state == LetterState.CANCELLED
    letters_send()
    with pytest.raises(ValidationFailed) as refused:
        letter_cancel(ctx=SYSTEM, letter_id=second.pk)
    assert refused.value.code == "letter.not_cancellable"
    assert httpx.get(f"{post.base_url}/sim/received").json().__len__() == 1


def test_the_simulator_refuses_a_letter_without_an_address(post: PostServer) -> None:
    from trygg.parties.post import HttpPostClient, PostRequest

    client = HttpPostClient(url=post.base_url, key="k")
    with pytest.raises(PostUnavailable):
        client.post(PostRequest("k1", "Kari", "", "", "0154", "Oslo", "NO", PDF))
    posted = client.post(PostRequest("k2", "Kari", "", "Gata 1", "0154", "Oslo", "NO", PDF))
    again = client.post(PostRequest("k2", "Kari", "", "Gata 1", "0154", "Oslo", "NO", PDF))
    assert posted == again and rules.is_tracking_number(posted.tracking_number)


# -- the blocking report goes home ---------------------------------------------------------


@pytest.mark.django_db
def test_the_completed_call_sends_its_report_home_and_mine_sider_shows_it(
    post: PostServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.auth import get_user_model

    from trygg.identity.services import pin_credential_set
    from trygg.protection import services
    from trygg.protection.models import Block
    from trygg.protection.report_letters import PURPOSE
    from trygg.protection.services import ItemInput, ReportAnswers

    customer = make_customer()
    agent = get_user_model().objects.create_user("sperre9", password="x" * 20)
    item = services.item_register(
        ctx=SYSTEM,
        customer=customer.party,
        data=ItemInput(kind="card", issuer="dnb", card_type="Visa"),
    )
    call = services.call_open(
        ctx=SYSTEM, agent_id=agent.pk, customer=customer.party, spoke_with="Anna"
    )
    services.call_close(
        ctx=SYSTEM, call_id=call.pk, block_item_ids=[item.pk], answers=ReportAnswers()
    )
    assert not Letter.objects.exists()  # not before every block has its answer
    block = Block.objects.get()
    services.block_take(block.pk)
    services.block_answered(block_id=block.pk, found=True, reference="DNB-1")
    letter = Letter.objects.get(purpose=PURPOSE)
    assert letter.reference == call.number and letter.party == customer.party
    assert bytes(letter.document or b"").startswith(b"%PDF")
    assert (letter.street, letter.city) == ("Storgatan 1", "Stockholm")
    letters_send()
    letter.refresh_from_db()
    pin_credential_set(ctx=SYSTEM, party=customer.party, pin="4826", must_change=False)
    client = Client()
    portal_login(client, customer.id_number, "4826")
    page = client.get("/protection/").content.decode()
    assert letter.tracking_number and letter.tracking_number in page
