"""The registry and the blocking call through the issuer simulator, on the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from trygg.kernel.audit import SYSTEM, AuditContext
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.protection import rules, services
from trygg.protection.dispatch import block_attempt
from trygg.protection.models import Block, BlockingCall, Callback, Item
from trygg.protection.report_letters import report_letter
from trygg.protection.services import ItemInput, ReportAnswers

from .conftest import configure

pytestmark = pytest.mark.django_db

AGENT = AuditContext(actor_kind="staff", actor_id="1", actor_label="sperre1", channel="back-office")
CARD = "4111 1111 1111 1111"


def card(issuer: str = "dnb", ks: str = "", card_type: str = "Visa") -> ItemInput:
    return ItemInput(kind="card", issuer=issuer, card_type=card_type, ks=ks)


def test_one_card_needs_no_ks_a_second_from_the_same_issuer_does(norwegian: Party) -> None:
    services.item_register(ctx=SYSTEM, customer=norwegian, data=card())
    with pytest.raises(ValidationFailed) as refused:
        services.item_register(ctx=SYSTEM, customer=norwegian, data=card(card_type="Mastercard"))
    assert refused.value.field == "ks" and refused.value.code == "ks.required"
    services.item_register(
        ctx=SYSTEM, customer=norwegian, data=card(card_type="Mastercard", ks="0042")
    )
    # A card from another issuer is the first from that issuer: no KS needed.
    services.item_register(ctx=SYSTEM, customer=norwegian, data=card(issuer="nordea-no"))
    assert Item.objects.filter(customer=norwegian).count() == 3


def test_a_full_card_number_is_refused_and_stored_nowhere(norwegian: Party) -> None:
    for data in (
        card(card_type=CARD),
        ItemInput(kind="card", issuer="dnb", card_type="Visa", note=f"nr {CARD}"),
        card(ks=CARD),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.item_register(ctx=SYSTEM, customer=norwegian, data=data)
        assert refused.value.code == "card_number.refused"
        assert "1111" not in refused.value.message
    assert not Item.objects.exists()
    digits = CARD.replace(" ", "")
    for event in AuditEvent.objects.all():
        assert digits not in str(event.detail) and CARD not in str(event.detail)


def test_a_phone_by_imei_and_documents_by_their_issuer(norwegian: Party) -> None:
    phone = services.item_register(
        ctx=SYSTEM,
        customer=norwegian,
        data=ItemInput(kind="phone", issuer="telenor", imei="49-015420-323751-8"),
    )
    assert phone.imei == "490154203237518"
    with pytest.raises(ValidationFailed) as twice:
        services.item_register(
            ctx=SYSTEM,
            customer=norwegian,
            data=ItemInput(kind="phone", issuer="telenor", imei="490154203237518"),
        )
    assert twice.value.code == "imei.registered"
    with pytest.raises(ValidationFailed) as wrong:
        services.item_register(
            ctx=SYSTEM,
            customer=norwegian,
            data=ItemInput(kind="phone", issuer="telenor", imei="490154203237517"),
        )
    assert (wrong.value.field, wrong.value.code) == ("imei", "imei.checksum")
    services.item_register(
        ctx=SYSTEM,
        customer=norwegian,
        data=ItemInput(kind="document", issuer="statens-vegvesen", document_kind="driving_licence"),
    )
    with pytest.raises(ValidationFailed) as misfit:
        services.item_register(
            ctx=SYSTEM,
            customer=norwegian,
            data=ItemInput(kind="document", issuer="statens-vegvesen", document_kind="passport"),
        )
    assert misfit.value.field == "issuer"
    with pytest.raises(ValidationFailed) as unknown:
        services.item_register(ctx=SYSTEM, customer=norwegian, data=card(issuer="no-such-bank"))
    assert (unknown.value.field, unknown.value.code) == ("issuer", "issuer.unknown")
    assert Item.objects.filter(customer=norwegian).count() == 2


def test_another_customers_item_cannot_be_changed_or_blocked(
    norwegian: Party, customer: Any, agent: Any
) -> None:
    item = services.item_register(ctx=SYSTEM, customer=norwegian, data=card())
    with pytest.raises(NotFound):
        services.item_change(ctx=SYSTEM, customer=customer.party, item_id=item.pk, data=card())
    with pytest.raises(NotFound):
        services.item_remove(ctx=SYSTEM, customer=customer.party, item_id=item.pk)
    call = services.call_open(
        ctx=AGENT, agent_id=agent.pk, customer=customer.party, spoke_with="Anna Berg"
    )
    with pytest.raises(NotFound):
        services.call_close(
            ctx=AGENT, call_id=call.pk, block_item_ids=[item.pk], answers=ReportAnswers()
        )
    assert not Block.objects.exists()
    assert BlockingCall.objects.get(pk=call.pk).state == "open"


def _wallet(customer: Party) -> list[Item]:
    return [
        services.item_register(ctx=SYSTEM, customer=customer, data=card()),
        services.item_register(ctx=SYSTEM, customer=customer, data=card(ks="1234", card_type="MC")),
        services.item_register(ctx=SYSTEM, customer=customer, data=card(issuer="amex-no")),
        services.item_register(
            ctx=SYSTEM,
            customer=customer,
            data=ItemInput(kind="phone", issuer="telenor", imei="490154203237518"),
        ),
        services.item_register(
            ctx=SYSTEM,
            customer=customer,
            data=ItemInput(kind="document", issuer="politiet", document_kind="passport"),
        ),
    ]


ANSWERS = ReportAnswers(
    how_lost="Lommeboka ble stjålet på trikken",
    how_kept="I jakkelomma",
    discovered_at=dt.datetime(2026, 12, 6, 18, 30, tzinfo=dt.UTC),
    last_seen_at=dt.datetime(2026, 12, 6, 17, 0, tzinfo=dt.UTC),
    place="Oslo",
    country="NO",
    police_report=True,
    id_data_lost=True,
    code_written_down=False,
    replacement_wanted=True,
)


def test_the_whole_call_blocks_every_chosen_item_once(
    norwegian: Party, agent: Any, issuers: Any
) -> None:
    items = _wallet(norwegian)
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    chosen = [items[0].pk, items[2].pk, items[3].pk, items[4].pk]  # the MC card was not lost
    outcome = services.call_close(
        ctx=AGENT, call_id=call.pk, block_item_ids=chosen, answers=ANSWERS
    )
    assert outcome.advice.replacement_ordered == ("dnb",)
    assert outcome.advice.contact_yourself == ("amex-no",)
    for block in outcome.blocks:
        assert block_attempt(block.pk) is not None
        assert block_attempt(block.pk) is None  # answered: nothing more to do
    states = set(Block.objects.filter(call=call).values_list("state", flat=True))
    assert states == {"confirmed"}
    call.refresh_from_db()
    assert call.state == "completed" and call.completed_at is not None
    received = httpx.get(f"{issuers.base_url}/sim/received").json()
    assert sorted(r["issuer"] for r in received) == ["amex-no", "dnb", "politiet", "telenor"]
    dnb = next(r for r in received if r["issuer"] == "dnb")
    assert dnb["attempts"] == 1
    assert Block.objects.get(call=call, issuer_id=items[0].issuer_id).replacement_ordered


def test_not_found_at_the_issuer_raises_a_callback_at_once(
    norwegian: Party, agent: Any, issuers: Any
) -> None:
    items = _wallet(norwegian)
    configure(issuers, {"politiet": {"not_found": ["passport"]}})
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    outcome = services.call_close(
        ctx=AGENT, call_id=call.pk, block_item_ids=[items[4].pk, items[0].pk], answers=ANSWERS
    )
    for block in outcome.blocks:
        block_attempt(block.pk)
    passport = Block.objects.get(call=call, item=items[4])
    assert passport.state == "not_found"
    callback = Callback.objects.get(block=passport)
    assert callback.done_at is None
    call.refresh_from_db()
    assert call.state == "completed"  # every block has its answer; one needs the callback


def test_an_issuer_that_does_not_answer_is_tried_again_then_given_up(
    norwegian: Party, agent: Any, issuers: Any, settings: Any
) -> None:
    items = _wallet(norwegian)
    configure(issuers, {"dnb": {"failure_rate": 1}})
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    outcome = services.call_close(
        ctx=AGENT, call_id=call.pk, block_item_ids=[items[0].pk], answers=ANSWERS
    )
    block_id = outcome.blocks[0].pk
    block = block_attempt(block_id)
    assert block is not None and block.state == "requested" and block.attempts == 1
    assert block.next_attempt_at is not None
    assert block_attempt(block_id) is None  # waiting for its back-off
    for _attempt in range(rules.MAX_ATTEMPTS - 1):
        Block.objects.filter(pk=block_id).update(next_attempt_at=None)
        block = block_attempt(block_id)
    assert block is not None and block.state == "failed" and block.attempts == rules.MAX_ATTEMPTS
    assert Callback.objects.filter(block_id=block_id, done_at__isnull=True).count() == 1


def test_a_crash_between_sending_and_recording_never_blocks_twice(
    norwegian: Party, agent: Any, issuers: Any
) -> None:
    items = _wallet(norwegian)
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    outcome = services.call_close(
        ctx=AGENT, call_id=call.pk, block_item_ids=[i.pk for i in items], answers=ANSWERS
    )
    # The worker takes every block and reaches the issuer, then dies before it records anything.
    from trygg.protection.dispatch import request_for
    from trygg.protection.issuers import client_for

    for block in outcome.blocks:
        taken = services.block_take(block.pk)
        assert taken is not None
        client_for("simulator").block(request_for(taken))
    assert set(Block.objects.values_list("state", flat=True)) == {"sent"}
    # Restarted: the stuck blocks go back to requested and are sent again with the same key.
    due = services.blocks_stuck(older_than=dt.timedelta(0))
    assert len(due) == len(items)
    for block_id, _when in due:
        block_attempt(block_id)
    assert set(Block.objects.values_list("state", flat=True)) == {"confirmed"}
    received = httpx.get(f"{issuers.base_url}/sim/received").json()
    assert len(received) == len(items)  # each item blocked once at its issuer
    assert {r["attempts"] for r in received} == {2}


def test_bad_report_answers_change_nothing(norwegian: Party, agent: Any) -> None:
    items = _wallet(norwegian)
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    for answers, field in (
        (ReportAnswers(how_lost=f"kortet {CARD} forsvant"), "how_lost"),
        (ReportAnswers(discovered_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)), "discovered_at"),
        (
            ReportAnswers(
                discovered_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
                last_seen_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC),
            ),
            "last_seen_at",
        ),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.call_close(
                ctx=AGENT, call_id=call.pk, block_item_ids=[items[0].pk], answers=answers
            )
        assert refused.value.field == field
    with pytest.raises(ValidationFailed) as nothing:
        services.call_close(ctx=AGENT, call_id=call.pk, block_item_ids=[], answers=ANSWERS)
    assert nothing.value.code == "block.none"
    assert not Block.objects.exists()
    call.refresh_from_db()
    assert call.state == "open" and call.how_lost == ""


def test_a_phone_block_may_be_lifted_a_card_block_never(
    norwegian: Party, agent: Any, issuers: Any, customer: Any
) -> None:
    items = _wallet(norwegian)
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    outcome = services.call_close(
        ctx=AGENT, call_id=call.pk, block_item_ids=[items[0].pk, items[3].pk], answers=ANSWERS
    )
    for block in outcome.blocks:
        block_attempt(block.pk)
    card_block = Block.objects.get(call=call, item=items[0])
    phone_block = Block.objects.get(call=call, item=items[3])
    with pytest.raises(ValidationFailed) as refused:
        services.block_lift(ctx=SYSTEM, customer=norwegian, block_id=card_block.pk)
    assert refused.value.code == "lift.card"
    with pytest.raises(NotFound):
        services.block_lift(ctx=SYSTEM, customer=customer.party, block_id=phone_block.pk)
    lifted = services.block_lift(ctx=SYSTEM, customer=norwegian, block_id=phone_block.pk)
    assert lifted.state == "lifted" and lifted.lifted_at is not None
    card_block.refresh_from_db()
    assert card_block.state == "confirmed"
    received = {r["issuer"]: r for r in httpx.get(f"{issuers.base_url}/sim/received").json()}
    assert received["telenor"]["lifted"] and not received["dnb"]["lifted"]


def test_the_blocking_report_holds_every_answer_and_item(
    norwegian: Party, agent: Any, issuers: Any
) -> None:
    from trygg.protection.letters import report_of, report_pdf
    from trygg.protection.selectors import blocks_of

    items = _wallet(norwegian)
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    outcome = services.call_close(
        ctx=AGENT, call_id=call.pk, block_item_ids=[i.pk for i in items], answers=ANSWERS
    )
    for block in outcome.blocks:
        block_attempt(block.pk)
    call.refresh_from_db()
    report = report_of(call, blocks_of(call), language="nb")
    assert report.title == f"Sperrerapport {call.number}"
    intro = {line.label: line.value for line in report.intro}
    assert intro["Vi snakket med"] == "Kari"
    answers = [line.value for line in report.answers]
    assert answers == [
        "Lommeboka ble stjålet på trikken",
        "I jakkelomma",
        "2026-12-06 19:30",  # 18:30 UTC is 19:30 in Oslo
        "2026-12-06 18:00",
        "Oslo, NO",
        "Ja",
        "Ja",
        "Nei",
        "Ja",
    ]
    assert len(report.blocks) == len(items)
    assert all("sperret" in line.value for line in report.blocks)
    assert any("DNB" in paragraph for paragraph in report.closing)
    assert report.address[-1] == "0154 Oslo"
    english = report_of(call, blocks_of(call), language="en")
    assert english.answers[5].value == "Yes"
    assert report_pdf(report).startswith(b"%PDF")


def test_answers_recorded_together_move_each_block_as_one_at_a_time_would(
    norwegian: Party, agent: Any
) -> None:
    items = _wallet(norwegian)
    call = services.call_open(ctx=AGENT, agent_id=agent.pk, customer=norwegian, spoke_with="Kari")
    outcome = services.call_close(
        ctx=AGENT, call_id=call.pk, block_item_ids=[i.pk for i in items[:4]], answers=ANSWERS
    )
    claimed = services.blocks_claim(limit=10)
    assert [b.pk for b in claimed] == [b.pk for b in outcome.blocks]
    assert {b.state for b in claimed} == {"sent"} and services.blocks_claim(limit=10) == []
    assert claimed[0].call.customer == norwegian  # what the request needs comes along
    first, second, third, fourth = (b.pk for b in claimed)
    events_before = AuditEvent.objects.filter(object_type="block").count()
    recorded = services.blocks_record(
        [
            services.AttemptResult(block_id=first, found=True, reference="R-1"),
            services.AttemptResult(block_id=second, found=False),
            services.AttemptResult(block_id=third, error="HTTP 503"),
            services.AttemptResult(block_id=fourth, found=True, replacement_ordered=True),
        ]
    )
    assert [b.state for b in recorded] == ["confirmed", "not_found", "requested", "confirmed"]
    stored = {b.pk: b for b in Block.objects.filter(call=call)}
    assert stored[first].issuer_reference == "R-1" and stored[first].answered_at is not None
    assert stored[fourth].replacement_ordered
    assert stored[third].last_error == "HTTP 503" and stored[third].next_attempt_at is not None
    assert stored[third].answered_at is None
    assert list(Callback.objects.values_list("block_id", flat=True)) == [second]
    # One audit event per answer, none for the attempt without one; the call is not complete.
    assert AuditEvent.objects.filter(object_type="block").count() == events_before + 3
    call.refresh_from_db()
    assert call.state == "closed"
    # A result recorded again (a repeated attempt after a crash) changes nothing.
    services.blocks_record([services.AttemptResult(block_id=first, found=False)])
    assert Block.objects.get(pk=first).state == "confirmed"
    # The last answer completes the call and queues its report letter, once.
    Block.objects.filter(pk=third).update(next_attempt_at=None)
    (again,) = services.blocks_claim(limit=10)
    services.blocks_record([services.AttemptResult(block_id=again.pk, found=True)])
    call.refresh_from_db()
    assert call.state == "completed" and call.completed_at is not None
    assert report_letter(ctx=SYSTEM, call=call) is not None
