"""A local simulator of the issuers' blocking services (standard library only).

Every issuer of the directory answers under ``/issuers/<code>/`` the requests that
:mod:`trygg.protection.issuers` sends:

* ``POST /issuers/<code>/blocks`` (bearer key, ``Idempotency-Key``, JSON body with ``key``):
  200 ``{"status": "blocked", "reference", "replacement_ordered", "repeated"}`` or 404
  ``{"status": "not_found"}``. A request repeated with the same key is answered as the first
  one was and is not blocked again (``repeated`` tells); the list shows each block once.
* ``POST /issuers/<code>/blocks/<key>/lift``: 200, or 404 for an unknown key.

Behaviour per issuer, set with ``POST /sim/config`` (JSON ``{"<code>" or "*": {...}}``):
``latency`` ``[min, max]`` seconds (uniform), ``failure_rate`` (0-1, answers 503),
``timeout_rate`` (0-1, sleeps ``hang`` seconds, 30 by default, before answering 504: past
any sane client time-out) and ``not_found`` (a list of identity numbers, KS, IMEIs or
document kinds the issuer does not know). ``GET /sim/received`` lists what each issuer
received (JSON), ``GET /`` the same as a page, ``GET /sim/stats`` counts the requests and the
most that were in flight at once, ``POST /sim/reset`` forgets everything.

Run: ``python -m trygg.simulators.issuers --port 8082``. Bind it to localhost only: the key is
checked for presence, not value.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

_MAX_BODY = 64 * 1024


@dataclass
class IssuerBehaviour:
    latency: tuple[float, float] = (0.0, 0.0)
    failure_rate: float = 0.0
    timeout_rate: float = 0.0
    hang: float = 30.0
    not_found: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, data: dict[str, Any]) -> IssuerBehaviour:
        latency = data.get("latency", [0, 0])
        low, high = float(latency[0]), float(latency[1])
        failure = float(data.get("failure_rate", 0))
        timeout = float(data.get("timeout_rate", 0))
        if not (0 <= low <= high and 0 <= failure <= 1 and 0 <= timeout <= 1):
            raise ValueError("latency is [min, max] with 0 <= min <= max; rates lie in 0..1")
        return cls(
            latency=(low, high),
            failure_rate=failure,
            timeout_rate=timeout,
            hang=float(data.get("hang", 30)),
            not_found=frozenset(str(v) for v in data.get("not_found", [])),
        )


@dataclass
class Received:
    issuer: str
    key: str
    body: dict[str, Any]
    at: float
    status: str
    reference: str = ""
    attempts: int = 1
    lifted: bool = False


@dataclass
class IssuerState:
    """What every issuer received, and how each behaves. Thread-safe."""

    seed: int | None = None
    behaviour: dict[str, IssuerBehaviour] = field(default_factory=dict)
    blocks: dict[tuple[str, str], Received] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    requests: int = 0

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    def of(self, issuer: str) -> IssuerBehaviour:
        return self.behaviour.get(issuer) or self.behaviour.get("*") or IssuerBehaviour()

    def block(self, issuer: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        key = str(body.get("key", ""))
        with self.lock:
            known = self.blocks.get((issuer, key))
            if known is not None:
                known.attempts += 1
                return self._answer(known, repeated=True)
            behaviour = self.of(issuer)
            identifiers = {
                str(body.get(name, ""))
                for name in ("id_number", "ks", "imei", "document_kind", "company_number")
            }
            self.counter += 1
            if identifiers & behaviour.not_found:
                record = Received(issuer, key, body, time.time(), "not_found")
            else:
                record = Received(
                    issuer,
                    key,
                    body,
                    time.time(),
                    "blocked",
                    reference=f"{issuer[:6].upper()}-{self.counter:06d}",
                )
            self.blocks[(issuer, key)] = record
            return self._answer(record, repeated=False)

    @staticmethod
    def _answer(record: Received, *, repeated: bool) -> tuple[int, dict[str, Any]]:
        if record.status == "not_found":
            return 404, {"status": "not_found", "repeated": repeated}
        return 200, {
            "status": "blocked",
            "reference": record.reference,
            "replacement_ordered": bool(record.body.get("order_replacement")),
            "repeated": repeated,
        }

    def lift(self, issuer: str, key: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            record = self.blocks.get((issuer, key))
            if record is None or record.status != "blocked":
                return 404, {"status": "not_found"}
            record.lifted = True
            return 200, {"status": "lifted", "reference": record.reference}

    def enter(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.requests += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def stats(self) -> dict[str, int]:
        with self.lock:
            return {
                "requests": self.requests,
                "in_flight": self.in_flight,
                "max_in_flight": self.max_in_flight,
                "blocks": len(self.blocks),
            }

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {
                    "issuer": r.issuer,
                    "key": r.key,
                    "status": r.status,
                    "reference": r.reference,
                    "attempts": r.attempts,
                    "lifted": r.lifted,
                    "kind": r.body.get("kind", ""),
                    "at": r.at,
                }
                for r in self.blocks.values()
            ]


class IssuerServer(ThreadingHTTPServer):
    daemon_threads = True
    # A mass event opens hundreds of connections at once; the default backlog of 5 would
    # reset them.
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], state: IssuerState) -> None:
        self.state = state
        super().__init__(address, _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server_version = "TryggIssuerSimulator/1.0"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    @property
    def state(self) -> IssuerState:
        return cast(IssuerServer, self.server).state

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _send(self, status: int, body: dict[str, Any] | list[Any] | str) -> None:
        if isinstance(body, str):
            data, kind = body.encode(), "text/html; charset=utf-8"
        else:
            data, kind = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > _MAX_BODY:
            raise ValueError("body too large")
        raw = self.rfile.read(length) if length else b"{}"
        parsed = json.loads(raw or b"{}")
        if not isinstance(parsed, dict):
            raise ValueError("the body must be a JSON object")
        return parsed

    def do_GET(self) -> None:
        if self.path == "/sim/received":
            self._send(200, self.state.received())
        elif self.path == "/sim/stats":
            self._send(200, self.state.stats())
        elif self.path in ("/", "/index.html"):
            self._send(200, _page(self.state.received()))
        else:
            self._send(404, {"status": "unknown path"})

    def do_POST(self) -> None:
        parts = [p for p in self.path.split("/") if p]
        try:
            body = self._body()
        except ValueError as error:
            self._send(400, {"status": "bad request", "detail": str(error)})
            return
        if parts == ["sim", "config"]:
            try:
                parsed = {code: IssuerBehaviour.parse(v) for code, v in body.items()}
            except (ValueError, TypeError, IndexError, AttributeError) as error:
                self._send(400, {"status": "bad config", "detail": str(error)})
                return
            with self.state.lock:
                self.state.behaviour.update(parsed)
            self._send(200, {"status": "ok"})
            return
        if parts == ["sim", "reset"]:
            with self.state.lock:
                self.state.behaviour.clear()
                self.state.blocks.clear()
            self._send(200, {"status": "ok"})
            return
        if len(parts) >= 3 and parts[0] == "issuers" and parts[2] == "blocks":
            if not self.headers.get("Authorization", "").startswith("Bearer "):
                self._send(401, {"status": "unauthorized"})
                return
            issuer = parts[1]
            self.state.enter()
            try:
                self._behave(issuer)
                if self.close_connection:
                    return
                if len(parts) == 3:
                    status, answer = self.state.block(issuer, body)
                    self._send(status, answer)
                    return
                if len(parts) == 5 and parts[4] == "lift":
                    status, answer = self.state.lift(issuer, parts[3])
                    self._send(status, answer)
                    return
            finally:
                self.state.leave()
        self._send(404, {"status": "unknown path"})

    def _behave(self, issuer: str) -> None:
        """Latency, failures and time-outs as configured for the issuer."""
        behaviour = self.state.of(issuer)
        with self.state.lock:
            draw = self.state.random.random()
            delay = self.state.random.uniform(*behaviour.latency)
        if draw < behaviour.timeout_rate:
            time.sleep(behaviour.hang)
            self._send(504, {"status": "timeout"})
            self.close_connection = True
        elif draw < behaviour.timeout_rate + behaviour.failure_rate:
            time.sleep(delay)
            self._send(503, {"status": "unavailable"})
            self.close_connection = True
        else:
            time.sleep(delay)


def _page(received: list[dict[str, Any]]) -> str:
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(r[name]))}</td>"
            for name in ("issuer", "key", "kind", "status", "reference", "attempts", "lifted")
        )
        + "</tr>"
        for r in sorted(received, key=lambda r: r["at"])
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Issuer simulator</title></head><body><h1>Blocks received by the issuers</h1>"
        "<table><thead><tr><th>issuer</th><th>key</th><th>kind</th><th>status</th>"
        f"<th>reference</th><th>attempts</th><th>lifted</th></tr></thead><tbody>{rows}"
        "</tbody></table></body></html>"
    )


def make_server(*, host: str = "127.0.0.1", port: int = 0, seed: int | None = None) -> IssuerServer:
    return IssuerServer((host, port), IssuerState(seed=seed))


def serve_in_thread(*, port: int = 0) -> IssuerServer:
    server = make_server(port=port)
    threading.Thread(target=server.serve_forever, daemon=True, name="issuer-sim").start()
    return server


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082)
    args = parser.parse_args(argv)
    server = make_server(host=args.host, port=args.port)
    print(f"Issuer simulator on {server.base_url}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
