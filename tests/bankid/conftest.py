"""Fixtures: the BankID simulator on an ephemeral port in a thread, driven by the real client.

The simulator's clock is a fake by default, so expiry tests move time instead of waiting; one
test runs a simulator on the real clock with short limits.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from trygg.identity.bankid import BankIdClient
from trygg.simulators.bankid import SimulatorServer, Timing, make_server

# The simulator speaks plain HTTP; one shared context spares every test client from loading the
# CA bundle again (about 0.1 s each).
_TLS = ssl.create_default_context()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Sim:
    server: SimulatorServer
    clock: FakeClock
    client: BankIdClient
    http: httpx.Client

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def scan(self, order_ref: str, qr: str | None = None) -> httpx.Response:
        body = {} if qr is None else {"qr": qr}
        return self.http.post(f"/sim/orders/{order_ref}/scan", json=body)

    def confirm_call(self, order_ref: str) -> httpx.Response:
        return self.http.post(f"/sim/orders/{order_ref}/confirm-call")

    def complete(self, order_ref: str, **body: str) -> httpx.Response:
        return self.http.post(f"/sim/orders/{order_ref}/complete", json=body)

    def fail(self, order_ref: str, hint_code: str) -> httpx.Response:
        return self.http.post(f"/sim/orders/{order_ref}/fail", json={"hintCode": hint_code})

    def rp(self, endpoint: str, body: object) -> httpx.Response:
        """A raw relying party request, for bodies the client would never send."""
        return self.http.post(f"/rp/v6.0/{endpoint}", json=body)


def start_simulator(
    timing: Timing | None = None, clock: FakeClock | None = None
) -> tuple[SimulatorServer, threading.Thread]:
    server = make_server(port=0, timing=timing, clock=clock or time.monotonic)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    return server, thread


def stop_simulator(server: SimulatorServer, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def sim() -> Iterator[Sim]:
    clock = FakeClock()
    server, thread = start_simulator(clock=clock)
    client = BankIdClient(server.base_url, cert=None, ca_cert=None, timeout=5.0, max_attempts=1)
    http = httpx.Client(base_url=server.base_url, timeout=5.0, verify=_TLS)
    try:
        yield Sim(server, clock, client, http)
    finally:
        client.close()
        http.close()
        stop_simulator(server, thread)
