"""The door card system's and the recording platform's simulators are clients of trygg: against
a live server they record passages and a call with its file, and the demo they run from
``trygg run`` leaves one visitor inside and one gone out, a stored call and a declined one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.contact.conftest import files_in, recordings_dir, staff
from tests.e2e.test_reception_journey import _sites
from trygg.contact import selectors, services
from trygg.contact.models import DoorPassage, Interaction
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.simulators.contact import CardSystem, RecordingPlatform, demo
from trygg.web.demo_contact import silent_wav

__all__ = ["recordings_dir"]  # the contact tests' storage folder, a fixture here too

RECORDING_KEY = "callrec-test-key-0123456789abcdefghijklmn"
CARD_KEY = "doors-test-key-0123456789abcdefghijklmnopq"


@pytest.fixture
def keys(settings: Any, recordings_dir: Path) -> Path:
    settings.TRYGG_RECORDING_KEYS = {"sim": RECORDING_KEY}
    settings.TRYGG_CARD_SYSTEM_KEYS = {"sim": CARD_KEY}
    return recordings_dir


def test_the_simulators_send_through_http(live_server: Any, keys: Path) -> None:
    host = staff("host.hanna")
    host.email = "hanna@example.se"
    host.save()
    staff("kundtjanst.anna")
    site = _sites()
    karin = services.visit_sign_in(
        ctx=SYSTEM, site_id=site.pk, host=host, name="Karin", phone="070-1234567", company=""
    )
    erik = services.visit_sign_in(
        ctx=SYSTEM, site_id=site.pk, host=host, name="Erik", phone="070-7654321", company=""
    )
    for visit, card in ((karin, "B-101"), (erik, "B-102")):
        services.visit_card_issue(ctx=SYSTEM, visit_id=visit.pk, card=card)
    now = clock.now() + dt.timedelta(seconds=5)
    lines = demo(
        live_server.url,
        recording_key=RECORDING_KEY,
        card_key=CARD_KEY,
        site="telegrafgatan",
        cards=["B-101", "B-102"],
        employee="kundtjanst.anna",
        now=now,
        audio=silent_wav(),
    )
    assert "Door card system: 200 recorded 4, already recorded 0, refused 0" in lines
    assert DoorPassage.objects.count() == 4
    with clock.frozen_now(now):
        inside = selectors.evacuation_list(ctx=SYSTEM, site_id=site.pk)
    assert [v.name for v in inside] == ["Karin"]
    states = dict(Interaction.objects.values_list("platform_id", "state"))
    day = now.strftime("%Y%m%d")
    assert states == {f"demo-{day}-1": "stored", f"demo-{day}-2": "declined"}
    assert len(files_in(keys)) == 1

    # The demo once more (a second `trygg run` the same day) creates no second call.
    demo(
        live_server.url,
        recording_key=RECORDING_KEY,
        card_key=CARD_KEY,
        site="telegrafgatan",
        cards=[],
        employee="kundtjanst.anna",
        now=now,
        audio=silent_wav(),
    )
    assert Interaction.objects.count() == 2 and len(files_in(keys)) == 1

    refused = CardSystem(live_server.url, "wrong-" + CARD_KEY, "telegrafgatan")
    refused.passage("B-101", "Entré", "out", now)
    assert refused.flush().status == 401
    platform = RecordingPlatform(live_server.url, RECORDING_KEY)
    assert platform.upload("no-such-call", silent_wav(), "audio/wav").status == 404
