"""On PostgreSQL the dispatcher's threads wait for the issuers without holding database
connections: the database work goes through a few kept connections (``database_slots``), so a
mass event can have more requests in flight than the server has connections."""

from __future__ import annotations

import importlib
import threading
import time
from typing import Any

import httpx
import pytest
from django.apps import apps as django_apps
from django.db import connection

from trygg.kernel.audit import SYSTEM
from trygg.parties.models import Party
from trygg.protection import services
from trygg.protection.dispatch import Dispatcher
from trygg.protection.models import Block
from trygg.protection.services import ItemInput, ReportAnswers

from .conftest import configure

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_blocks_in_flight_on_a_few_connections(
    norwegian: Party, agent: Any, issuers: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("counts PostgreSQL's connections")
    importlib.import_module("trygg.protection.migrations.0002_issuer_directory").load(
        django_apps, None
    )
    configure(issuers, {"*": {"latency": [0.6, 0.6]}})
    codes = ["dnb", "nordea-no", "sparebank1", "handelsbanken-no", "danske-bank-no"]
    items = [
        services.item_register(
            ctx=SYSTEM,
            customer=norwegian,
            data=ItemInput(kind="card", issuer=codes[n % 5], card_type="Visa", ks=f"{1000 + n}"),
        )
        for n in range(24)
    ]
    call = services.call_open(ctx=SYSTEM, agent_id=agent.pk, customer=norwegian, spoke_with="K")
    services.call_close(
        ctx=SYSTEM,
        call_id=call.pk,
        block_item_ids=[i.pk for i in items],
        answers=ReportAnswers(),
    )
    name = connection.settings_dict["NAME"]
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        import psycopg

        params = connection.get_connection_params()
        with psycopg.connect(**params, autocommit=True) as own:
            while not done.is_set():
                seen.append(
                    own.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
                    ).fetchone()[0]  # type: ignore[index]
                )
                time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    dispatcher = Dispatcher(threads=24, database_slots=3)
    try:
        dispatcher.drain(timeout=60)
    finally:
        dispatcher.close()
        done.set()
        watcher.join()
    assert set(Block.objects.values_list("state", flat=True)) == {"confirmed"}
    assert httpx.get(f"{issuers.base_url}/sim/stats").json()["max_in_flight"] >= 12
    # The test's own connection, the watcher's, the dispatcher's own and its three.
    assert max(seen) <= 6, max(seen)
