"""The blocking dispatcher: blocks sent in parallel, and a dispatcher that dies mid-call loses
nothing and blocks nothing twice. The dispatcher's threads have database connections of their
own, so these tests commit (transaction=True)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import httpx
import pytest
from django.apps import apps as django_apps

from trygg.kernel.audit import SYSTEM
from trygg.parties.models import Party
from trygg.protection import services
from trygg.protection.dispatch import Dispatcher
from trygg.protection.models import Block
from trygg.protection.services import ItemInput, ReportAnswers

from .conftest import configure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _directory() -> None:
    """A transactional test starts from an empty database: the issuer directory back."""
    importlib.import_module("trygg.protection.migrations.0002_issuer_directory").load(
        django_apps, None
    )


def _call_with(customer: Party, agent: Any, count: int) -> list[Block]:
    issuers = ["dnb", "nordea-no", "sparebank1", "handelsbanken-no", "danske-bank-no"]
    items = [
        services.item_register(
            ctx=SYSTEM,
            customer=customer,
            data=ItemInput(
                kind="card", issuer=issuers[n % 5], card_type=f"Kort {n}", ks=f"{1000 + n}"
            ),
        )
        for n in range(count)
    ]
    call = services.call_open(ctx=SYSTEM, agent_id=agent.pk, customer=customer, spoke_with="K")
    return services.call_close(
        ctx=SYSTEM,
        call_id=call.pk,
        block_item_ids=[i.pk for i in items],
        answers=ReportAnswers(replacement_wanted=True),
    ).blocks


def test_blocks_go_out_in_parallel(norwegian: Party, agent: Any, issuers: Any) -> None:
    configure(issuers, {"*": {"latency": [0.5, 0.5]}})
    blocks = _call_with(norwegian, agent, 10)
    dispatcher = Dispatcher(threads=10)
    dispatcher.drain(timeout=60)
    dispatcher.close()
    assert set(Block.objects.values_list("state", flat=True)) == {"confirmed"}
    assert len(blocks) == 10
    # The issuers had several requests in flight at once (one after the other would be 1).
    stats = httpx.get(f"{issuers.base_url}/sim/stats").json()
    assert stats["requests"] == 10
    assert stats["max_in_flight"] >= 3


def test_a_dispatcher_that_dies_loses_nothing_and_blocks_nothing_twice(
    norwegian: Party, agent: Any, issuers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _call_with(norwegian, agent, 6)
    recorded = services.blocks_record

    def killed(*_args: Any, **_kwargs: Any) -> list[Block]:
        raise SystemExit("the dispatcher's process was killed")

    # The first dispatcher reaches the issuers and dies before it records any answer.
    monkeypatch.setattr(services, "blocks_record", killed)
    first = Dispatcher(threads=6)
    first.step()
    first.close()
    assert set(Block.objects.values_list("state", flat=True)) == {"sent"}
    monkeypatch.setattr(services, "blocks_record", recorded)
    # Restarted, it finds the blocks without an answer and sends them again with their keys.
    second = Dispatcher(threads=6)
    assert second.resume(older_than=dt.timedelta(0)) == len(blocks)
    second.drain(timeout=30)
    second.close()
    assert set(Block.objects.values_list("state", flat=True)) == {"confirmed"}
    received = httpx.get(f"{issuers.base_url}/sim/received").json()
    assert len(received) == len(blocks)  # each item blocked once at its issuer
    assert {r["attempts"] for r in received} == {2}
    assert blocks[0].call.blocks.count() == len(blocks)


def test_an_issuer_down_is_retried_with_back_off(
    norwegian: Party, agent: Any, issuers: Any
) -> None:
    configure(issuers, {"dnb": {"failure_rate": 1}})
    blocks = _call_with(norwegian, agent, 1)
    dispatcher = Dispatcher(threads=2)
    dispatcher.step()
    dispatcher.pool.shutdown(wait=True)
    block = Block.objects.get(pk=blocks[0].pk)
    assert block.state == "requested" and block.attempts == 1
    assert block.next_attempt_at is not None
    assert services.blocks_due(limit=10, exclude=set()) == []  # waiting for the back-off
