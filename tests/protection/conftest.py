"""A Norwegian customer of the protection service, an agent, and the issuer simulator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.contrib.auth import get_user_model

from trygg.kernel import idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.parties.models import Party
from trygg.parties.services import ContactInput, person_register
from trygg.simulators.issuers import IssuerServer, make_server


@pytest.fixture
def issuers(settings: Any) -> Iterator[IssuerServer]:
    """The issuer simulator on a free port, answering every issuer of the directory."""
    import threading

    server = make_server(port=0, seed=7)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRYGG_ISSUERS = {"simulator": {"url": server.base_url, "key": "test", "timeout": 2}}
    yield server
    server.shutdown()
    server.server_close()


def configure(server: IssuerServer, config: dict[str, Any]) -> None:
    httpx.post(f"{server.base_url}/sim/config", json=config).raise_for_status()


@pytest.fixture
def norwegian(db: Any) -> Party:
    number = idnumbers.generate_norwegian_personal(dt.date(1984, 2, 29), 123)
    return person_register(
        ctx=SYSTEM,
        id_number=number,
        given_name="Kari",
        family_name="Nordmann",
        contact=ContactInput(street="Karl Johans gate 1", postal_code="0154", city="Oslo"),
        preferred_language="nb",
    )


@pytest.fixture
def agent(db: Any) -> Any:
    return get_user_model().objects.create_user("sperre1", password="x" * 20)
