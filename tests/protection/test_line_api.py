"""The blocking line's API for the telephony platform: the agent's whole call over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from trygg.identity.models import StaffUser
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.protection import services
from trygg.protection.dispatch import block_attempt
from trygg.protection.models import Block, BlockingCall, Item
from trygg.protection.services import ItemInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(telephony: dict[str, str]) -> Any:
    agent = StaffUser.objects.create_user(username="sperrevakt", password="x" * 20, is_staff=True)
    agent.groups.add(Group.objects.get(name="blocking_agent"))
    client = Client()

    def call(method: str, path: str, body: Any = None, **headers: str) -> Any:
        sent = {**telephony, **headers}
        if body is None:
            return getattr(client, method)(f"/api/v1{path}", **sent)
        return getattr(client, method)(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **sent
        )

    return call


def test_an_anonymous_caller_gets_nothing(norwegian: Party) -> None:
    answer = Client().post(
        "/api/v1/protection/line/find",
        data=json.dumps({"agent": "x", "number": norwegian.customer_number}),
        content_type="application/json",
    )
    assert answer.status_code == 401
    assert answer.json()["code"] == "telephony.unauthenticated"


def test_an_agent_outside_the_role_is_refused(line: Any, norwegian: Party) -> None:
    StaffUser.objects.create_user(username="other", password="x" * 20, is_staff=True)
    answer = line("post", "/protection/line/find", {"agent": "other", "number": "1"})
    assert answer.status_code == 403 and answer.json()["code"] == "agent.unknown"


def test_the_whole_call_over_the_api(line: Any, norwegian: Party, issuers: Any) -> None:
    visa = services.item_register(
        ctx=SYSTEM, customer=norwegian, data=ItemInput(kind="card", issuer="dnb", card_type="Visa")
    )
    phone = services.item_register(
        ctx=SYSTEM,
        customer=norwegian,
        data=ItemInput(kind="phone", issuer="telenor", imei="490154203237518"),
    )
    found = line(
        "post", "/protection/line/find", {"agent": "sperrevakt", "number": norwegian.id_number}
    ).json()
    assert found["customer_id"] == norwegian.pk and found["language"] == "nb"
    items = line("get", f"/protection/line/customers/{norwegian.pk}/items?agent=sperrevakt").json()
    assert {i["item_id"] for i in items} == {visa.pk, phone.pk}
    opened = line(
        "post",
        "/protection/line/calls",
        {"agent": "sperrevakt", "customer_id": norwegian.pk, "spoke_with": "Kari"},
    )
    assert opened.status_code == 201
    call_id = opened.json()["call_id"]
    passport = line(
        "post",
        f"/protection/line/calls/{call_id}/items",
        {
            "agent": "sperrevakt",
            "kind": "document",
            "issuer": "politiet",
            "document_kind": "passport",
        },
    )
    assert passport.status_code == 201
    passport_id = passport.json()["item_id"]
    # The phone is neither blocked nor kept: every item must be confirmed.
    unconfirmed = line(
        "post",
        f"/protection/line/calls/{call_id}/close",
        {"agent": "sperrevakt", "block": [visa.pk, passport_id], "keep": []},
    )
    assert unconfirmed.status_code == 422
    assert unconfirmed.json()["code"] == "items.unconfirmed"
    assert not Block.objects.exists()
    card_number = line(
        "post",
        f"/protection/line/calls/{call_id}/close",
        {
            "agent": "sperrevakt",
            "block": [visa.pk, passport_id],
            "keep": [phone.pk],
            "how_lost": "4111 1111 1111 1111",
        },
    )
    assert card_number.status_code == 422 and "4111" not in card_number.content.decode()
    closed = line(
        "post",
        f"/protection/line/calls/{call_id}/close",
        {
            "agent": "sperrevakt",
            "block": [visa.pk, passport_id],
            "keep": [phone.pk],
            "how_lost": "Stjålet",
            "replacement_wanted": True,
        },
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["replacement_ordered"] == ["dnb"]
    for block in Block.objects.all():
        block_attempt(block.pk)
    state = line("get", f"/protection/line/calls/{call_id}?agent=sperrevakt").json()
    assert state["state"] == "completed"
    assert {b["state"] for b in state["blocks"]} == {"confirmed"}
    call = BlockingCall.objects.get()
    assert call.agent.username == "sperrevakt"
    assert Item.objects.get(pk=passport_id).source == "call"
    assert AuditEvent.objects.filter(
        subject_id=str(norwegian.pk), action="read", actor_label="sperrevakt via ivr"
    ).exists()


def test_unknown_ids_are_not_found(line: Any) -> None:
    answer = line("get", "/protection/line/calls/999999?agent=sperrevakt")
    assert answer.status_code == 404
    huge = line("get", f"/protection/line/calls/{2**70}?agent=sperrevakt")
    assert huge.status_code in (404, 422)
